import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { runPrepared } from '../db/prepared.js';
import { camelize } from '../db/rows.js';
import { chordMetresForKm, earthBoxMetresForKm, type LatLon } from './geo.js';
import type { Place, PlaceLabelLink } from './places.types.js';
import { correctedSearchText } from './search-words.repository.js';

export const PLACE_COLUMNS = [
  'id',
  'source',
  'source_id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'latitude',
  'longitude',
  'location_precision',
  'typologie',
  'telephone',
  'courriels',
  'site_web',
  'horaires',
  'presentation_resume',
  'presentation_detail',
  'itinerance',
  'structure_parente',
  'date_maj',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'autres_formations_labels',
  'modalites_acces',
  'modalites_accompagnement',
  'fiche_acces_libre',
  'prise_rdv',
  'status',
  'import_issues',
  'version',
  'created_at',
  'updated_at',
  'verified_at',
] as const;

const toPlace = (row: Record<string, unknown>) => ({ ...camelize(row), id: Number(row.id) }) as unknown as Place;

export interface SearchCriteria {
  point?: LatLon;
  radiusKm?: number;
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  /**
   * The box holds many places (France-wide): written as latitude and longitude ranges, which the
   * planner estimates from the columns' statistics, so it walks the name index and stops at the
   * page. The spatial form (`<@`, for small boxes) is estimated at 0.1 % of the rows whatever the
   * box: France-wide at 1M places it read the whole box and sorted it (2 s).
   */
  bboxHoldsMany?: boolean;
  q?: string;
  codeInsee?: string;
  codePostal?: string;
  services?: string[];
  publics?: string[];
  priseEnCharge?: string[];
  frais?: string[];
  modalitesAcces?: string[];
  modalitesAccompagnement?: string[];
  labels?: string[];
  /** Only places whose stored quality score (server/places/place-quality.ts) is at least this. */
  minQuality?: number;
  /** Only places whose opening hours are written (an "open at" search can skip the others). */
  withHours?: boolean;
}

export type SortMode = 'distance' | 'relevance' | 'name';

export interface SortPosition {
  key: number | string;
  id: number;
}

export interface SearchPage {
  mode: SortMode;
  limit: number;
  after?: SortPosition;
}

export function sortModeFor(criteria: SearchCriteria): SortMode {
  if (criteria.point) return 'distance';
  if (criteria.q) return 'relevance';
  return 'name';
}

/** The ordering expression of each mode; `distance` is exactly the GiST index expression. */
function sortExpression(mode: SortMode, criteria: SearchCriteria): [string, (string | number)[]] {
  if (mode === 'distance') {
    const point = criteria.point;
    if (!point) throw new Error('Tri par distance sans point de référence');
    return ['ll_to_earth(p.latitude, p.longitude) <-> ll_to_earth(?, ?)', [point.lat, point.lon]];
  }
  if (mode === 'relevance') {
    if (criteria.q === undefined) throw new Error('Tri par pertinence sans texte recherché');
    // 1 - word_similarity, as the GiST trigram index orders it (migration 20261202_0600).
    return ['p.search_text <->> search_normalize(?)', [criteria.q]];
  }
  return ['lower(p.nom)', []];
}

const ARRAY_FILTERS: [keyof SearchCriteria, string][] = [
  ['services', 'services'],
  ['publics', 'publics_specifiquement_adresses'],
  ['priseEnCharge', 'prise_en_charge_specifique'],
  ['frais', 'frais_a_charge'],
  ['modalitesAcces', 'modalites_acces'],
  ['modalitesAccompagnement', 'modalites_accompagnement'],
];

const VISIBLE_LINK = `pl.verification_status = 'verified' AND (pl.until IS NULL OR pl.until >= current_date)`;

