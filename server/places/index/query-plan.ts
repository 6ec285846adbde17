import type KDBush from 'kdbush';
import {
  compileFilter,
  compilePositionFilter,
  maskOf,
  openRuleTest,
  type IndexFilter,
  type PositionFilter,
} from './place-filter.js';
import type { PlaceStore, ServiceTree } from './place-store.js';
import { stretchOf } from './week-rule-states.js';
import { decidedByWeek, isOpenInWeek, openInstant, type OpenInstant } from './weekly-hours.js';

/**
 * Below this many places open at the instant (France-wide), they are scanned one by one rather
 * than found by walking the tree outwards: at night or on a Sunday, the walk visited every place
 * of the radius (100,000 in Paris at 1M) to find the few open ones; the scan reads 20,000 slots at
 * most, a test and a bounding-box check each. At 50,000, the half hour when places open (08:00–08:30
 * on a weekday: 40,000–50,000 of 1M open) scanned ~45,000 slots twice a search (page and count):
 * 180–250 searches a second against ~1,000 on either side; at 20,000 the walk takes over there
 * (870–1,040 a second from 07:50 to 08:35), and at 10,000 the scan's side got slower (620–900).
 */
const SCAN_AT_MOST = 20_000;

/** Tree items to test instead of walking the tree: `items[ranges[2k] .. ranges[2k+1]]`. */
export interface TreeCandidates {
  items: Int32Array;
  ranges: number[];
}

/** Places given by slot (a text's few matches): those in the tree are read one by one. */
export interface SlotCandidates {
  slots: Int32Array;
  /**
   * The filter is costly (a text's similarity): the candidates within the radius are ordered by
   * distance first, and the nearest tested until the page is full.
   */
  nearestFirst?: boolean;
  /**
   * The slots are in bands of a tenth of a degree of latitude, from the south: band b's are
   * slots[bands[b] .. bands[b + 1]) (see latitudeBand). Only the bands of the radius are read.
   */
  bands?: Int32Array;
  /** With `bands`: each slot's latitude and longitude, side by side with `slots` (read in order, not at random). */
  latitudes?: Float32Array;
  longitudes?: Float32Array;
  /** More slots, read after the bands (places written since the bands were made). */
  extra?: Int32Array;
}

/** Bands of latitude (SlotCandidates.bands): a tenth of a degree each, 1,800 from the South Pole. */
export const LATITUDE_BANDS = 1800;

export function latitudeBand(lat: number): number {
  return Math.min(LATITUDE_BANDS - 1, Math.max(0, Math.floor((lat + 90) * 10)));
}

