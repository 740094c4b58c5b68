// Collection's public face: what other modules may use. Nothing else of src/modules/collection/
// is imported from outside it (an ESLint rule enforces this).
export { createCollectionModule, type CollectionModule, type CollectionModuleDeps } from './collection.module.js';
export { canonicalRecordKey, recordKeyText, type DisputedKeys } from './records/record-key.js';
export { createRecordRegistryRepository } from './records/record-registry.repository.js';
// A worker thread (a theme sync) reads member records with a reader over its own connection.
export { createRecordReader } from './records/record-reader.js';
export { headerSynonymsFromConfig } from './mappings/header-synonyms.js';
export { collectionPolicy } from './collection.policy.js';
export { maskValue } from './records/masking.js';
export {
  FILTER_OPS,
  MAX_BATCH_KEYS,
  type PageQuery,
  type ReadAccess,
  type ReadRecord,
  type RecordEntry,
  type RecordFilter,
  type RecordKey,
  type RecordQuery,
  type RecordReader,
  type RecordValue,
} from './records/record-reader.js';
