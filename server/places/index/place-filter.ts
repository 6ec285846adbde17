import { FRAIS, MODALITES_ACCES, MODALITES_ACCOMPAGNEMENT, PRISES_EN_CHARGE, PUBLICS, SERVICES } from '../standard.js';
import type { PlaceStore } from './place-store.js';
import type { TreeColumns } from './tree-columns.js';
import { openAtChecker, type OpenInstant } from './weekly-hours.js';

/** The standard's lists, in the order of their bits (place-index.repository.ts builds the same bits in SQL). */
export const BIT_FIELDS = {
  services: SERVICES,
  publics: PUBLICS,
  priseEnCharge: PRISES_EN_CHARGE,
  frais: FRAIS,
  modalitesAcces: MODALITES_ACCES,
  modalitesAccompagnement: MODALITES_ACCOMPAGNEMENT,
} as const;

export type BitField = keyof typeof BIT_FIELDS;

/** The filters of a search, as the index answers them ("any of" within a field, "all" between fields). */
export interface IndexFilter {
  services?: readonly string[];
  publics?: readonly string[];
  priseEnCharge?: readonly string[];
  frais?: readonly string[];
  modalitesAcces?: readonly string[];
  modalitesAccompagnement?: readonly string[];
  codeInsee?: string;
  codePostal?: string;
  /** Label ids (the caller turns slugs into ids); a link counts until its `until` day. */
  labelIds?: readonly number[];
  /** Open at that instant, from the precomputed weeks. */
  openAt?: Date;
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  /** Today in Paris, as days since 1970-01-01: label links that ended before are not shown. */
  today: number;
  /** A last test the index prepared (a text's: place-index.ts), after the cheaper ones. */
  slotTest?: (slot: number) => boolean;
}

export function maskOf(field: BitField, values: readonly string[] | undefined): number {
  if (!values?.length) return 0;
  const list: readonly string[] = BIT_FIELDS[field];
  let mask = 0;
  for (const value of values) {
    const bit = list.indexOf(value);
    if (bit >= 0) mask |= 1 << bit;
  }
  // A value outside the list matches nothing: a mask no place has.
  return mask === 0 ? -1 : mask;
}

const ALWAYS = () => true;

/** Whether a compiled filter lets every place through (a count can then skip the tests). */
export const matchesEverything = (matches: (slot: number) => boolean) => matches === ALWAYS;

/**
 * "Is this rule (an index into `store.weeks`) open at that instant?" A few thousand distinct rules
 * for a million places: each is decided once per request, the first time it is asked, then read back.
 */
export function openRuleTest(store: PlaceStore, openAt: Date | OpenInstant): (rule: number) => boolean {
  const isOpen = openAtChecker(openAt);
  const openByRule = new Int8Array(store.weeks.length).fill(-1); // -1: not decided yet
  return (rule) => {
    if (rule >= openByRule.length) return isOpen(store.weeks[rule]);
    let open = openByRule[rule];
    if (open === -1) openByRule[rule] = open = isOpen(store.weeks[rule]) ? 1 : 0;
    return open === 1;
  };
}

/**
 * Compiles the filters once per request into a test on a slot; the cheap tests run first.
 * `openRule`: the request's own test of the rules, when the caller already made one.
 */
export function compileFilter(
  store: PlaceStore,
  filter: IndexFilter,
  openRule?: (rule: number) => boolean,
): (slot: number) => boolean {
  const tests: ((slot: number) => boolean)[] = [];
  const bitTest = (field: BitField, array: Uint8Array | Uint16Array) => {
    const mask = maskOf(field, filter[field]);
    if (mask === -1) tests.push(() => false);
    else if (mask !== 0) tests.push((slot) => (array[slot] & mask) !== 0);
  };
  bitTest('services', store.services);
  bitTest('publics', store.publics);
  bitTest('priseEnCharge', store.priseEnCharge);
  bitTest('frais', store.frais);
  bitTest('modalitesAcces', store.modalitesAcces);
  bitTest('modalitesAccompagnement', store.modalitesAccompagnement);
  if (filter.codePostal !== undefined) {
    const code = Number(filter.codePostal);
    tests.push((slot) => store.codesPostaux[slot] === code);
  }
  if (filter.codeInsee !== undefined) {
    const code = store.inseeKeyOf(filter.codeInsee);
    tests.push((slot) => store.codesInsee[slot] === code);
  }
  if (filter.bbox) {
    const { minLon, minLat, maxLon, maxLat } = filter.bbox;
    tests.push((slot) => {
      const lat = store.latitudes[slot];
      const lon = store.longitudes[slot];
      return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon;
    });
  }
  if (filter.labelIds) {
    const maps = filter.labelIds.flatMap((id) => store.labelSlots.get(id) ?? []);
    const { today } = filter;
    tests.push((slot) => maps.some((slots) => (slots.get(slot) ?? -1) >= today));
  }
  if (filter.openAt) {
    const isOpen = openRule ?? openRuleTest(store, filter.openAt);
    tests.push((slot) => {
      const rule = store.hours[slot];
      return rule >= 0 && isOpen(rule);
    });
  }
  if (filter.slotTest) tests.push(filter.slotTest);
  if (tests.length === 0) return ALWAYS;
  if (tests.length === 1) return tests[0];
  // Called for every place a walk visits (thousands a search): no callback made per call.
  if (tests.length === 2) {
    const [first, second] = tests;
    return (slot) => first(slot) && second(slot);
  }
  return (slot) => {
    for (const test of tests) if (!test(slot)) return false;
    return true;
  };
}

/**
 * The same test as compileFilter, read from a tree's columns by position (see TreeColumns), for a
 * filter made only of services and "open at" (the searches whose counts walk every place of the
 * radius), or for none; undefined for any other filter. `openRule` is the request's own test of the
 * rules, as for compileFilter.
 */
export function compilePositionFilter(
  filter: IndexFilter,
  openRule: ((rule: number) => boolean) | undefined,
): ((columns: TreeColumns) => (position: number) => boolean) | undefined {
  const otherBits = (Object.keys(BIT_FIELDS) as BitField[]).some(
    (field) => field !== 'services' && maskOf(field, filter[field]) !== 0,
  );
  const other =
    otherBits ||
    filter.codePostal !== undefined ||
    filter.codeInsee !== undefined ||
    filter.bbox !== undefined ||
    filter.labelIds !== undefined ||
    filter.slotTest !== undefined;
  if (other) return undefined;
  const mask = maskOf('services', filter.services);
  const isOpen = filter.openAt ? openRule : undefined;
  if (filter.openAt && !isOpen) return undefined;
  if (mask === 0 && !isOpen) return () => () => true;
  if (mask === -1) return () => () => false;
  return ({ services, hours }) => {
    if (!isOpen) return (position) => (services[position] & mask) !== 0;
    if (mask === 0) return (position) => hours[position] >= 0 && isOpen(hours[position]);
    return (position) => (services[position] & mask) !== 0 && hours[position] >= 0 && isOpen(hours[position]);
  };
}
