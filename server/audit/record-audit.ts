// The audit journal as the other features write to it: they import this module, never
// audit.repository.ts (a feature reaches another's tables through that feature's modules).
export { recordAudit, type AuditEntry } from './audit.repository.js';
