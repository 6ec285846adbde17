/**
 * The in-memory index's own work for the bench's nearest searches, without HTTP: the capped count
 * and the nearest walk of each of the 2,000 points of each scenario, in µs a search. Against an
 * existing database (read-only):
 *
 *   BENCH_DATABASE_URL=… tsx bench/index-search-timing.ts [<build> [<other build>]]
 *
 * A build is a folder holding `server/` compiled (`dist` of a checkout: `npm run build`); without
 * one, the sources of this checkout. With two, both stores are loaded in this one process and the
 * rounds alternate between them: on a shared machine whose speed moves by a third from one minute
 * to the next, that compares two versions where two server runs cannot.
 */
import path from 'node:path';
import { buildScenarios } from './scenarios.js';

type Module = Record<string, (...args: never[]) => unknown>;
type Plan = Record<string, unknown>;
interface Search {
  lat: number;
  lon: number;
  filter: object;
}

const DEFAULT_RADIUS_KM = 30;
const COUNT_UP_TO = 1001;
const PAGE = 21;
const ROUNDS = 6;

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_DATABASE_URL attendu.');
const url: string = databaseUrl;
const builds = process.argv.slice(2).map((folder) => path.resolve(folder));
if (builds.length === 0) builds.push(path.resolve(import.meta.dirname, '..'));

async function loadStore(build: string) {
  const load = (module: string) => import(path.join(build, 'server', module)) as Promise<Module>;
  // Sources (`.ts`) under tsx, or a compiled build (`.js`): the same import either way.
  const { createDb } = await load('db/knex.js');
  const { loadEveryPlace } = await load('places/index/index-load.js');
  const { planSearch } = await load('places/index/query-plan.js');
  const { countWithin, nearest } = await load('places/index/place-queries.js');
  const db = (createDb as (url: string) => { destroy(): Promise<void> })(url);
  // The build's own load, as its server starts (the hours compiled apart, the tree built).
  const loadAll = loadEveryPlace as unknown as (db: unknown, options: object) => Promise<{ store: unknown }>;
  const { store } = await loadAll(db, { log: (message: string) => console.error(message) });
  await db.destroy();
  const plan = planSearch as unknown as (store: unknown, filter: object) => Plan;
  const count = countWithin as unknown as (store: unknown, query: object) => number;
  const walk = nearest as unknown as (store: unknown, query: object) => unknown[];
  return {
    build,
    count: (s: Search) =>
      count(store, {
        lat: s.lat,
        lon: s.lon,
        radiusKm: DEFAULT_RADIUS_KM,
        upTo: COUNT_UP_TO,
        ...plan(store, s.filter),
      }),
    nearest: (s: Search) =>
      walk(store, { lat: s.lat, lon: s.lon, radiusKm: DEFAULT_RADIUS_KM, limit: PAGE, ...plan(store, s.filter) }),
  };
}

/** The scenario's searches as the API parses them: a point, a service, "open at" a Paris minute or now. */
function searchesOf(paths: string[], now: Date) {
  const today = Math.floor(now.getTime() / 86_400_000);
  return paths.map((p) => {
    const query = new URL(`http://bench${p}`).searchParams;
    const service = query.get('services');
    const openAt = query.get('open_at');
    return {
      lat: Number(query.get('lat')),
      lon: Number(query.get('lon')),
      filter: {
        services: service ? [service] : undefined,
        // December: Paris is at UTC+1.
        openAt: openAt ? new Date(`${openAt}:00+01:00`) : query.get('open_now') ? now : undefined,
        today,
      },
    };
  });
}

const stores = [];
for (const build of builds) stores.push(await loadStore(build));
const now = new Date();
// A place for the place page's paths, which are not read here.
const scenarios = buildScenarios([{ id: 1, nom: 'lieu' }])
  .filter((s) => s.target === 'app' && s.name.startsWith('nearest 20') && !s.name.includes('never'))
  .map((s) => ({ name: s.name, searches: searchesOf(s.paths, now) }));
const timings = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const { name, searches } of scenarios) {
    stores.forEach((store, k) => {
      for (const step of ['count', 'nearest'] as const) {
        const started = performance.now();
        for (const search of searches) store[step](search);
        const perSearch = ((performance.now() - started) * 1000) / searches.length;
        // The first round makes what is made once (the week's states of each stretch): not counted.
        if (round === 0) continue;
        const key = `${name} | ${step} | ${stores.length > 1 ? `build ${k + 1}` : 'µs'}`;
        timings.set(key, [...(timings.get(key) ?? []), perSearch]);
      }
    });
  }
}
stores.forEach((store, k) => console.log(`build ${k + 1}: ${store.build}`));
for (const [key, values] of timings) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${key}: median ${median.toFixed(0)} µs (${values.map((v) => v.toFixed(0)).join(' ')})`);
}
