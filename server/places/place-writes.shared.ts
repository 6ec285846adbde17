import type { Knex } from 'knex';
import type { AuditEntry } from '../audit/record-audit.js';
import type { AuthorRole } from './place-history.repository.js';
import type { Place } from './places.types.js';

/**
 * What the parts of the place-writing service (place-writes.service.ts and the files split out of
 * it) share, apart from the service itself so that those parts need not import it.
 */

/** Who made a change, as its revision records it. */
export interface Author {
  userId: number | null;
  role: AuthorRole;
}

export interface WriteOptions {
  author: Author;
  /** The decision's entry in the audit journal, written in the same transaction (its time is the change's). */
  audit?: AuditEntry;
  trx?: Knex.Transaction;
}

/** The transaction a write runs in: the caller's (as a savepoint), or a new one. */
export type InTransaction = <T>(
  outer: Knex.Transaction | undefined,
  work: (trx: Knex.Transaction) => Promise<T>,
) => Promise<T>;

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A place's current value of a column, in the standard's terms (`code_postal` → place.codePostal). */
export const columnValue = (place: Place, column: string): unknown =>
  (place as unknown as Record<string, unknown>)[camel(column)] ?? null;

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
