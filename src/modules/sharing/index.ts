// Sharing's public face: what other modules may use. Nothing else of src/modules/sharing/
// is imported from outside it (an ESLint rule enforces this).
export { createSharingModule, type SharingModule, type SharingModuleDeps } from './sharing.module.js';
export type { CallAuditOptions } from './audit/call-audit.js';
export type { GatewayAccess } from './gateway-access.js';
export type { ActiveGrant, GatewayCall, GatewayConsumer } from './contracts.js';
