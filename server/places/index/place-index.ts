import type { Db } from '../../db/knex.js';
import { createPlaceChangeListener } from './place-change-listener.js';
import {
  changesBetween,
  EVERY_PLACE,
  LABELS,
  indexedPlacesByIds,
  labelLinksOf,
  latestChange,
  pruneChanges,
} from './place-index.repository.js';
import { countInBox, type NearestHit } from './place-queries.js';
import { countWithText, nearestWithText, TEXT_BUDGET, type IndexSearch, type TextBudget } from './text-walks.js';
import { PlaceStore } from './place-store.js';
import { PlaceTexts, type TextHit, type TextPage } from './place-texts.js';
import { createDisplayReads } from './display-reads.js';
import { displayedPlacesByIds, type DisplayedPlace } from './place-display.repository.js';
import { outsideRequests } from '../../shared/outside-requests.js';
import { sharedRead } from './shared-read.js';
import { attachLabels, loadEveryPlace, putPlace } from './index-load.js';

const RELOAD_BATCH = 5_000;
/** Past this many changed places at once (a large import), reading everything again is quicker. */
const FULL_RELOAD_ABOVE = 50_000;
/** The tree is rebuilt this long after the last change, or at once past REBUILD_ABOVE changes. */
const REBUILD_DELAY_MS = 1000;
const REBUILD_ABOVE = 2000;
const PRUNE_EVERY_MS = 10 * 60_000;
const KEEP_CHANGES_MINUTES = 60;
/**
 * Display rows kept by id: the places people search around most, asked nothing of PostgreSQL.
 * Under 1 kB each, so under 50 MB; a minute at most, like the public Cache-Control.
 */
const DISPLAY_CACHE_SIZE = 50_000;
const DISPLAY_MAX_AGE_MS = 60_000;

export interface PlaceIndexDeps {
  db: Db;
  /**
   * Where the first full load reads (a read replica, DATABASE_READ_URL); `db` when absent. The change
   * log is then followed on the primary (`db`): NOTIFY is not replicated, and what the replica had not
   * replayed yet when it was read is applied from the primary's log right after the load.
   */
  loadDb?: Db;
  /** For the dedicated LISTEN connection (the primary's). */
  connectionString: string;
  log?: (message: string, error?: unknown) => void;
  /** TEXT_MATCHES_READ, TEXT_WALK_TESTS and TEXT_COUNT_TESTS, smaller in tests (a search handed to SQL). */
  textBudget?: TextBudget;
  /** From how many new hours texts at once a full load compiles them on a worker thread (1 in tests). */
  hoursApartFrom?: number;
  /** Places read per query of a full load (see index-load.ts; smaller in tests, for several batches). */
  loadBatch?: number;
}

export type { IndexSearch } from './text-walks.js';

/**
 * Every published, located place in memory, and every published place's words (located or not),
 * for the read path: PostgreSQL stays the source of truth; the index loads from it at start and
 * follows its change log (trigger → NOTIFY).
 */
