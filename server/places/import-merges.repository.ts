import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import type { FieldChanges } from './place-history.repository.js';
import type { NewPlaceRow } from './place-writes.repository.js';

/** A row of another source merged into a place at import (an alias of that place), as it can be separated. */
export interface ImportMerge {
  id: number;
  source: string;
  sourceId: string;
  placeId: number;
  reason: string;
  /** The row as it would have been created, with its labels; null for a merge made before it was kept. */
  record: { row: NewPlaceRow; labelIds: number[] } | null;
  labelsAdded: number[];
  fieldsFilled: FieldChanges;
  createdAt: Date;
  separatedAt: Date | null;
  separatedPlaceId: number | null;
}

const toImportMerge = (row: Record<string, unknown>): ImportMerge => ({
  id: Number(row.id),
  source: row.source as string,
  sourceId: row.source_id as string,
  placeId: Number(row.place_id),
  reason: row.reason as string,
  record: (row.record as ImportMerge['record']) ?? null,
  labelsAdded: (row.labels_added as number[]).map(Number),
  fieldsFilled: row.fields_filled as FieldChanges,
  createdAt: row.created_at as Date,
  separatedAt: (row.separated_at as Date | null) ?? null,
  separatedPlaceId: row.separated_place_id === null ? null : Number(row.separated_place_id),
});

/** The merge, locked until the end of the transaction (two moderators never separate it twice). */
export async function lockImportMerge(trx: Knex.Transaction, id: number): Promise<ImportMerge | undefined> {
  const row = await trx('place_source_aliases').where({ id }).forUpdate().first<Record<string, unknown> | undefined>();
  return row ? toImportMerge(row) : undefined;
}

export async function markImportMergeSeparated(
  trx: Knex.Transaction,
  id: number,
  separation: { userId: number | null; placeId: number; at: Date },
): Promise<void> {
  await trx('place_source_aliases')
    .where({ id })
    .update({ separated_at: separation.at, separated_by: separation.userId, separated_place_id: separation.placeId });
}

/** The latest import merges still in force, with the place's name, for the moderators' list. */
export async function recentImportMerges(db: Db, limit: number) {
  const rows = await db('place_source_aliases as a')
    .join('places as p', 'p.id', 'a.place_id')
    .whereNull('a.separated_at')
    .select<Record<string, unknown>[]>(
      'a.id',
      'a.source',
      'a.source_id',
      'a.place_id',
      'a.reason',
      'a.created_at',
      'p.nom as place_nom',
      db.raw('a.record IS NOT NULL AS separable'),
      db.raw("a.record #>> '{row,nom}' AS row_nom"),
    )
    .orderBy('a.id', 'desc')
    .limit(limit);
  return rows.map((row) => ({
    id: Number(row.id),
    source: row.source as string,
    placeId: Number(row.place_id),
    placeNom: row.place_nom as string,
    rowNom: (row.row_nom as string | null) ?? null,
    reason: row.reason as string,
    createdAt: row.created_at as Date,
    separable: row.separable as boolean,
  }));
}

/** The place's columns (snake_case) as stored, locked: what a separation compares with what it filled. */
export async function lockedPlaceColumns(
  trx: Knex.Transaction,
  placeId: number,
): Promise<Record<string, unknown> | undefined> {
  return trx('places').where({ id: placeId }).forUpdate().first<Record<string, unknown> | undefined>();
}
