import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { camelize } from '../db/rows.js';

type Conn = Db | Knex.Transaction;

export type FieldChanges = Record<string, { old: unknown; new: unknown }>;
export type AuthorRole = 'mediator' | 'moderator' | 'admin' | 'system';
export type RevisionKind = 'edit' | 'revert' | 'verify' | 'labels' | 'create';

export interface Revision {
  id: number;
  placeId: number;
  version: number;
  userId: number | null;
  userEmail: string | null;
  authorRole: AuthorRole;
  kind: RevisionKind;
  section: string | null;
  changes: FieldChanges;
  revertsRevisionId: number | null;
  createdAt: Date;
}

// Ids are numbers already: bigint columns are parsed as numbers (server/db/knex.ts).
const toRevision = (row: Record<string, unknown>) => camelize(row) as unknown as Revision;

/** The current version of a place, locked for this transaction. */
export async function lockPlaceVersion(trx: Knex.Transaction, placeId: number): Promise<number | undefined> {
  const row = await trx('places').where({ id: placeId }).forUpdate().first('version');
  return row?.version;
}

/**
 * Optimistic locking: the update applies only if the place is still at `expectedVersion`.
 * Returns the new version, or null when someone saved in between (the caller answers 409).
 */
export async function updatePlaceFields(
  trx: Conn,
  placeId: number,
  expectedVersion: number,
  values: Record<string, unknown>,
  now: Date,
): Promise<number | null> {
  const rows = await trx('places')
    .where({ id: placeId, version: expectedVersion })
    .update({ ...values, version: trx.raw('version + 1'), updated_at: now, date_maj: now.toISOString().slice(0, 10) })
    .returning('version');
  return rows.length ? (rows[0].version as number) : null;
}

export async function setVerifiedAt(trx: Conn, placeId: number, now: Date): Promise<number | undefined> {
  const rows = await trx('places').where({ id: placeId }).update({ verified_at: now, date_maj: now.toISOString().slice(0, 10) }).returning('version');
  return rows[0]?.version as number | undefined;
}

export async function insertRevision(
  trx: Conn,
  revision: { placeId: number; version: number; userId: number | null; authorRole: AuthorRole; kind: RevisionKind; section?: string | null; changes: FieldChanges; revertsRevisionId?: number | null },
  now: Date,
): Promise<number> {
  const [row] = await trx('place_revisions')
    .insert({
      place_id: revision.placeId,
      version: revision.version,
      user_id: revision.userId,
      author_role: revision.authorRole,
      kind: revision.kind,
      section: revision.section ?? null,
      changes: JSON.stringify(revision.changes),
      reverts_revision_id: revision.revertsRevisionId ?? null,
      created_at: now,
    })
    .returning('id');
  return Number(row.id);
}

export async function listRevisions(db: Conn, placeId: number, options: { afterVersion?: number; limit?: number } = {}): Promise<Revision[]> {
  const query = db('place_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .select('r.*', 'u.email as user_email')
    .where('r.place_id', placeId)
    .orderBy('r.id', 'desc')
    .limit(options.limit ?? 200);
  if (options.afterVersion !== undefined) query.where('r.version', '>', options.afterVersion).whereIn('r.kind', ['edit', 'revert']);
  return (await query).map(toRevision);
}

export async function findRevision(db: Conn, placeId: number, revisionId: number): Promise<Revision | undefined> {
  const row = await db('place_revisions as r').leftJoin('users as u', 'u.id', 'r.user_id').select('r.*', 'u.email as user_email').where({ 'r.place_id': placeId, 'r.id': revisionId }).first();
  return row ? toRevision(row) : undefined;
}

/** Revisions after `revisionId` (oldest first): undoing them restores the state right after it. */
export async function revisionsAfter(db: Conn, placeId: number, revisionId: number): Promise<Revision[]> {
  const rows = await db('place_revisions').where('place_id', placeId).where('id', '>', revisionId).orderBy('id', 'asc');
  return rows.map(toRevision);
}

/** The latest revision of these kinds (by default changes and confirmations), for "Mis à jour le … par …". */
export async function latestChange(db: Conn, placeId: number, kinds: RevisionKind[] = ['edit', 'revert', 'labels', 'create', 'verify']): Promise<Revision | undefined> {
  const row = await db('place_revisions').where('place_id', placeId).whereIn('kind', kinds).orderBy('id', 'desc').first();
  return row ? toRevision(row) : undefined;
}

/** A new place (accepted proposal): the standard's record, in `places` columns. */
export async function insertPlace(trx: Conn, record: Record<string, unknown>, now: Date): Promise<number> {
  const [row] = await trx('places')
    .insert({ ...record, created_at: now, updated_at: now, verified_at: now, date_maj: now.toISOString().slice(0, 10) })
    .returning('id');
  return Number(row.id);
}
