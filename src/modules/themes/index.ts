// The themes module's public face: what other modules may use. Nothing else of src/modules/themes/
// is imported from outside it (an ESLint rule enforces this).
export { createThemesModule, type ThemesModule, type ThemesModuleDeps } from './themes.module.js';
