import type KDBush from 'kdbush';
import { compileFilter, maskOf, openRuleTest, type IndexFilter } from './place-filter.js';
import type { PlaceStore, ServiceTree } from './place-store.js';

/**
 * Below this many places open at the instant (France-wide), they are scanned one by one rather
 * than found by walking the tree outwards: at night or on a Sunday, the walk visited every place
 * of the radius (100,000 in Paris at 1M) to find the few open ones; the scan reads 50,000 slots at
 * most, a test and a bounding-box check each.
 */
const SCAN_AT_MOST = 50_000;

/** Tree items to test instead of walking the tree: `items[ranges[2k] .. ranges[2k+1]]`. */
export interface TreeCandidates {
  items: Int32Array;
  ranges: number[];
}

export interface SearchPlan {
  matches: (slot: number) => boolean;
  /** When set, the tree is not walked: these items (plus the places changed since the build) are all. */
  candidates?: TreeCandidates;
  /** When set, these trees are walked instead of the main one: the services asked for are rare. */
  subsets?: ServiceTree[];
}

interface RuleGroups {
  /** Items of rule r: `items[starts[r] .. starts[r + 1]]`. */
  starts: Int32Array;
  items: Int32Array;
}

// One grouping per tree, made at the first "open at" search after a rebuild (a counting sort, ~10 ms at 1M).
const groupsOfTree = new WeakMap<KDBush, RuleGroups>();

/**
 * The tree's items grouped by opening-hours rule. A place changed since the build is out of the
 * tree (`inTree` 0) and skipped by every reader, so the rules read here are those of the build.
 */
function ruleGroups(store: PlaceStore, tree: KDBush): RuleGroups {
  const known = groupsOfTree.get(tree);
  if (known) return known;
  const { treeSlots, hours } = store;
  const ruleCount = store.weeks.length;
  const starts = new Int32Array(ruleCount + 1);
  for (const slot of treeSlots) if (slot >= 0 && hours[slot] >= 0) starts[hours[slot] + 1]++;
  for (let rule = 0; rule < ruleCount; rule++) starts[rule + 1] += starts[rule];
  const items = new Int32Array(starts[ruleCount]);
  const next = starts.slice(0, ruleCount);
  for (let item = 0; item < treeSlots.length; item++) {
    const slot = treeSlots[item];
    if (slot >= 0 && hours[slot] >= 0) items[next[hours[slot]]++] = item;
  }
  const groups = { starts, items };
  groupsOfTree.set(tree, groups);
  return groups;
}

/** The tree items whose rule is open, when they are at most `atMost`; null when more. */
export function openTreeItems(
  store: PlaceStore,
  isOpen: (rule: number) => boolean,
  atMost: number,
): (TreeCandidates & { total: number }) | null {
  if (!store.tree) return null;
  const { starts, items } = ruleGroups(store, store.tree);
  const ranges: number[] = [];
  let total = 0;
  for (let rule = 0; rule + 1 < starts.length; rule++) {
    const size = starts[rule + 1] - starts[rule];
    if (size === 0 || !isOpen(rule)) continue;
    total += size;
    if (total > atMost) return null;
    ranges.push(starts[rule], starts[rule + 1]);
  }
  return { items, ranges, total };
}

/** The own trees of the services asked for, when every one of them has one (all rare); else null. */
function serviceSubsets(store: PlaceStore, services: IndexFilter['services']): ServiceTree[] | null {
  const mask = maskOf('services', services);
  if (mask <= 0) return null; // none asked for, or only unknown values (the test alone answers: none)
  const subsets: ServiceTree[] = [];
  for (let bits = mask, bit = 0; bits !== 0; bits >>>= 1, bit++) {
    if (!(bits & 1)) continue;
    const subset = store.serviceTrees[bit];
    if (!subset) return null;
    subsets.push(subset);
  }
  return subsets;
}

/**
 * How the index answers a search: the filters as one test; for an "open at" search whose open
 * places are few, the list of them to scan instead of the tree walk; for rare services, their own
 * trees to walk instead of the main one (same answers, see the tests).
 */
export function planSearch(store: PlaceStore, filter: IndexFilter): SearchPlan {
  const subsets = serviceSubsets(store, filter.services) ?? undefined;
  if (!filter.openAt) return { matches: compileFilter(store, filter), subsets };
  const openRule = openRuleTest(store, filter.openAt);
  const matches = compileFilter(store, filter, openRule);
  const candidates = openTreeItems(store, openRule, SCAN_AT_MOST);
  // The smaller of the two lists is read: the places open now, or those offering the service.
  const subsetSize = subsets?.reduce((sum, subset) => sum + subset.slots.length, 0) ?? Infinity;
  if (candidates && candidates.total <= subsetSize) return { matches, candidates };
  return { matches, subsets };
}
