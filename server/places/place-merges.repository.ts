import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import type { FieldChanges } from './place-history.repository.js';

type Conn = Db | Knex.Transaction;

/*
 * Merges of duplicate places: the record of what each merge changed (`place_merges`) and the label
 * links it copied. Only place-writes.service.ts writes through it, inside its transactions.
 */

export interface PlaceMerge {
  id: number;
  keptId: number;
  mergedId: number;
  mergedStatus: 'published' | 'hidden';
  keptChanges: FieldChanges;
  labelsAdded: number[];
  articlesMoved: number[];
  mergedBy: number | null;
  mergedAt: Date;
  undoneAt: Date | null;
}

const toMerge = (row: Record<string, unknown>): PlaceMerge => ({
  id: Number(row.id),
  keptId: Number(row.kept_id),
  mergedId: Number(row.merged_id),
  mergedStatus: row.merged_status as PlaceMerge['mergedStatus'],
  keptChanges: row.kept_changes as FieldChanges,
  labelsAdded: (row.labels_added as number[]).map(Number),
  articlesMoved: (row.articles_moved as number[]).map(Number),
  mergedBy: row.merged_by === null ? null : Number(row.merged_by),
  mergedAt: row.merged_at as Date,
  undoneAt: (row.undone_at as Date | null) ?? null,
});

/** Copies the merged place's label links the kept one lacks; returns the label ids copied. */
export async function copyLabelLinks(trx: Conn, fromId: number, toId: number): Promise<number[]> {
  const result = await trx.raw<{ rows: { label_id: string | number }[] }>(
    `INSERT INTO place_labels (place_id, label_id, since, until, verification_status, origin, created_at)
     SELECT ?, label_id, since, until, verification_status, origin, created_at FROM place_labels WHERE place_id = ?
     ON CONFLICT (place_id, label_id) DO NOTHING RETURNING label_id`,
    [toId, fromId],
  );
  return result.rows.map((row) => Number(row.label_id));
}

export async function removeLabelLinks(trx: Conn, placeId: number, labelIds: number[]): Promise<void> {
  if (labelIds.length) await trx('place_labels').where('place_id', placeId).whereIn('label_id', labelIds).delete();
}

export async function insertMerge(
  trx: Conn,
  merge: Omit<PlaceMerge, 'id' | 'undoneAt' | 'mergedAt'>,
  now: Date,
): Promise<number> {
  const [row] = await trx('place_merges')
    .insert({
      kept_id: merge.keptId,
      merged_id: merge.mergedId,
      merged_status: merge.mergedStatus,
      kept_changes: JSON.stringify(merge.keptChanges),
      labels_added: merge.labelsAdded,
      articles_moved: merge.articlesMoved,
      merged_by: merge.mergedBy,
      merged_at: now,
    })
    .returning<{ id: string | number }[]>('id');
  return Number(row.id);
}

export async function findMerge(db: Conn, id: number, options: { lock?: boolean } = {}) {
  const query = db('place_merges').where({ id });
  if (options.lock) query.forUpdate();
  const row = await query.first<Record<string, unknown> | undefined>();
  return row ? toMerge(row) : undefined;
}

export async function markMergeUndone(trx: Conn, id: number, userId: number | null, now: Date): Promise<void> {
  await trx('place_merges').where({ id }).update({ undone_at: now, undone_by: userId });
}

/** The latest merges, with both places' names, for the moderators' list (undo buttons). */
export async function recentMerges(db: Db, limit: number) {
  const rows = await db('place_merges as m')
    .join('places as k', 'k.id', 'm.kept_id')
    .join('places as g', 'g.id', 'm.merged_id')
    .select<Record<string, unknown>[]>('m.*', 'k.nom as kept_nom', 'g.nom as merged_nom')
    .orderBy('m.id', 'desc')
    .limit(limit);
  return rows.map((row) => ({ ...toMerge(row), keptNom: row.kept_nom as string, mergedNom: row.merged_nom as string }));
}

/**
 * Where a merged-away place now lives: follows merged_into_id (a place merged into one merged later)
 * to the end, at most a few steps. Undefined when `id` is not a merged place.
 */
export async function mergeTarget(db: Conn, id: number): Promise<number | undefined> {
  let current = id;
  for (let step = 0; step < 10; step++) {
    const row = await db('places')
      .where({ id: current })
      .first<{ status: string; merged_into_id: string | null } | undefined>('status', 'merged_into_id');
    if (row?.status !== 'merged' || row.merged_into_id === null) return current === id ? undefined : current;
    current = Number(row.merged_into_id);
  }
  return current;
}
