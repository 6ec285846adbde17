import type { Db } from '../../db/knex.js';
import { BIT_FIELDS } from './place-filter.js';
import type { IndexedLabelLink, IndexedPlaceRow } from './place-store.js';

// The filters' bitsets are built by PostgreSQL: a million rows arrive as small integers instead of
// six text arrays each for Node to parse (bit n = the n-th value of the standard's list).
const BIT_COLUMNS: [keyof typeof BIT_FIELDS, string][] = [
  ['services', 'services'],
  ['publics', 'publics_specifiquement_adresses'],
  ['priseEnCharge', 'prise_en_charge_specifique'],
  ['frais', 'frais_a_charge'],
  ['modalitesAcces', 'modalites_acces'],
  ['modalitesAccompagnement', 'modalites_accompagnement'],
];

const bitsSql = BIT_COLUMNS.map(
  ([field, column]) =>
    `(SELECT coalesce(bit_or(1 << (array_position(?::text[], v) - 1)), 0) FROM unnest(p.${column}) v) AS "${field}"`,
).join(',\n');
const bitsBindings = BIT_COLUMNS.map(([field]) => [...BIT_FIELDS[field]]);

const INDEXED_SELECT = `SELECT p.id::float8 AS id, p.latitude AS latitude, p.longitude AS longitude,
  p.code_postal AS "codePostal", p.code_insee AS "codeInsee", p.horaires AS horaires,
  ${bitsSql}
FROM places p
WHERE p.status = 'published' AND p.latitude IS NOT NULL`;

/** One batch of the first load, in id order after `afterId` (keyset on the primary key). */
export async function indexedPlacesAfter(db: Db, afterId: number, limit: number): Promise<IndexedPlaceRow[]> {
  const result = await db.raw<{ rows: IndexedPlaceRow[] }>(`${INDEXED_SELECT} AND p.id > ? ORDER BY p.id LIMIT ?`, [
    ...bitsBindings,
    afterId,
    limit,
  ]);
  return result.rows;
}

/** The indexed form of these places; those hidden, deleted or without a position are absent. */
export async function indexedPlacesByIds(db: Db, ids: number[]): Promise<IndexedPlaceRow[]> {
  const result = await db.raw<{ rows: IndexedPlaceRow[] }>(`${INDEXED_SELECT} AND p.id = ANY(?::bigint[])`, [
    ...bitsBindings,
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
