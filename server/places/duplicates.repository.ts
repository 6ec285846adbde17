import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';

type Conn = Db | Knex.Transaction;

/** Why two places may be the same one, as each candidate query finds it. */
export type DuplicateRule = 'pivot' | 'name_nearby' | 'phone' | 'email';

export interface CandidateHit {
  aId: number;
  bId: number;
  rule: DuplicateRule;
  /** Name similarity (pg_trgm, 0–1) and distance in metres, for 'name_nearby'. */
  similarity: number | null;
  distanceM: number | null;
}

const NAME_SIMILARITY_MIN = 0.4;
const NEARBY_METRES = 200;

const PUBLISHED_PAIR = `a.status = 'published' AND b.status = 'published'
  AND NOT EXISTS (SELECT 1 FROM place_duplicate_dismissals d WHERE d.place_a_id = a.id AND d.place_b_id = b.id)`;

/**
 * The pairs each rule finds (a.id < b.id), at most `limit` per rule, within a département when one is
 * given. Each query is driven by an index (pivot, (telephone, code_insee), the GIN on courriels, the
 * GiST on ll_to_earth bounded by an earth_box of 200 m) and stops at its LIMIT, so the page stays
 * fast whatever the number of places; the caller scores the pairs and shows the best first.
 */
export async function candidateHits(db: Db, options: { limit: number; departement?: string }): Promise<CandidateHit[]> {
  const within = options.departement ? 'AND a.departement = ?' : '';
  const bindings = (extra: (string | number)[] = []) => [
    ...extra,
    ...(options.departement ? [options.departement] : []),
  ];
  const queries: [DuplicateRule, string, (string | number)[]][] = [
    [
      'pivot',
      `SELECT a.id AS a_id, b.id AS b_id, NULL::real AS similarity, NULL::real AS distance_m
       FROM places a JOIN places b ON b.pivot = a.pivot AND b.id > a.id
       WHERE a.pivot <> '00000000000000' AND ${PUBLISHED_PAIR} ${within}`,
      bindings(),
    ],
    [
      'name_nearby',
      `SELECT a.id AS a_id, b.id AS b_id,
         similarity(search_normalize(a.nom), search_normalize(b.nom)) AS similarity,
         earth_distance(ll_to_earth(a.latitude, a.longitude), ll_to_earth(b.latitude, b.longitude)) AS distance_m
       FROM places a JOIN places b
         ON earth_box(ll_to_earth(a.latitude, a.longitude), ?) @> ll_to_earth(b.latitude, b.longitude)
         AND b.latitude IS NOT NULL AND b.id > a.id
       WHERE a.latitude IS NOT NULL AND ${PUBLISHED_PAIR} ${within}
         AND similarity(search_normalize(a.nom), search_normalize(b.nom)) >= ?
         AND earth_distance(ll_to_earth(a.latitude, a.longitude), ll_to_earth(b.latitude, b.longitude)) <= ?`,
      [NEARBY_METRES, ...bindings(), NAME_SIMILARITY_MIN, NEARBY_METRES],
    ],
    [
      'phone',
      `SELECT a.id AS a_id, b.id AS b_id, NULL::real AS similarity, NULL::real AS distance_m
       FROM places a JOIN places b ON b.telephone = a.telephone AND b.code_insee = a.code_insee AND b.id > a.id
       WHERE a.telephone IS NOT NULL AND ${PUBLISHED_PAIR} ${within}`,
      bindings(),
    ],
    [
      'email',
      `SELECT a.id AS a_id, b.id AS b_id, NULL::real AS similarity, NULL::real AS distance_m
       FROM places a JOIN places b ON b.courriels && a.courriels AND b.code_insee = a.code_insee AND b.id > a.id
       WHERE cardinality(a.courriels) > 0 AND ${PUBLISHED_PAIR} ${within}`,
      bindings(),
    ],
  ];
  const results = await Promise.all(
    queries.map(async ([rule, sql, values]) => {
      const result = await db.raw<{ rows: Record<string, unknown>[] }>(`${sql} LIMIT ?`, [...values, options.limit]);
      return result.rows.map((row): CandidateHit => ({
        aId: Number(row.a_id),
        bId: Number(row.b_id),
        rule,
        similarity: row.similarity === null ? null : Number(row.similarity),
        distanceM: row.distance_m === null ? null : Number(row.distance_m),
      }));
    }),
  );
  return results.flat();
}

/** The name similarity and distance of one pair (the side-by-side page shows them for any pair). */
export async function pairMeasures(
  db: Db,
  aId: number,
  bId: number,
): Promise<{ similarity: number; distanceM: number | null }> {
  const result = await db.raw<{ rows: { similarity: string; distance_m: string | null }[] }>(
    `SELECT similarity(search_normalize(a.nom), search_normalize(b.nom)) AS similarity,
       CASE WHEN a.latitude IS NULL OR b.latitude IS NULL THEN NULL ELSE
         earth_distance(ll_to_earth(a.latitude, a.longitude), ll_to_earth(b.latitude, b.longitude)) END AS distance_m
     FROM places a, places b WHERE a.id = ? AND b.id = ?`,
    [aId, bId],
  );
  const row = result.rows[0];
  return { similarity: Number(row.similarity), distanceM: row.distance_m === null ? null : Number(row.distance_m) };
}

export async function dismissPair(trx: Conn, pair: [number, number], userId: number, now: Date): Promise<void> {
  const [a, b] = pair[0] < pair[1] ? pair : [pair[1], pair[0]];
  await trx('place_duplicate_dismissals')
    .insert({ place_a_id: a, place_b_id: b, decided_by: userId, decided_at: now })
    .onConflict(['place_a_id', 'place_b_id'])
    .ignore();
}

export async function isDismissed(db: Conn, pair: [number, number]): Promise<boolean> {
  const [a, b] = pair[0] < pair[1] ? pair : [pair[1], pair[0]];
  return Boolean(await db('place_duplicate_dismissals').where({ place_a_id: a, place_b_id: b }).first());
}