export function applyCriteria(query: Knex.QueryBuilder, criteria: SearchCriteria): Knex.QueryBuilder {
  query.where('p.status', 'published');
  if (criteria.point || criteria.bbox) query.whereNotNull('p.latitude');
  if (criteria.point && criteria.radiusKm !== undefined) {
    // earth_box() bounds the GiST scan: without it, a nearest-first scan that finds fewer rows
    // than asked inside the radius walks the whole table (a rural search: 0.3 s on 100k places).
    query.whereRaw('earth_box(ll_to_earth(?, ?), ?) @> ll_to_earth(p.latitude, p.longitude)', [
      criteria.point.lat,
      criteria.point.lon,
      earthBoxMetresForKm(criteria.radiusKm),
    ]);
    query.whereRaw('ll_to_earth(p.latitude, p.longitude) <-> ll_to_earth(?, ?) <= ?', [
      criteria.point.lat,
      criteria.point.lon,
      chordMetresForKm(criteria.radiusKm),
    ]);
  }
  if (criteria.bbox) {
    const { minLon, minLat, maxLon, maxLat } = criteria.bbox;
    if (criteria.bboxHoldsMany) {
      query.whereBetween('p.longitude', [minLon, maxLon]).whereBetween('p.latitude', [minLat, maxLat]);
    } else {
      const corners = [minLon, minLat, maxLon, maxLat];
      query.whereRaw('point(p.longitude, p.latitude) <@ box(point(?, ?), point(?, ?))', corners);
    }
  }
  // Word similarity ≥ pg_trgm.word_similarity_threshold (0.6): accents and case never count, a typo
  // or a missing word is forgiven. An index condition of the GiST index, which prunes on it.
  if (criteria.q) query.whereRaw('p.search_text %> search_normalize(?)', [criteria.q]);
  if (criteria.withHours) query.whereNotNull('p.horaires');
  if (criteria.minQuality !== undefined) query.where('p.quality', '>=', criteria.minQuality);
  if (criteria.codeInsee) query.where('p.code_insee', criteria.codeInsee);
  if (criteria.codePostal) query.where('p.code_postal', criteria.codePostal);
  for (const [key, column] of ARRAY_FILTERS) {
    const values = criteria[key] as string[] | undefined;
    if (values?.length) query.whereRaw(`p.${column} && ?::text[]`, [values]);
  }
  const labels = criteria.labels;
  if (labels?.length) {
    query.whereExists((sub) => {
      sub
        .select(sub.client.raw('1'))
        .from('place_labels as pl')
        .join('labels as l', 'l.id', 'pl.label_id')
        .whereRaw('pl.place_id = p.id')
        .whereRaw(VISIBLE_LINK)
        .whereIn('l.slug', labels);
    });
  }
  return query;
}

/**
 * The typed words put to the places' own (search-words.repository.ts): the trigram index finds
 * exact words at once, and walks far for a near miss. The same text gives the same correction, so
 * a cursor stays valid from page to page. Done once per search by the caller of searchPlaces (the
 * places service) and of publishedPlaceBatches (the export), before their batches.
 */
export async function withCorrectedText(db: Db, criteria: SearchCriteria): Promise<SearchCriteria> {
  return criteria.q ? { ...criteria, q: await correctedSearchText(db, criteria.q) } : criteria;
}

export type PlaceWithSortKey = Place & { sortKey: number | string };

/** One page of published places in a stable order, after `page.after` (keyset pagination). */
export async function searchPlaces(db: Db, criteria: SearchCriteria, page: SearchPage): Promise<PlaceWithSortKey[]> {
  const [keySql, keyBindings] = sortExpression(page.mode, criteria);
  const query = db('places as p')
    .select(PLACE_COLUMNS.map((c) => `p.${c}`))
    .select<Record<string, unknown>[]>(db.raw(`${keySql} AS sort_key`, keyBindings));
  applyCriteria(query, criteria);
  if (page.after) query.whereRaw(`(${keySql}, p.id) > (?, ?)`, [...keyBindings, page.after.key, page.after.id]);
  // By relevance the tie-break is the index's own second column (the id as a float distance):
  // ordering by plain p.id would read and sort every place tied at the best distance.
  const tieBreak = page.mode === 'relevance' ? '(p.id::float8 <-> 0::float8)' : 'p.id';
  query.orderByRaw(`${keySql}, ${tieBreak}`, keyBindings).limit(page.limit);
  const rows = await query;
  return rows.map((row) => ({ ...toPlace(row), sortKey: row.sort_key as number | string }));
}

/**
 * How many places match, counting no further than `upTo`: an unbounded count(*) read every place
 * in the area on each search (Paris 30 km at 1M places: 114,000 rows, 2.7 s); past `upTo`
 * nobody reads the exact figure anyway.
 */
