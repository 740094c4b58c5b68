// Governance's public face: what other modules may use. Nothing else of src/modules/governance/
// is imported from outside it (an ESLint rule enforces this).
export { createGovernanceModule, type GovernanceModule, type GovernanceModuleDeps } from './governance.module.js';
export { addWorkingDays, calendarFromConfig, isWorkingDay, loadCalendar, workingDaysBetween, type WorkCalendar } from './calendar/working-days.js';
export { createThemeConsistencySink, themeConsistencyRuleId, type ThemeConsistencyResult, type ThemeConsistencySink } from './problems/theme-consistency.js';
