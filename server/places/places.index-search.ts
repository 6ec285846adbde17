import { parisToday } from '../shared/paris-time.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { PlaceIndex } from './index/place-index.js';
import type { IndexFilter } from './index/place-filter.js';
import type { DisplayedPlace } from './index/place-display.repository.js';
import type { LatLon } from './geo.js';
import { DEFAULT_RADIUS_KM } from './places.query.js';
import { textWords } from './index/trigrams.js';
import { boundedCache } from '../shared/bounded-cache.js';
import type { SearchCriteria } from './places.repository.js';
import type { PlacesPage, PlaceSummary } from './places.responses.js';

const daysSinceEpoch = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

/**
 * Whether the index answers this text search: the text alone (it holds every published place, located
 * or not; with a place, a box or a filter the search stays in SQL, which filters places the index
 * does not locate).
 */
export function indexAnswersText(criteria: SearchCriteria): criteria is SearchCriteria & { q: string } {
  const { q, withHours, ...rest } = criteria;
  return q !== undefined && !withHours && Object.values(rest).every((value: unknown) => value === undefined);
}

/**
 * Whether the index answers this search: around a point, with or without a text (a costly text may
 * still be handed to SQL, see searchWithIndex).
 */
export function indexAnswers(criteria: SearchCriteria): criteria is SearchCriteria & { point: LatLon } {
  // The index holds no quality score yet: a min_quality search is answered by SQL.
  return criteria.point !== undefined && criteria.minQuality === undefined;
}

export function indexFilterOf(
  criteria: SearchCriteria,
  extra: { labelIds?: number[]; openAt?: Date; now: Date },
): IndexFilter {
  return {
    services: criteria.services,
    publics: criteria.publics,
    priseEnCharge: criteria.priseEnCharge,
    frais: criteria.frais,
    modalitesAcces: criteria.modalitesAcces,
    modalitesAccompagnement: criteria.modalitesAccompagnement,
    codeInsee: criteria.codeInsee,
    codePostal: criteria.codePostal,
    bbox: criteria.bbox,
    labelIds: extra.labelIds,
    openAt: extra.openAt,
    today: daysSinceEpoch(parisToday(extra.now)),
  };
}

export interface IndexSearchRequest {
  criteria: SearchCriteria & { point: LatLon };
  filter: IndexFilter;
  limit: number;
  cursor?: string;
  /** The text's words, normalised and corrected, when the search has one (asked once caught up). */
  textWords?: () => Promise<string[]>;
}

type Summarize = (place: DisplayedPlace, distanceKm: number) => PlaceSummary;

/** The keyset position after which a page starts, from the visitor's cursor (its key a number in both modes). */
function afterCursor(cursor: string | undefined, mode: 'distance' | 'relevance') {
  const position = cursor ? decodeCursor(cursor, mode) : undefined;
  return position ? { key: Number(position.key), id: position.id } : undefined;
}

/**
 * One page from ids the index picks (`limit + 1` of them, ordered by key then id), once this instance
 * has caught up: the rows to show come from the index's display cache or one query by id; if a change
 * was applied meanwhile (a notification), it picks again. A place deleted between the pick and the
 * read is left out. Undefined when the index leaves the search to SQL.
 */
async function pageOfPicked<H extends { id: number; key: number }>(
  index: PlaceIndex,
  pick: () => H[] | undefined,
  page: { limit: number; today: number; mode: 'distance' | 'relevance' },
  summarize: (place: DisplayedPlace, hit: H) => PlaceSummary,
): Promise<PlacesPage | undefined> {
  const { limit, today } = page;
  const show = (picked: H[]) =>
    index.displayed(
      picked.slice(0, limit).map((h) => h.id),
      today,
    );
  const seen = index.version;
  let hits = pick();
  if (!hits) return undefined;
  let shown = await show(hits);
  if (index.version !== seen) {
    hits = pick();
    if (!hits) return undefined;
    shown = await show(hits);
  }
  const kept = hits.slice(0, limit).flatMap((hit) => {
    const place = shown.get(hit.id);
    return place ? [{ hit, place }] : [];
  });
  const last = kept.at(-1)?.hit;
  return {
    items: kept.map(({ hit, place }) => summarize(place, hit)),
    next_cursor: hits.length > limit && last ? encodeCursor(page.mode, { key: last.key, id: last.id }) : null,
  };
}

