// Opening's public face: what other modules may use. Nothing else of src/modules/opening/
// is imported from outside it (an ESLint rule enforces this).
export { createOpeningModule, type OpeningModule, type OpeningModuleDeps } from './opening.module.js';
