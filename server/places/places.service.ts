import type { Db } from '../db/knex.js';
import { ValidationError } from '../http/errors.js';
import type { Clock } from '../shared/clock.js';
import { isoMinute, parisToday } from '../shared/paris-time.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { haversineKm } from './geo.js';
import { isOpenAt, type OpeningState } from '../shared/opening-hours.js';
import { summaryOf, summaryOfDisplayed } from './place-summaries.js';
import { createOpeningStates } from './opening-states.js';
import { DEFAULT_RADIUS_KM, type PlacesQuery } from './places.query.js';
import {
  countPlacesUpTo,
  searchPlaces,
  sortModeFor,
  type SortMode,
  visibleLabelsForPlaces,
  withCorrectedText,
  type PlaceWithSortKey,
  type SearchCriteria,
} from './places.repository.js';
import type { Place, PlaceLabelLink } from './places.types.js';
import type { PlaceSummary, PlacesPage } from './places.responses.js';
import { createBulkhead } from '../shared/bulkhead.js';
import { createSqlSearchAnswers, type PlaceCount } from './sql-search-answers.js';
import { createPlaceReads } from './place-reads.js';
import { MESSAGES } from '../shared/messages.js';
import type { PlaceIndex } from './index/place-index.js';
import {
  countTextWithIndex,
  countWithIndex,
  createCorrectedWords,
  indexAnswers,
  indexAnswersText,
  indexFilterOf,
  searchTextWithIndex,
  searchWithIndex,
} from './places.index-search.js';
import { correctedSearchText } from './search-words.repository.js';

/** Counts stop here: "plus de 1 000 lieux" says enough, and the count stays bounded at any size. */
const COUNT_CAP = 1000;

/** A place's open state as the API gives it. */
type ApiOpenState = Pick<PlaceSummary, 'open_now' | 'next_change'>;
/** The states that never change (always open, closed, unknown hours): one object each. */
const NEVER_CHANGING: Record<string, ApiOpenState> = {
  true: { open_now: true, next_change: null },
  false: { open_now: false, next_change: null },
  null: { open_now: null, next_change: null },
};

function apiOpenState(state: OpeningState): ApiOpenState {
  if (state.nextChange === null) return NEVER_CHANGING[String(state.open)];
  return { open_now: state.open, next_change: isoMinute(state.nextChange) };
}
/** From this many places in a box, SQL is told to walk the name order (see SearchCriteria.bboxHoldsMany). */
const MANY_IN_BOX = 5000;

/** Counted in memory, 5,000 at most: the walk stops there. */
async function boxHoldsMany(index: PlaceIndex, bbox: NonNullable<SearchCriteria['bbox']>): Promise<boolean> {
  return (await index.countInBox(bbox, MANY_IN_BOX)) >= MANY_IN_BOX;
}

export type PlacesSearch = Partial<PlacesQuery> & { limit: number };

export function criteriaFromQuery(query: PlacesSearch): SearchCriteria {
  return {
    point: query.lat !== undefined && query.lon !== undefined ? { lat: query.lat, lon: query.lon } : undefined,
    radiusKm: query.lat !== undefined ? (query.radius_km ?? DEFAULT_RADIUS_KM) : undefined,
    bbox: query.bbox,
    q: query.q,
    codeInsee: query.commune,
    codePostal: query.code_postal,
    services: query.services,
    publics: query.publics,
    priseEnCharge: query.prise_en_charge,
    frais: query.frais,
    modalitesAcces: query.modalites_acces,
    modalitesAccompagnement: query.modalites_accompagnement,
    labels: query.labels,
    minQuality: query.min_quality,
  };
}

/** The ids of these label slugs; an unknown slug is the visitor's error. */
async function labelIdsOf(knownLabels: KnownLabels, slugs: string[]): Promise<number[]> {
  const known = await knownLabels();
  const unknown = slugs.filter((slug) => !known.has(slug));
  if (unknown.length) {
    throw new ValidationError([
      { field: 'labels', message: `Label inconnu : ${unknown.join(', ')}. La liste est sur /api/v1/labels.` },
    ]);
  }
  return slugs.flatMap((slug) => known.get(slug) ?? []);
}

/** The label slugs that exist (the labels feature owns them; app.ts hands its lookup in). */
type KnownLabels = () => Promise<ReadonlyMap<string, number>>;

export interface PlacesServiceDeps {
  db: Db;
  clock: Clock;
  knownLabels: KnownLabels;
  /** The in-memory index of the read path; without it (some tests), every search goes to SQL. */
  index?: PlaceIndex;
  /**
   * Reads go to a replica (DATABASE_READ_URL) that may not have replayed yet a change the index has
   * applied from the primary's log: nothing is then kept under the index's version (text-search
   * pages, place pages), or a lagging copy could be kept as the new one.
   */
  readsMayLag?: boolean;
  /**
   * Text searches run in PostgreSQL at once, at most (the rest wait `waitMs`, then 503): half the
   * pool by default (server/app.ts). Unbounded when absent (tests of other features).
   */
  textSearchSlots?: { slots: number; waitMs: number };
}

