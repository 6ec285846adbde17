import type KDBush from 'kdbush';
import { compileFilter, openRuleTest, type IndexFilter } from './place-filter.js';
import type { PlaceStore } from './place-store.js';

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
): TreeCandidates | null {
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
  return { items, ranges };
}

/**
 * How the index answers a search: the filters as one test, and for an "open at" search whose open
 * places are few, the list of them to scan instead of the tree walk (same answer, see the tests).
 */
export function planSearch(store: PlaceStore, filter: IndexFilter): SearchPlan {
  if (!filter.openAt) return { matches: compileFilter(store, filter) };
  const openRule = openRuleTest(store, filter.openAt);
  const matches = compileFilter(store, filter, openRule);
  return { matches, candidates: openTreeItems(store, openRule, SCAN_AT_MOST) ?? undefined };
}
