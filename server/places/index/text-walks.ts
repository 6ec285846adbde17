import type { IndexFilter } from './place-filter.js';
import { bandOf, countWithin, nearest, type NearestHit } from './place-queries.js';
import type { PlaceStore } from './place-store.js';
import type { PlaceTexts } from './place-texts.js';
import { LATITUDE_BANDS, latitudeBand, planSearch, type SearchPlan, type SlotCandidates } from './query-plan.js';
import { haversineKm } from '../geo.js';

// The walks of a search around a point that has a text (`q=` with a place): the store's nearest walk
// and capped count, with the text as the filter's last test (place-texts.ts), within budgets.

/** A text matching at most this many places: they are the search's candidates, instead of a walk. */
const TEXT_MATCHES_READ = 5000;
/**
 * A common text's likely matches (place-texts.ts `candidates`) read at most: within it, a search tests
 * the nearest of them, not the places of the radius one by one (a town's name searched far from that
 * town meets none near the point); beyond it, the walk below.
 */
const TEXT_CANDIDATES_READ = 200_000;
/** Likely matches in a search's band of latitude below which they are read before any walk of the tree. */
const LIKELY_FIRST_AT_MOST = 3000;
/** Places a tree walk tests against a common text before its likely matches are read instead. */
const TREE_TESTS_BEFORE_LIKELY = 2000;
/**
 * Places a walk tests against a common text (~1 µs each) before it gives up and says so: a town's
 * name searched far from that town would otherwise test every place of the radius (100,000 around
 * Paris at 1M places, ~0.3 s of the event loop). PostgreSQL then answers, a few at a time.
 */
const TEXT_WALK_TESTS = 8000;
/**
 * Places a count tests against a common text (a count to 1,001 would test ~12,000 around a city for a
 * text one place in twelve holds): there it stops; what it met is a floor ("plus de 1 000" past 1,000).
 */
const TEXT_COUNT_TESTS = 1500;

export interface TextBudget {
  matchesRead: number;
  candidatesRead: number;
  walkTests: number;
  countTests: number;
}

/** TEXT_MATCHES_READ, TEXT_WALK_TESTS and TEXT_COUNT_TESTS (smaller in tests, to see a search handed to SQL). */
export const TEXT_BUDGET: TextBudget = {
  matchesRead: TEXT_MATCHES_READ,
  candidatesRead: TEXT_CANDIDATES_READ,
  walkTests: TEXT_WALK_TESTS,
  countTests: TEXT_COUNT_TESTS,
};

export interface IndexSearch {
  lat: number;
  lon: number;
  radiusKm: number;
  filter: IndexFilter;
  /** Only the places whose text matches these words (a text search's, normalised and corrected). */
  textWords?: string[];
}

/** A walk with a text stopped past its budget of tests (see withText). */
class OverBudget extends Error {}

interface TextWalkDeps {
  store: PlaceStore;
  texts: PlaceTexts;
}

/** The slots of a text's candidates (ids), by band of latitude, kept while the tree stands (`treeBuilds`). */
const slotsOfCandidates = new WeakMap<Float64Array, { treeBuilds: number; candidates: SlotCandidates }>();

/** A text's likely matches as slot candidates: those of the build by band of latitude, those written since apart. */
function candidatesOf(store: PlaceStore, likely: { built: Float64Array; since: number[] }): SlotCandidates {
  const extra = slotsOf(store, Float64Array.from(likely.since));
  const kept = slotsOfCandidates.get(likely.built);
  if (kept?.treeBuilds === store.treeBuilds) return { ...kept.candidates, extra };
  const slots = slotsOf(store, likely.built);
  const n = slots.length;
  const { latitudes, longitudes } = store;
  // A counting sort by band: a search then reads the bands of its radius only.
  const bandOfSlot = new Int32Array(n);
  const bands = new Int32Array(LATITUDE_BANDS + 1);
  for (let i = 0; i < n; i++) {
    const band = latitudeBand(latitudes[slots[i]]);
    bandOfSlot[i] = band;
    bands[band + 1]++;
  }
  for (let b = 0; b < LATITUDE_BANDS; b++) bands[b + 1] += bands[b];
  const next = bands.slice(0, LATITUDE_BANDS);
  const banded = new Int32Array(n);
  const bandedLatitudes = new Float32Array(n);
  const bandedLongitudes = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const at = next[bandOfSlot[i]]++;
    const slot = slots[i];
    banded[at] = slot;
    bandedLatitudes[at] = latitudes[slot];
    bandedLongitudes[at] = longitudes[slot];
  }
  const candidates = {
    slots: banded,
    bands,
    latitudes: bandedLatitudes,
    longitudes: bandedLongitudes,
    nearestFirst: true,
  };
  slotsOfCandidates.set(likely.built, { treeBuilds: store.treeBuilds, candidates });
  return { ...candidates, extra };
}

/** The slots of these places, those with a position. */
function slotsOf(store: PlaceStore, ids: Float64Array): Int32Array {
  const slots = new Int32Array(ids.length);
  let n = 0;
  for (const id of ids) {
    const slot = store.slotById.get(id);
    if (slot !== undefined) slots[n++] = slot;
  }
  return slots.subarray(0, n);
}

