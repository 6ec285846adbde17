import type { IndexFilter } from './place-filter.js';
import { countWithin, nearest, type NearestHit } from './place-queries.js';
import type { PlaceStore } from './place-store.js';
import type { PlaceTexts } from './place-texts.js';
import { planSearch, type SearchPlan } from './query-plan.js';
import { haversineKm } from '../geo.js';

// The walks of a search around a point that has a text (`q=` with a place): the store's nearest walk
// and capped count, with the text as the filter's last test (place-texts.ts), within budgets.

/** A text matching at most this many places: they are the search's candidates, instead of a walk. */
const TEXT_MATCHES_READ = 5000;
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
  walkTests: number;
  countTests: number;
}

/** TEXT_MATCHES_READ, TEXT_WALK_TESTS and TEXT_COUNT_TESTS (smaller in tests, to see a search handed to SQL). */
export const TEXT_BUDGET: TextBudget = {
  matchesRead: TEXT_MATCHES_READ,
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

/**
 * Runs a walk planned with the search's text, if any: a text few places match (TEXT_MATCHES_READ at
 * most) gives them as the only candidates, read one by one; a common one is the filter's last test,
 * at most `budget` times, then the walk stops and this says 'over'. `onMatch`: each place the test
 * let through. Undefined before the first load.
 */
function withText<T>(
  { store, texts }: TextWalkDeps,
  search: IndexSearch,
  walk: (plan: SearchPlan) => T,
  budget: { matchesRead: number; tests: number },
  onMatch?: (slot: number) => void,
): { value: T } | 'over' | undefined {
  const { matchesRead, tests: allowed } = budget;
  if (!search.textWords) return { value: walk(planSearch(store, search.filter)) };
  const ids = texts.ids(search.textWords, matchesRead);
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
  const text = texts.prepare(search.textWords);
  if (!text) return undefined;
  const storeIds = store.ids;
  let tests = 0;
  const slotTest = (slot: number) => {
    if (++tests > allowed) throw new OverBudget();
    const matches = text.matches(storeIds[slot]);
    if (matches) onMatch?.(slot);
    return matches;
  };
  try {
    return { value: walk(planSearch(store, { ...search.filter, slotTest })) };
  } catch (error) {
    if (error instanceof OverBudget) return 'over';
    throw error;
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
  const picked = withText(deps, search, (plan) => nearest(deps.store, { ...search, ...page, ...plan }), {
    matchesRead: budget.matchesRead,
    tests: budget.walkTests,
  });
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
  const onMatch = (slot: number) => {
    const at = { lat: store.latitudes[slot], lon: store.longitudes[slot] };
    if (haversineKm(point, at) <= search.radiusKm) met++;
  };
  const counted = withText(
    deps,
    search,
    (plan) => countWithin(store, { ...search, upTo, ...plan }),
    { matchesRead: budget.matchesRead, tests: budget.countTests },
    onMatch,
  );
  if (counted === 'over') return { count: met, complete: false };
  return counted && { count: counted.value, complete: true };
}
