import type { Db } from '../../db/knex.js';
import { BIT_FIELDS, type BitField } from './place-filter.js';
import type { IndexedLabelLink, IndexedPlaceRow } from './place-store.js';

// The six lists of the standard arrive as bitsets (bit n = the n-th value of the standard's list,
// as maskOf), built by PostgreSQL with one CASE per value: ~1 µs a row on its side. Sent as their
// array text ('{a,b}', ~300 characters with accents) they cost the start-up's main thread ~1.8 s at
// 1M places to decode, hash and parse, against ~1 s of PostgreSQL's on the other core. (Six
// correlated subqueries over unnest() cost ~10 µs a row.)
const BIT_COLUMNS: [BitField, string][] = [
  ['services', 'services'],
  ['publics', 'publics_specifiquement_adresses'],
  ['priseEnCharge', 'prise_en_charge_specifique'],
  ['frais', 'frais_a_charge'],
  ['modalitesAcces', 'modalites_acces'],
  ['modalitesAccompagnement', 'modalites_accompagnement'],
];

/** A place's list as its bitset: `(CASE WHEN ? = ANY(p.services) THEN 1 ELSE 0 END + …)`, values bound. */
function bitsetOf(field: BitField, column: string): { sql: string; values: readonly string[] } {
  const values = BIT_FIELDS[field];
  const cases = values.map((_, bit) => `CASE WHEN ? = ANY(p.${column}) THEN ${2 ** bit} ELSE 0 END`);
  return { sql: `(${cases.join(' + ')}) AS "${field}"`, values };
}

const bitsets = BIT_COLUMNS.map(([field, column]) => bitsetOf(field, column));

/** A published place as the index reads it: located or not (text search holds every one). */
export type IndexedRow = Omit<IndexedPlaceRow, 'latitude' | 'longitude'> & {
  latitude: number | null;
  longitude: number | null;
  /** `search_text`: the normalised words text search matches. */
  searchText: string;
};

const INDEXED_SELECT = `SELECT p.id::float8 AS id, p.latitude AS latitude, p.longitude AS longitude,
  p.code_postal AS "codePostal", p.code_insee AS "codeInsee", p.horaires AS horaires,
  p.search_text AS "searchText",
  ${bitsets.map((bitset) => bitset.sql).join(',\n  ')}
FROM places p
WHERE p.status = 'published'`;
/** The values the bitsets' CASEs compare with, in the order of their placeholders. */
const BITSET_VALUES = bitsets.flatMap((bitset) => bitset.values);

/** One batch of the first load, in id order after `afterId` (keyset on the primary key). */
export async function indexedPlacesAfter(db: Db, afterId: number, limit: number): Promise<IndexedRow[]> {
  const result = await db.raw<{ rows: IndexedRow[] }>(`${INDEXED_SELECT} AND p.id > ? ORDER BY p.id LIMIT ?`, [
    ...BITSET_VALUES,
    afterId,
    limit,
  ]);
  return result.rows;
}

/** The indexed form of these places; those hidden or deleted are absent. */
export async function indexedPlacesByIds(db: Db, ids: number[]): Promise<IndexedRow[]> {
  const result = await db.raw<{ rows: IndexedRow[] }>(`${INDEXED_SELECT} AND p.id = ANY(?::bigint[])`, [
    ...BITSET_VALUES,
    ids,
  ]);
  return result.rows;
}

const LINK_SELECT = `SELECT pl.place_id::float8 AS "placeId", pl.label_id AS "labelId",
  (pl.until - DATE '1970-01-01') AS "untilDay"
FROM place_labels pl WHERE pl.verification_status = 'verified'`;

/** Verified label links of the places whose ids lie in [fromId, toId] (a load batch). */
export async function labelLinksBetween(db: Db, fromId: number, toId: number): Promise<IndexedLabelLink[]> {
  const result = await db.raw<{ rows: IndexedLabelLink[] }>(`${LINK_SELECT} AND pl.place_id BETWEEN ? AND ?`, [
    fromId,
    toId,
  ]);
  return result.rows;
}

export async function labelLinksOf(db: Db, ids: number[]): Promise<IndexedLabelLink[]> {
  const result = await db.raw<{ rows: IndexedLabelLink[] }>(`${LINK_SELECT} AND pl.place_id = ANY(?::bigint[])`, [ids]);
  return result.rows;
}

/** The last change logged by the places triggers (0 when none): where the index starts listening. */
export async function latestChange(db: Db): Promise<number> {
  const result = await db.raw<{ rows: { seq: number }[] }>(
    'SELECT coalesce(max(seq), 0)::float8 AS seq FROM place_changes',
  );
  return result.rows[0].seq;
}

/**
 * The place a bulk load logs (migration 20261203_0100): no place has id 0, and it stands for every
 * place, which an instance then reads again.
 */
export const EVERY_PLACE = 0;
/** What a write to `labels` logs (migration 20261203_0200): no place to read again, only pages to forget. */
export const LABELS = -1;

export interface PlaceChange {
  seq: number;
  placeId: number;
}

/** Committed changes in a range of the log (`last` undefined: up to the newest). */
export async function changesBetween(db: Db, first: number, last?: number): Promise<PlaceChange[]> {
  const query = db('place_changes')
    .select<PlaceChange[]>(db.raw('seq::float8 AS seq'), db.raw('place_id::float8 AS "placeId"'))
    .where('seq', '>=', first)
    .orderBy('seq');
  if (last !== undefined) query.where('seq', '<=', last);
  return query;
}

/** The log is a short-term journal: every instance has read a change within seconds. */
export async function pruneChanges(db: Db, olderThanMinutes: number): Promise<void> {
  await db.raw(`DELETE FROM place_changes WHERE changed_at < now() - make_interval(mins => ?)`, [olderThanMinutes]);
}

/** The names of the single places shown on the map, and the newest change in the log: one round trip. */
export async function placeNamesForMap(
  db: Db,
  ids: number[],
): Promise<{ names: Map<number, string>; latestChange: number }> {
  const result = await db.raw<{ rows: { latest_change: number; id: string | null; nom: string | null }[] }>(
    `SELECT s.latest_change, p.id, p.nom
     FROM (SELECT coalesce(max(seq), 0)::float8 AS latest_change FROM place_changes) s
     LEFT JOIN places p ON p.id = ANY(?::bigint[])`,
    [ids],
  );
  const names = new Map<number, string>();
  for (const row of result.rows) if (row.id !== null && row.nom !== null) names.set(Number(row.id), row.nom);
  return { names, latestChange: result.rows[0]?.latest_change ?? 0 };
}