/** A way through a common text's places, and the tests it may make before it gives up. */
interface Try {
  through: 'tree' | 'likely';
  tests: number;
}

/**
 * Runs a walk planned with the search's text, if any: a text few places match (TEXT_MATCHES_READ at
 * most) gives them as the only candidates, read one by one. A common one is the filter's last test,
 * in the tries `triesFor` gives: through the places the tree walk meets, or through the text's
 * likely matches nearest first (TEXT_CANDIDATES_READ at most, and not too costly to list; without
 * them, `likely` is undefined and only the tree is tried). A try stops past its tests, and the next
 * is made; 'over' when none is left. `seen.onMatch`: each place the test let through, `seen.onTry`
 * before each try. Undefined before the first load, or for a text too costly here.
 */
function withText<T>(
  { store, texts }: TextWalkDeps,
  search: IndexSearch,
  walk: (plan: SearchPlan) => T,
  budget: TextBudget,
  triesFor: (likely: SlotCandidates | undefined) => Try[],
  seen?: { onMatch: (slot: number) => void; onTry: () => void },
): { value: T } | 'over' | undefined {
  if (!search.textWords) return { value: walk(planSearch(store, search.filter)) };
  const ids = texts.ids(search.textWords, budget.matchesRead);
  if (ids === undefined) return undefined;
  if (ids !== null) {
    const slots = new Set<number>();
    for (const id of ids) {
      const slot = store.slotById.get(id);
      if (slot !== undefined) slots.add(slot);
    }
    const plan = planSearch(store, { ...search.filter, slotTest: (slot) => slots.has(slot) });
    return { value: walk({ matches: plan.matches, candidates: { slots: Int32Array.from(slots) } }) };
  }
  const likelyIds = texts.candidates(search.textWords, budget.candidatesRead);
  if (likelyIds === undefined) return undefined;
  const text = texts.prepare(search.textWords);
  if (!text) return undefined;
  const likely = likelyIds ? candidatesOf(store, likelyIds) : undefined;
  const storeIds = store.ids;
  let tests = 0;
  let allowed = 0;
  const slotTest = (slot: number) => {
    if (++tests > allowed) throw new OverBudget();
    const matches = text.matches(storeIds[slot]);
    if (matches) seen?.onMatch(slot);
    return matches;
  };
  const plan = { ...planSearch(store, { ...search.filter, slotTest }), distanceFirst: true };
  try {
    for (const { through, tests: triesAtMost } of triesFor(likely)) {
      tests = 0;
      allowed = triesAtMost;
      seen?.onTry();
      try {
        if (through === 'tree' || !likely) return { value: walk(plan) };
        return { value: walk({ matches: plan.matches, distanceFirst: true, candidates: likely }) };
      } catch (error) {
        if (!(error instanceof OverBudget)) throw error;
      }
    }
    return 'over';
  } finally {
    text.release();
  }
}

/**
 * The `limit` nearest matching places after `after`, nearest first (ties by id); undefined when the
 * text makes it too costly here (PostgreSQL answers) or before the first load.
 */
export function nearestWithText(
  deps: TextWalkDeps,
  search: IndexSearch,
  page: { limit: number; after?: { key: number; id: number } },
  budget: TextBudget,
): NearestHit[] | undefined {
  const picked = withText(
    deps,
    search,
    (plan) => nearest(deps.store, { ...search, ...page, ...plan }),
    budget,
    (likely) => {
      if (!likely) return [{ through: 'tree', tests: budget.walkTests }];
      const likelyTry = { through: 'likely' as const, tests: budget.walkTests };
      // Few likely matches in the radius's band of latitude (a town's name far from the town): read
      // first. Many: the tree first, as a common text's matches are then among the first places met,
      // and if they are not, its likely matches after a short walk.
      const [from, to] = bandOf(likely, search);
      if (to - from <= LIKELY_FIRST_AT_MOST) return [likelyTry];
      return [{ through: 'tree', tests: Math.min(budget.walkTests, TREE_TESTS_BEFORE_LIKELY) }, likelyTry];
    },
  );
  return typeof picked === 'object' ? picked.value : undefined;
}

/**
 * How many places match, counting no further than `upTo`; with a common text, no further than
 * TEXT_COUNT_TESTS places tested (`complete` false: at least that many). Undefined before the first load.
 */
export function countWithText(
  deps: TextWalkDeps,
  search: IndexSearch,
  upTo: number,
  budget: TextBudget,
): { count: number; complete: boolean } | undefined {
  const { store } = deps;
  // Matches within the radius met before the budget ran out: what "at least" says.
  let met = 0;
  const point = { lat: search.lat, lon: search.lon };
  const seen = {
    onMatch: (slot: number) => {
      const at = { lat: store.latitudes[slot], lon: store.longitudes[slot] };
      if (haversineKm(point, at) <= search.radiusKm) met++;
    },
    onTry: () => (met = 0),
  };
  // A text's likely matches within the radius are far fewer than the places there: a complete count.
  const counted = withText(
    deps,
    search,
    (plan) => countWithin(store, { ...search, upTo, ...plan }),
    budget,
    (likely) => [{ through: likely ? 'likely' : 'tree', tests: budget.countTests }],
    seen,
  );
  if (counted === 'over') return { count: met, complete: false };
  return counted && { count: counted.value, complete: true };
}
