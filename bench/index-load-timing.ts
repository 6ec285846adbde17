/**
 * Where the in-memory index's start-up goes, against an existing database (read-only):
 * `BENCH_DATABASE_URL=… tsx bench/index-load-timing.ts`. Times the rows' queries (PostgreSQL and
 * transfer), the filling of the typed arrays, the texts, the labels, the k-d tree and the texts' postings apart.
 */
import { createDb } from '../server/db/knex.js';
import { indexedPlacesAfter, labelLinksBetween } from '../server/places/index/place-index.repository.js';
import { PlaceStore, type IndexedPlaceRow } from '../server/places/index/place-store.js';
import { PlaceTexts } from '../server/places/index/place-texts.js';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL attendu.');
const db = createDb(url);
const totals = { rows: 0, query: 0, fill: 0, texts: 0, labels: 0, tree: 0, postings: 0 };
const store = new PlaceStore();
const texts = new PlaceTexts();
const started = performance.now();
let afterId = 0;
for (;;) {
  let t = performance.now();
  const rows = await indexedPlacesAfter(db, afterId, 20_000);
  totals.query += performance.now() - t;
  if (rows.length === 0) break;
  t = performance.now();
  store.reserve(rows.length);
  for (const row of rows) if (row.latitude !== null) store.upsert(row as IndexedPlaceRow);
  totals.fill += performance.now() - t;
  t = performance.now();
  for (const row of rows) texts.upsert(row.id, row.searchText);
  totals.texts += performance.now() - t;
  t = performance.now();
  const links = await labelLinksBetween(db, rows[0].id, rows[rows.length - 1].id);
  // As the index does (place-index.ts attachLabels): a place's links together.
  const bySlot = new Map<number, typeof links>();
  for (const link of links) {
    const slot = store.slotById.get(link.placeId);
    if (slot !== undefined) bySlot.set(slot, [...(bySlot.get(slot) ?? []), link]);
  }
  for (const [slot, list] of bySlot) store.setLabels(slot, list);
  totals.labels += performance.now() - t;
  totals.rows += rows.length;
  afterId = rows[rows.length - 1].id;
  if (rows.length < 20_000) break;
}
const treeStarted = performance.now();
store.rebuildTree();
totals.tree = performance.now() - treeStarted;
const postingsStarted = performance.now();
texts.buildPostings();
totals.postings = performance.now() - postingsStarted;
const total = performance.now() - started;
// With --expose-gc: what the index keeps once the load's garbage is gone.
(globalThis as { gc?: () => void }).gc?.();
const round = (ms: number) => Math.round(ms);
console.log({
  ...totals,
  query: round(totals.query),
  fill: round(totals.fill),
  texts: round(totals.texts),
  postings: round(totals.postings),
  labels: round(totals.labels),
  tree: round(totals.tree),
  total: round(total),
  heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
  rssMB: Math.round(process.memoryUsage().rss / 1e6),
});
await db.destroy();
