/**
 * The audit journal as other features see it: they record their decisions and read the journal through
 * this module, never through audit.repository.ts directly (the repository stays the table's one writer).
 */
export { journalSubjects, listAudit, recordAudit, type AuditEntry, type AuditRow } from './audit.repository.js';