export function createPlaceIndex(deps: PlaceIndexDeps) {
  const { db } = deps;
  const log = deps.log ?? (() => {});
  const textBudget = deps.textBudget ?? TEXT_BUDGET;
  let store = new PlaceStore();
  let texts = new PlaceTexts();
  /** Every change of the log up to this one is in memory (later ones may be too). */
  let appliedChange = 0;
  /** Bumped on every change applied: the clusters know when to rebuild. */
  let version = 0;
  let started: Promise<void> | undefined;
  let stopped = false;
  let rebuildTimer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  const display = createDisplayReads<DisplayedPlace>({
    read: (ids) => displayedPlacesByIds(db, ids),
    capacity: DISPLAY_CACHE_SIZE,
    maxAgeMs: DISPLAY_MAX_AGE_MS,
    detached: outsideRequests,
  });
  const newestChange = sharedRead(() => latestChange(db));

  // Reloads run one at a time, in order: a late answer never overwrites a newer one.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch((error: unknown) => log('Mise à jour de l’index des lieux impossible.', error));
    return next;
  }

  const listener = createPlaceChangeListener({
    connectionString: deps.connectionString,
    log,
    onChange: ({ first, last }) => void serial(() => applyChanges(first, last)).catch(() => {}),
    onReconnect: () => void serial(() => loadAll()).catch(() => {}),
  });

  async function loadAll(source: Db = db) {
    const loaded = await loadEveryPlace(source, { batch: deps.loadBatch, hoursApartFrom: deps.hoursApartFrom, log });
    store = loaded.store;
    texts = loaded.texts;
    display.clear();
    appliedChange = Math.max(appliedChange, loaded.from);
    version++;
  }

  async function reload(ids: number[]) {
    display.forget(ids);
    for (let i = 0; i < ids.length; i += RELOAD_BATCH) {
      const batch = ids.slice(i, i + RELOAD_BATCH);
      const [rows, links] = await Promise.all([indexedPlacesByIds(db, batch), labelLinksOf(db, batch)]);
      const present = new Set<number>();
      for (const row of rows) {
        const slot = putPlace({ store, texts }, row);
        if (slot !== undefined) store.setLabels(slot, []);
        present.add(row.id);
      }
      for (const id of batch) {
        if (present.has(id)) continue;
        store.remove(id);
        texts.remove(id);
      }
      attachLabels(store, links);
    }
    version++;
    scheduleRebuild();
  }

  /**
   * The log entries naming every place (a bulk load) this instance has read everything again for:
   * a request's catch-up and the notification both bring the same entry, and a second full reload
   * of a million places would change nothing. Only entries read from the log count: they were
   * committed, so the reload they caused saw their rows.
   */
  const reloadedFor = new Set<number>();

  /** Applies the logged changes in [first, last] (last undefined: up to the newest). */
  async function applyChanges(first: number, last?: number) {
    const changes = await changesBetween(db, first, last);
    const everyPlace = changes.filter((c) => c.placeId === EVERY_PLACE && !reloadedFor.has(c.seq));
    const ids = [...new Set(changes.flatMap((c) => (c.placeId > 0 ? [c.placeId] : [])))];
    if (everyPlace.length || ids.length > FULL_RELOAD_ABOVE) {
      await loadAll();
      for (const change of everyPlace) reloadedFor.add(change.seq);
      // A few bulk loads a day at most: the oldest entries, long applied, are forgotten.
      for (const seq of reloadedFor) if (reloadedFor.size > 100) reloadedFor.delete(seq);
    } else if (ids.length) await reload(ids);
    if (changes.some((c) => c.placeId === LABELS)) {
      // A label's name or slug, shown in the displayed rows and in every page kept under `version`.
      display.clear();
      version++;
    }
    const newest = changes.length ? changes[changes.length - 1].seq : 0;
    appliedChange = Math.max(appliedChange, last ?? newest, newest);
  }

  function rebuild() {
    store.rebuildTree();
    if (texts.needsBuild) texts.buildPostings();
  }

  function scheduleRebuild() {
    if (stopped) return;
    if (store.changedSinceBuild.size > REBUILD_ABOVE || texts.needsBuild) {
      clearTimeout(rebuildTimer);
      rebuildTimer = undefined;
      rebuild();
      return;
    }
    clearTimeout(rebuildTimer);
    rebuildTimer = setTimeout(rebuild, REBUILD_DELAY_MS);
    rebuildTimer.unref();
  }

  function start(): Promise<void> {
    started ??= (async () => {
      // Listen first: a change committed during the load is notified, then applied after it.
      await listener.start();
      const loadDb = deps.loadDb ?? db;
      await serial(() => loadAll(loadDb));
      // The replica stood at some point of the log when it was read: the rest comes from the primary's.
      if (loadDb !== db) await serial(() => applyChanges(appliedChange + 1));
      pruneTimer = setInterval(() => {
        pruneChanges(db, KEEP_CHANGES_MINUTES).catch((error: unknown) =>
          log('Purge du journal des changements impossible.', error),
        );
      }, PRUNE_EVERY_MS);
      pruneTimer.unref();
    })();
    return started;
  }

  return {
    /** Loads every place and starts listening; the first call does it, the others wait for it. */
    start,
    get ready(): boolean {
      return store.tree !== null;
    },
    get store(): PlaceStore {
      return store;
    },
    get version(): number {
      return version;
    },
    get size(): number {
      return store.size;
    },
    /**
     * A request saw `latest` in the change log: when this instance has not applied it yet (a write
     * through another instance, a notification still on its way), apply it now; `version` tells
     * the caller whether anything changed since it last looked.
     */
    async catchUp(latest: number): Promise<void> {
      if (latest <= appliedChange) return;
      await serial(async () => {
        if (latest > appliedChange) await applyChanges(appliedChange + 1);
      });
    },
    /** Taken when a request arrives, before `freshen`: reads of the change log sent later serve it. */
    freshnessTicket(): number {
      return newestChange.ticket();
    },
    /**
     * Applies every change committed before the request took `ticket`, whichever instance made it:
     * one read of the change log, shared with the other requests that arrived meanwhile.
     */
    async freshen(ticket: number): Promise<void> {
      await this.catchUp(await newestChange.read(ticket));
    },
    /**
     * The display rows of these places (`today`: days since 1970-01-01 in Paris, for the labels
     * shown), from memory when this instance read them recently and the change log has not
     * mentioned them since, else in a query shared with the requests of the same moment
     * (display-reads.ts); a deleted place is absent.
     */
    displayed(ids: number[], today: number): Promise<Map<number, DisplayedPlace>> {
      return display.displayed(ids, today);
    },
    /**
     * The `limit` nearest matching places after `after`, nearest first (ties by id); undefined when
     * the text makes it too costly here (text-walks.ts) or before the first load.
     */
    nearest(
      search: IndexSearch,
      page: { limit: number; after?: { key: number; id: number } },
    ): NearestHit[] | undefined {
      return nearestWithText({ store, texts }, search, page, textBudget);
    },
    /**
     * The best text matches of every published place, located or not (ordered as SQL's
     * `search_text <->> query`, then id), after `after`; undefined before the first load, or when
     * too costly here (SQL answers).
     * `words`: the query's, normalised and corrected (search-words.repository.ts).
     */
    searchText(words: string[], page: TextPage): TextHit[] | undefined {
      return texts.search(words, page);
    },
    /**
     * How many places the text matches, counting no further than `upTo`; undefined before the first
     * load, or when too costly here (not counted).
     */
    countText(words: string[], upTo: number): number | undefined {
      return texts.count(words, upTo);
    },
    /**
     * How many places match, counting no further than `upTo`; with a common text, no further than
     * TEXT_COUNT_TESTS places tested (`complete` false: at least that many). Undefined before the
     * first load.
     */
    count(search: IndexSearch, upTo: number): { count: number; complete: boolean } | undefined {
      return countWithText({ store, texts }, search, upTo, textBudget);
    },
    /** How many places lie in a lon/lat box, counting no further than `upTo`; waits for the first load. */
    async countInBox(box: { minLon: number; minLat: number; maxLon: number; maxLat: number }, upTo: number) {
      await start();
      return countInBox(store, box, upTo);
    },
    async stop() {
      stopped = true;
      clearTimeout(rebuildTimer);
      clearInterval(pruneTimer);
      await listener.stop();
      await queue;
    },
  };
}

export type PlaceIndex = ReturnType<typeof createPlaceIndex>;