export interface SearchPlan {
  matches: (slot: number) => boolean;
  /** `matches` is costly (a text's test): the distance is checked first where both are. */
  distanceFirst?: boolean;
  /** When set, the tree is not walked: these items (plus the places changed since the build) are all. */
  candidates?: TreeCandidates | SlotCandidates;
  /** When set, these trees are walked instead of the main one: the services asked for are rare. */
  subsets?: ServiceTree[];
  /** The same test as `matches` on a tree's columns, by position (compilePositionFilter); a count's walk reads it. */
  atPositions?: PositionFilter;
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

/**
 * The tree items whose rule is open, when they are at most `atMost`; null when more. With `at`,
 * the rules the week's intervals decide are read from the part kept for that stretch of the week,
 * and only the others (calendar rules, and every rule on a public holiday) are asked to `isOpen`.
 */
export function openTreeItems(
  store: PlaceStore,
  isOpen: (rule: number) => boolean,
  atMost: number,
  at?: OpenInstant,
): (TreeCandidates & { total: number }) | null {
  if (!store.tree) return null;
  const groups = ruleGroups(store, store.tree);
  const { starts, items } = groups;
  let ranges: number[] = [];
  let total = 0;
  // Every rule, unless the week's part answers for most (made only then: 4,000 numbers through
  // Array.from's callback at every search were a sixth of an "open at" search's CPU by day).
  let rulesToAsk: Iterable<number> | undefined;
  // (The parts kept stop counting at SCAN_AT_MOST: a larger bound asks every rule.)
  if (at && atMost <= SCAN_AT_MOST) {
    const week = weekStretches(store, groups);
    const part = weekPart(week, store, groups, at);
    if (part === null || part.total > atMost) return null;
    ranges = Array.from(part.ranges);
    total = part.total;
    rulesToAsk = at.holiday ? week.askedOnHolidays : week.asked;
  }
  rulesToAsk ??= everyRule(starts.length - 1);
  for (const rule of rulesToAsk) {
    const size = starts[rule + 1] - starts[rule];
    if (size === 0 || !isOpen(rule)) continue;
    total += size;
    if (total > atMost) return null;
    ranges.push(starts[rule], starts[rule + 1]);
  }
  return { items, ranges, total };
}

function* everyRule(count: number) {
  for (let rule = 0; rule < count; rule++) yield rule;
}

/**
 * Between two consecutive starts or ends of any rule's intervals, every rule the intervals decide
 * is open or closed throughout: the week splits into a few hundred stretches, and the open tree
 * items of each are listed once per tree (and kind of day), not at every "open at" search.
 */
interface WeekStretches {
  /** Sorted distinct minutes of the week where some rule of the tree opens or closes. */
  edges: Int32Array;
  /** By stretch and kind of day: the open items' ranges, or null when more than SCAN_AT_MOST. */
  parts: Map<string, { ranges: Int32Array; total: number } | null>;
  /** The rules with items that the intervals do not decide, on an ordinary day and on a public holiday. */
  asked: number[];
  askedOnHolidays: number[];
}

const stretchesOfTree = new WeakMap<RuleGroups, WeekStretches>();
/**
 * A week has a few hundred stretches (rules open and close on round times), each kept as its open
 * items' ranges (a few kB at night, nothing by day: too many); the map is emptied past this bound.
 */
const MAX_PARTS = 1024;

function weekStretches(store: PlaceStore, groups: RuleGroups): WeekStretches {
  const known = stretchesOfTree.get(groups);
  if (known) return known;
  const edges = new Set<number>();
  const asked: number[] = [];
  const askedOnHolidays: number[] = [];
  for (let rule = 0; rule + 1 < groups.starts.length; rule++) {
    if (groups.starts[rule + 1] === groups.starts[rule]) continue;
    const hours = store.weeks[rule];
    for (const minute of hours.intervals) edges.add(minute);
    if (!decidedByWeek(hours, false)) asked.push(rule);
    if (!decidedByWeek(hours, true)) askedOnHolidays.push(rule);
  }
  const stretches = { edges: Int32Array.from(edges).sort(), parts: new Map(), asked, askedOnHolidays };
  stretchesOfTree.set(groups, stretches);
  return stretches;
}

/** The open items among the rules the intervals decide, for the stretch of the week `at` falls in. */
function weekPart(stretches: WeekStretches, store: PlaceStore, groups: RuleGroups, at: OpenInstant) {
  const { edges, parts } = stretches;
  const key = `${stretchOf(edges, at.minute)}|${at.holiday ? 1 : 0}`;
  const known = parts.get(key);
  if (known !== undefined) return known;
  const ranges: number[] = [];
  let total = 0;
  for (let rule = 0; rule + 1 < groups.starts.length && total <= SCAN_AT_MOST; rule++) {
    const size = groups.starts[rule + 1] - groups.starts[rule];
    const hours = store.weeks[rule];
    if (size === 0 || !decidedByWeek(hours, at.holiday) || !isOpenInWeek(hours, at.minute)) continue;
    total += size;
    ranges.push(groups.starts[rule], groups.starts[rule + 1]);
  }
  const part = total > SCAN_AT_MOST ? null : { ranges: Int32Array.from(ranges), total };
  if (parts.size >= MAX_PARTS) parts.clear();
  parts.set(key, part);
  return part;
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
  if (!filter.openAt) {
    return { matches: compileFilter(store, filter), subsets, atPositions: compilePositionFilter(filter, undefined) };
  }
  const at = openInstant(filter.openAt);
  const openRule = openRuleTest(store, at);
  const matches = compileFilter(store, filter, openRule);
  const candidates = openTreeItems(store, openRule, SCAN_AT_MOST, at);
  // The smaller of the two lists is read: the places open now, or those offering the service.
  const subsetSize = subsets?.reduce((sum, subset) => sum + subset.slots.length, 0) ?? Infinity;
  if (candidates && candidates.total <= subsetSize) return { matches, candidates };
  return { matches, subsets, atPositions: compilePositionFilter(filter, openRule) };
}
