import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { camelize } from '../db/rows.js';

type Conn = Db | Knex.Transaction;

/** A place's history, read side: the revisions written by the place-writing service (place-writes.service.ts). */

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

export async function listRevisions(
  db: Conn,
  placeId: number,
  options: { afterVersion?: number; limit?: number } = {},
): Promise<Revision[]> {
  const query = db('place_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .select('r.*', 'u.email as user_email')
    .where('r.place_id', placeId)
    .orderBy('r.id', 'desc')
    .limit(options.limit ?? 200);
  if (options.afterVersion !== undefined)
    query.where('r.version', '>', options.afterVersion).whereIn('r.kind', ['edit', 'revert']);
  return (await query).map(toRevision);
}

export async function findRevision(db: Conn, placeId: number, revisionId: number): Promise<Revision | undefined> {
  const row = await db('place_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .select('r.*', 'u.email as user_email')
    .where({ 'r.place_id': placeId, 'r.id': revisionId })
    .first<Record<string, unknown> | undefined>();
  return row ? toRevision(row) : undefined;
}

/** Revisions after `revisionId` (oldest first): undoing them restores the state right after it. */
export async function revisionsAfter(db: Conn, placeId: number, revisionId: number): Promise<Revision[]> {
  const rows = await db('place_revisions').where('place_id', placeId).where('id', '>', revisionId).orderBy('id', 'asc');
  return rows.map(toRevision);
}

/**
 * The latest change or confirmation, and the latest confirmation on its own, in one round trip (the
 * public place page shows both on every view).
 */
export async function latestChangeAndVerification(
  db: Conn,
  placeId: number,
): Promise<{ change: Revision | undefined; verification: Revision | undefined }> {
  const latestOf = (which: string, kinds: RevisionKind[]) =>
    db('place_revisions')
      .select('*', db.raw('? AS which', [which]))
      .where('place_id', placeId)
      .whereIn('kind', kinds)
      .orderBy('id', 'desc')
      .limit(1);
  const rows = (await db.unionAll(
    [latestOf('change', ['edit', 'revert', 'labels', 'create', 'verify']), latestOf('verification', ['verify'])],
    true,
  )) as (Record<string, unknown> & { which: string })[];
  const revisionOf = (which: string) => {
    const found = rows.find((row) => row.which === which);
    if (!found) return undefined;
    const { which: _which, ...row } = found;
    return toRevision(row);
  };
  return { change: revisionOf('change'), verification: revisionOf('verification') };
}