export function createPlacesService(deps: PlacesServiceDeps) {
  const { db, clock, index, knownLabels } = deps;
  /** A summary's open state, as of `now`, in the API's form. */
  const openStateAt = createOpeningStates(
    apiOpenState,
    index && ((horaires) => index.store.weekTable.weekOf(horaires)),
  );
  const sqlAnswers = index && !deps.readsMayLag ? createSqlSearchAnswers(index) : undefined;
  const textSearches = deps.textSearchSlots
    ? createBulkhead({
        slots: deps.textSearchSlots.slots,
        maxWaitMs: deps.textSearchSlots.waitMs,
        message: MESSAGES.textSearchBusy,
      })
    : undefined;

  // The words' correction is still a query (search_words), slow while that table is locked: in the slots too.
  const correct = (q: string) =>
    textSearches ? textSearches.run(() => correctedSearchText(db, q)) : correctedSearchText(db, q);
  const textDeps = index && { index, correctedWords: createCorrectedWords(correct, () => index.version) };
  const textOf = (q: string | undefined) =>
    q === undefined || !textDeps ? undefined : () => textDeps.correctedWords(q);

  function summarize(place: Place, labels: PlaceLabelLink[], criteria: SearchCriteria, now: Date): PlaceSummary {
    return summaryOf(
      place,
      labels.filter((l) => l.placeId === place.id).map((l) => l.slug),
      openStateAt(place.horaires, now),
      criteria.point && place.latitude !== null && place.longitude !== null
        ? haversineKm(criteria.point, { lat: place.latitude, lon: place.longitude })
        : undefined,
    );
  }

  /**
   * Filters that SQL can express run in SQL; "open at" needs the opening_hours library, so rows
   * are read in the stable order, batch by batch, and kept while they match.
   */
  async function search(query: PlacesSearch): Promise<PlacesPage> {
    const now = clock.now();
    const openAt = query.open_at ?? (query.open_now ? now : undefined);
    const criteria = { ...criteriaFromQuery(query), withHours: openAt !== undefined };
    const mode = sortModeFor(criteria);
    const labelIds = query.labels?.length ? await labelIdsOf(knownLabels, query.labels) : undefined;
    if (textDeps && indexAnswers(criteria)) {
      const page = await searchWithIndex(
        textDeps,
        {
          criteria,
          filter: indexFilterOf(criteria, { labelIds, openAt, now }),
          limit: query.limit,
          cursor: query.cursor,
          textWords: textOf(criteria.q),
        },
        (place, distanceKm) => summaryOfDisplayed(place, openStateAt(place.horaires, now), distanceKm),
      );
      if (page) return page;
    }
    // Text searches run apart (a rare word walks far in the trigram index): a few at once.
    const inSql = (at?: Date) =>
      criteria.q !== undefined && textSearches
        ? textSearches.run(() => searchInSql(criteria, mode, query, now, at))
        : searchInSql(criteria, mode, query, now, at);
    // The text alone: from memory (the index holds every published place's words), SQL until it has loaded.
    const answer =
      textDeps && openAt === undefined && indexAnswersText(criteria)
        ? async () =>
            (await searchTextWithIndex(
              textDeps,
              // The matches are counted along the way, for the count asked beside the page.
              { q: criteria.q, limit: query.limit, cursor: query.cursor, now, countUpTo: COUNT_CAP + 1 },
              (place) => summaryOfDisplayed(place, openStateAt(place.horaires, now)),
            )) ?? inSql()
        : () => inSql();
    if (sqlAnswers && openAt === undefined) {
      const page = await sqlAnswers.page(query, parisToday(now), answer);
      return withOpenStatesAt(page, now);
    }
    return inSql(openAt);
  }

  /** A remembered page's open states, as of now. */
  function withOpenStatesAt(page: PlacesPage, now: Date): PlacesPage {
    return { ...page, items: page.items.map((item) => ({ ...item, ...openStateAt(item.horaires, now) })) };
  }

  async function searchInSql(
    criteria: SearchCriteria,
    mode: SortMode,
    query: PlacesSearch,
    now: Date,
    openAt?: Date,
  ): Promise<PlacesPage> {
    if (criteria.bbox && index) criteria.bboxHoldsMany = await boxHoldsMany(index, criteria.bbox);
    // The text corrected once, not at every batch of an "open at" search.
    const sqlCriteria = await withCorrectedText(db, criteria);
    let after = query.cursor ? decodeCursor(query.cursor, mode) : undefined;
    const wanted = query.limit + 1;
    const kept: PlaceWithSortKey[] = [];
    for (;;) {
      const batchSize = openAt ? Math.max(500, wanted * 4) : wanted;
      const batch = await searchPlaces(db, sqlCriteria, { mode, limit: batchSize, after });
      for (const place of batch) {
        if (!openAt || isOpenAt(place.horaires, openAt)) kept.push(place);
        if (kept.length === wanted) break;
      }
      if (kept.length === wanted || batch.length < batchSize) break;
      const last = batch[batch.length - 1];
      after = { key: last.sortKey, id: last.id };
    }
    const page = kept.slice(0, query.limit);
    const hasMore = kept.length > query.limit;
    const labels = await visibleLabelsForPlaces(
      db,
      page.map((p) => p.id),
    );
    const last = page.at(-1);
    return {
      items: page.map((place) => summarize(place, labels, criteria, now)),
      next_cursor: hasMore && last ? encodeCursor(mode, { key: last.sortKey, id: last.id }) : null,
    };
  }

  /**
   * The search page's total, up to COUNT_CAP: from memory when the index answers the search (the walk
   * stops at COUNT_CAP + 1, so Paris costs what a village does). Otherwise null when not
   * counted: open at a moment is decided by the hours, not in SQL; and counting text matches rechecks the
   * word similarity of each (1,001 matches: 0.2–0.5 s at 100k places), more than the search itself, which
   * stops at its page. Else counted up to a cap.
   */
  async function count(query: PlacesSearch): Promise<PlaceCount | null> {
    const criteria = criteriaFromQuery(query);
    if (textDeps && indexAnswers(criteria)) {
      const labelIds = query.labels?.length ? await labelIdsOf(knownLabels, query.labels) : undefined;
      const now = clock.now();
      const openAt = query.open_at ?? (query.open_now ? now : undefined);
      const filter = indexFilterOf(criteria, { labelIds, openAt, now });
      const found = await countWithIndex(textDeps, criteria, filter, COUNT_CAP + 1, textOf(criteria.q));
      if (found === undefined) return null;
      // A common text's count stops early: "plus de 1 000" when it met that many, else nothing said
      // (a small "at least" would read as the total).
      if (!found.complete) return found.count > COUNT_CAP ? { total: COUNT_CAP, isLowerBound: true } : null;
      return { total: Math.min(found.count, COUNT_CAP), isLowerBound: found.count > COUNT_CAP };
    }
    const untimed = query.open_now !== true && query.open_at === undefined;
    if (textDeps && untimed && indexAnswersText(criteria)) {
      // Not kept with the SQL counts: the matcher gives a search's count to the count asked beside it.
      const found = await countTextWithIndex(textDeps, criteria.q, COUNT_CAP + 1);
      return found === undefined ? null : { total: Math.min(found, COUNT_CAP), isLowerBound: found > COUNT_CAP };
    }
    if (query.q !== undefined || !untimed) return null;
    const countInSql = async (): Promise<PlaceCount> => {
      if (criteria.bbox && index) criteria.bboxHoldsMany = await boxHoldsMany(index, criteria.bbox);
      const found = await countPlacesUpTo(db, criteria, COUNT_CAP + 1);
      return { total: Math.min(found, COUNT_CAP), isLowerBound: found > COUNT_CAP };
    };
    if (!sqlAnswers) return countInSql();
    // The same count whatever the page: neither the cursor nor the page's length is part of its key.
    const { cursor: _cursor, limit: _limit, ...counted } = query;
    return sqlAnswers.count(counted, parisToday(clock.now()), countInSql);
  }

  /**
   * The in-memory index's version once it has applied every change committed before this call (to
   * any place or label link, through any instance): what a page kept in memory is filed under.
   * Undefined while there is no index, or it has not loaded yet, or reads may lag behind it.
   */
  async function freshVersion(): Promise<number | undefined> {
    if (!index?.ready || deps.readsMayLag) return undefined;
    await index.freshen(index.freshnessTicket());
    return index.version;
  }

  /**
   * What a page kept in memory (place pages, search pages, details) is filed under: the fresh
   * version, and the Paris day (a week's table starts today, a label is shown until a date).
   * Undefined when nothing may be kept (see freshVersion).
   */
  async function pageKey(): Promise<string | undefined> {
    const version = await freshVersion();
    return version === undefined ? undefined : `${version}|${parisToday(clock.now())}`;
  }

  /**
   * Whether a list's answer may be kept under `pageKey()` (server/places/list-answers.ts): the
   * searches PostgreSQL answers, the same for everyone; not those around a point (the index answers
   * them at once), nor "open at" a moment, nor any while reads may lag behind the index.
   */
  function listMayBeKept(query: PlacesSearch): boolean {
    if (!sqlAnswers || query.open_now === true || query.open_at !== undefined) return false;
    return !indexAnswers(criteriaFromQuery(query));
  }

  return {
    search,
    count,
    ...createPlaceReads({ db, clock }),
    summarize,
    freshVersion,
    pageKey,
    listMayBeKept,
  };
}

export type PlacesService = ReturnType<typeof createPlacesService>;