/**
 * One page nearest first: this instance first applies every change committed before the request
 * (one read of the change log, shared with concurrent requests), then the index picks the ids
 * (selection, order, filters, "open at", text) and pageOfPicked shows them. Undefined when the index
 * leaves the search to SQL (a text too costly to test here).
 */
export async function searchWithIndex(
  deps: { index: PlaceIndex },
  request: IndexSearchRequest,
  summarize: Summarize,
): Promise<PlacesPage | undefined> {
  const { index } = deps;
  const ticket = index.freshnessTicket();
  await index.start();
  const { criteria, filter, limit } = request;
  const after = afterCursor(request.cursor, 'distance');
  const search = {
    lat: criteria.point.lat,
    lon: criteria.point.lon,
    radiusKm: criteria.radiusKm ?? DEFAULT_RADIUS_KM,
    filter,
    textWords: undefined as string[] | undefined,
  };
  await index.freshen(ticket);
  search.textWords = await request.textWords?.();
  return pageOfPicked(
    index,
    () => index.nearest(search, { limit: limit + 1, after }),
    { limit, today: filter.today, mode: 'distance' },
    (place, hit) => summarize(place, hit.distanceKm),
  );
}

/**
 * How many places the search finds (no further than `upTo`), from memory, once this instance has
 * caught up with the change log (one small query): the count agrees with the page searched beside it.
 * Undefined when a text makes it too costly (not counted).
 */
export async function countWithIndex(
  deps: { index: PlaceIndex },
  criteria: SearchCriteria & { point: LatLon },
  filter: IndexFilter,
  upTo: number,
  textWords?: () => Promise<string[]>,
) {
  const { index } = deps;
  const ticket = index.freshnessTicket();
  await index.start();
  await index.freshen(ticket);
  const words = await textWords?.();
  return index.count(
    {
      lat: criteria.point.lat,
      lon: criteria.point.lon,
      radiusKm: criteria.radiusKm ?? DEFAULT_RADIUS_KM,
      filter,
      textWords: words,
    },
    upTo,
  );
}

type SummarizeFound = (place: DisplayedPlace) => PlaceSummary;

/** Corrections remembered (each a short list of words), a minute at most: those of older versions age out. */
const CORRECTIONS = { maxEntries: 1000, maxAgeMs: 60_000 };

/**
 * The query's corrected words, asked of PostgreSQL once per text and index version: a page and its
 * count ask together, and people type the same words again. `correct`: the query of
 * search-words.repository.ts (its words change with the places, so with the version).
 */
export function createCorrectedWords(correct: (q: string) => Promise<string>, version: () => number) {
  const kept = boundedCache<string[]>(CORRECTIONS);
  return (q: string): Promise<string[]> => kept(`${version()}|${q}`, async () => textWords(await correct(q)));
}

export interface TextSearchDeps {
  index: PlaceIndex;
  /** The query's words, normalised and each put to the places' nearest (search-words.repository.ts). */
  correctedWords: (q: string) => Promise<string[]>;
}

/**
 * One page of a text search from memory, best match first (as SQL's `search_text <->> query`, then
 * id): the index picks the ids once it has caught up with the change log, the rows come as for a
 * nearest search. Undefined before the first load.
 */
export async function searchTextWithIndex(
  deps: TextSearchDeps,
  request: { q: string; limit: number; cursor?: string; now: Date; countUpTo?: number },
  summarize: SummarizeFound,
): Promise<PlacesPage | undefined> {
  const { index } = deps;
  const ticket = index.freshnessTicket();
  await index.start();
  const { limit, countUpTo } = request;
  const after = afterCursor(request.cursor, 'relevance');
  await index.freshen(ticket);
  // Corrected under the fresh version: a word just given to a place is no longer put to another.
  const words = await deps.correctedWords(request.q);
  return pageOfPicked(
    index,
    () => index.searchText(words, { limit: limit + 1, after, countUpTo }),
    { limit, today: daysSinceEpoch(parisToday(request.now)), mode: 'relevance' },
    summarize,
  );
}

/** How many places the text matches (no further than `upTo`), from memory; undefined when too costly here. */
export async function countTextWithIndex(deps: TextSearchDeps, q: string, upTo: number): Promise<number | undefined> {
  const { index } = deps;
  const ticket = index.freshnessTicket();
  await index.start();
  await index.freshen(ticket);
  return index.countText(await deps.correctedWords(q), upTo);
}
