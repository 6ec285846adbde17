import type { Db } from '../../db/knex.js';
import { HoursCompiler } from './hours-compiler.js';
import { indexedPlacesAfter, labelLinksBetween, latestChange, type IndexedRow } from './place-index.repository.js';
import { PlaceStore, type IndexedLabelLink, type IndexedPlaceRow } from './place-store.js';
import { PlaceTexts } from './place-texts.js';

const LOAD_BATCH = 20_000;

/**
 * A query sent ahead of its use, marked as handled: if the load fails before awaiting it, its own
 * failure must not end the process as an unhandled rejection (the load's error is reported).
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** Puts a place read from PostgreSQL in the texts, and in the store when it has a position. */
export function putPlace(target: { store: PlaceStore; texts: PlaceTexts }, row: IndexedRow): number | undefined {
  target.texts.upsert(row.id, row.searchText);
  if (row.latitude === null || row.longitude === null) {
    target.store.remove(row.id);
    return undefined;
  }
  return target.store.upsert(row as IndexedPlaceRow);
}

/** Label links of places just put in `target` with no label (a fresh load, or cleared by a reload). */
export function attachLabels(target: PlaceStore, links: IndexedLabelLink[]) {
  for (const link of links) {
    const slot = target.slotById.get(link.placeId);
    if (slot !== undefined) target.addLabel(slot, link.labelId, link.untilDay);
  }
}

/**
 * Every published place read from `source` into a new store and new texts, ready to answer (tree
 * and postings built); `from`: the change log's newest entry read before the rows, so that a change
 * logged meanwhile is applied again after, never missed.
 */
export async function loadEveryPlace(
  source: Db,
  options: { batch?: number; hoursApartFrom?: number; log: (message: string, error?: unknown) => void },
): Promise<{ store: PlaceStore; texts: PlaceTexts; from: number }> {
  const store = new PlaceStore();
  const texts = new PlaceTexts();
  const from = await latestChange(source);
  // The hours are compiled on another thread while this one files the rows.
  store.weekTable.defer();
  const hours = new HoursCompiler(options.hoursApartFrom, options.log);
  const compiling: Promise<void>[] = [];
  try {
    // Pipelined: PostgreSQL reads a batch's labels and the next batch while Node files this one
    // (the main thread otherwise waited on its queries, one after the other).
    const batch = options.batch ?? LOAD_BATCH;
    let next: Promise<IndexedRow[]> | undefined = handled(indexedPlacesAfter(source, 0, batch));
    while (next) {
      const rows: IndexedRow[] = await next;
      if (rows.length === 0) break;
      const lastId = rows[rows.length - 1].id;
      const links = handled(labelLinksBetween(source, rows[0].id, lastId));
      next = rows.length < batch ? undefined : handled(indexedPlacesAfter(source, lastId, batch));
      store.reserve(rows.length);
      for (const row of rows) putPlace({ store, texts }, row);
      const { indexes, texts: hoursTexts } = store.weekTable.take();
      compiling.push(handled(hours.compile(hoursTexts).then((weeks) => store.weekTable.settle(indexes, weeks))));
      attachLabels(store, await links);
    }
    await Promise.all(compiling);
  } finally {
    hours.close();
  }
  store.settleAllHours();
  store.rebuildTree();
  texts.buildPostings();
  return { store, texts, from };
}
