// The audit trail's public face: every module records its changes (and reads of personal data)
// through the auditor; nothing else of src/modules/audit/ is imported from outside it.
export { createAuditor, type Auditor, type AuditEntry } from './audit.service.js';
export { createAuditModule, type AuditModule } from './audit.module.js';
