import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';

type Conn = Db | Knex.Transaction;

/** A place as the importer compares it with an incoming row: its `places` columns (snake_case). */
export type StoredPlaceColumns = Record<string, unknown> & { id: number; date_maj: string };

/**
 * The places already holding these (source, source_id) keys, directly or through an alias left
 * by an earlier merge. Keyed by "source\u0000source_id".
 */
export async function findPlacesBySourceKeys(
  trx: Conn,
  keys: { source: string; sourceId: string }[],
): Promise<Map<string, { place: StoredPlaceColumns; viaAlias: boolean }>> {
  const found = new Map<string, { place: StoredPlaceColumns; viaAlias: boolean }>();
  if (keys.length === 0) return found;
  const pairs = keys.map((key) => [key.source, key.sourceId]);
  const direct = await trx('places').whereIn(['source', 'source_id'], pairs).select<StoredPlaceColumns[]>('*');
  for (const place of direct)
    found.set(`${String(place.source)}\u0000${String(place.source_id)}`, { place, viaAlias: false });
  // A separated merge's row is a place of its own now, found directly.
  const aliases = await trx('place_source_aliases')
    .whereIn(['source', 'source_id'], pairs)
    .whereNull('separated_at')
    .select<{ source: string; source_id: string; place_id: number }[]>('source', 'source_id', 'place_id');
  if (aliases.length) {
    const places = await trx('places')
      .whereIn(
        'id',
        aliases.map((alias) => alias.place_id),
      )
      .select<StoredPlaceColumns[]>('*');
    const byId = new Map(places.map((place) => [place.id, place]));
    for (const alias of aliases) {
      const place = byId.get(alias.place_id);
      if (place) found.set(`${alias.source}\u0000${alias.source_id}`, { place, viaAlias: true });
    }
  }
  return found;
}

export interface MatchCandidate {
  index: number;
  pivot: string;
  nom: string;
  latitude: number;
  longitude: number;
}

/**
 * For each candidate, the place here that is the same one with high confidence: within
 * `radiusMeters`, the same SIRET (`pivot`, fourteen zeros excluded) or a name at least `minSimilarity`
 * alike (pg_trgm, accents and case folded). Uses the ll_to_earth GiST index through earth_box.
 * The same SIRET far away is not enough: a structure (one SIRET) often runs several places.
 */
export async function findSamePlaces(
  trx: Conn,
  candidates: MatchCandidate[],
  options: { radiusMeters: number; minSimilarity: number },
): Promise<Map<number, { placeId: number; reason: 'pivot' | 'nom-proche'; similarity: number }>> {
  const matches = new Map<number, { placeId: number; reason: 'pivot' | 'nom-proche'; similarity: number }>();
  if (candidates.length === 0) return matches;
  const result = await trx.raw<{ rows: { idx: number; id: number; reason: 'pivot' | 'nom-proche'; sim: number }[] }>(
    `SELECT c.idx, m.id, m.reason, m.sim
       FROM unnest(?::int[], ?::text[], ?::text[], ?::float8[], ?::float8[]) AS c(idx, pivot, nom, lat, lon)
       CROSS JOIN LATERAL (
         SELECT p.id,
                CASE WHEN c.pivot <> '00000000000000' AND p.pivot = c.pivot
                     THEN 'pivot' ELSE 'nom-proche' END AS reason,
                similarity(search_normalize(p.nom), search_normalize(c.nom)) AS sim
           FROM places p
          WHERE earth_box(ll_to_earth(c.lat, c.lon), ?) @> ll_to_earth(p.latitude, p.longitude)
            AND earth_distance(ll_to_earth(c.lat, c.lon), ll_to_earth(p.latitude, p.longitude)) <= ?
            AND ((c.pivot <> '00000000000000' AND p.pivot = c.pivot)
                 OR similarity(search_normalize(p.nom), search_normalize(c.nom)) >= ?)
          ORDER BY (c.pivot <> '00000000000000' AND p.pivot = c.pivot) DESC, 3 DESC, p.id
          LIMIT 1) m`,
    [
      candidates.map((c) => c.index),
      candidates.map((c) => c.pivot),
      candidates.map((c) => c.nom),
      candidates.map((c) => c.latitude),
      candidates.map((c) => c.longitude),
      options.radiusMeters,
      options.radiusMeters,
      options.minSimilarity,
    ],
  );
  for (const row of result.rows) matches.set(row.idx, { placeId: row.id, reason: row.reason, similarity: row.sim });
  return matches;
}

export async function findPlaceColumnsByIds(trx: Conn, ids: number[]): Promise<Map<number, StoredPlaceColumns>> {
  if (ids.length === 0) return new Map();
  const rows = await trx('places')
    .whereIn('id', [...new Set(ids)])
    .select<StoredPlaceColumns[]>('*');
  return new Map(rows.map((row) => [row.id, row]));
}
