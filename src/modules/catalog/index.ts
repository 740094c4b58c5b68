// The catalogue's public face: what other modules may use. Nothing else of src/modules/catalog/
// is imported from outside it (an ESLint rule enforces this).
export { createCatalogModule, type CatalogModule, type CatalogModuleDeps } from './catalog.module.js';
export { createCatalogReader, type CatalogReader, type ResourceOwner } from './catalog-reader.js';
export { visibleResourceOr404 } from './visible-resource.js';
export type { Resource, DataItem } from './resources/resources.schemas.js';
export { visibleResources } from './resources/resources.repository.js';
export { DATA_TYPES, MASKING_RULES, OPEN_DOMAINS, UPDATE_FREQUENCIES, keysOf, type DataType, type MaskingRule, type UpdateFrequency } from './codes.js';
