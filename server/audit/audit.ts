/**
 * The audit journal as other features see it: they record their decisions and read the journal through
 * this module, never through audit.repository.ts directly (the repository stays the table's one writer).
 */
export { listAudit, recordAudit } from './audit.repository.js';