export async function countPlacesUpTo(db: Db, criteria: SearchCriteria, upTo: number): Promise<number> {
  const matches = applyCriteria(db('places as p').select(db.raw('1')), criteria).limit(upTo);
  const [row] = await db.from(matches.as('m')).count<{ count: number }[]>('* as count');
  return row.count;
}

export async function findPlaceById(db: Db | Knex.Transaction, id: number): Promise<Place | undefined> {
  const row = await db('places as p')
    .select(PLACE_COLUMNS.map((c) => `p.${c}`))
    .where('p.id', id)
    .first<Record<string, unknown> | undefined>();
  return row ? toPlace(row) : undefined;
}

export async function visibleLabelsForPlaces(db: Db, placeIds: number[]): Promise<PlaceLabelLink[]> {
  if (placeIds.length === 0) return [];
  const rows = await db('place_labels as pl')
    .join('labels as l', 'l.id', 'pl.label_id')
    .select<({ place_id: number } & Record<string, unknown>)[]>(
      'pl.place_id',
      'l.slug',
      'l.name',
      'l.kind',
      'l.standard_field',
      'l.standard_value',
      'pl.since',
      'pl.until',
    )
    .whereIn('pl.place_id', placeIds)
    .whereRaw(VISIBLE_LINK)
    .orderBy(['l.name']);
  return rows.map((row) => ({ ...camelize(row), placeId: row.place_id }) as PlaceLabelLink);
}

/**
 * A place and its visible labels in one round trip (the place page and the detail API ask for both on
 * every view; two queries cost twice the socket writes, which dominate a page at 1M places).
 */
export async function findPlaceWithVisibleLabels(
  db: Db,
  id: number,
): Promise<{ place: Place; labels: PlaceLabelLink[] } | undefined> {
  const query = db('places as p')
    .select(PLACE_COLUMNS.map((c) => `p.${c}`))
    .select(
      db.raw(
        `coalesce((SELECT json_agg(json_build_object('slug', l.slug, 'name', l.name, 'kind', l.kind,
            'standard_field', l.standard_field, 'standard_value', l.standard_value,
            'since', pl.since, 'until', pl.until) ORDER BY l.name)
          FROM place_labels pl JOIN labels l ON l.id = pl.label_id
          WHERE pl.place_id = p.id AND ${VISIBLE_LINK}), '[]'::json) AS visible_labels`,
      ),
    )
    .where('p.id', id)
    .limit(1);
  // The place page's query: prepared once per connection (see runPrepared).
  const rows = await runPrepared<Record<string, unknown> & { visible_labels: Record<string, unknown>[] }>(
    db,
    'place-with-visible-labels',
    query,
  );
  const row = rows.at(0);
  if (!row) return undefined;
  const { visible_labels: links, ...placeRow } = row;
  const place = toPlace(placeRow);
  return { place, labels: links.map((link) => ({ ...camelize(link), placeId: place.id }) as PlaceLabelLink) };
}

/** Several places at once (the moderation queue, "Mon espace"): one query, keyed by id. */
export async function findPlacesByIds(db: Db | Knex.Transaction, ids: number[]): Promise<Map<number, Place>> {
  if (ids.length === 0) return new Map();
  const rows = await db('places as p')
    .select<Record<string, unknown>[]>(PLACE_COLUMNS.map((c) => `p.${c}`))
    .whereIn('p.id', [...new Set(ids)]);
  return new Map(rows.map((row) => [Number(row.id), toPlace(row)]));
}

export interface PlaceLabelState {
  placeId: number;
  labelId: number;
  slug: string;
  name: string;
  status: string;
}

/** Every label link of these places, whatever its status, by label name. */
export async function labelLinksOfPlaces(db: Db | Knex.Transaction, placeIds: number[]): Promise<PlaceLabelState[]> {
  if (placeIds.length === 0) return [];
  const rows = await db('place_labels as pl')
    .join('labels as l', 'l.id', 'pl.label_id')
    .select('pl.place_id', 'pl.label_id', 'l.slug', 'l.name', 'pl.verification_status')
    .whereIn('pl.place_id', [...new Set(placeIds)])
    .orderBy('l.name');
  return rows.map((r: Record<string, unknown>) => ({
    placeId: Number(r.place_id),
    labelId: Number(r.label_id),
    slug: r.slug as string,
    name: r.name as string,
    status: r.verification_status as string,
  }));
}
