import { FRAIS, MODALITES_ACCES, MODALITES_ACCOMPAGNEMENT, PRISES_EN_CHARGE, PUBLICS, SERVICES } from '../standard.js';
import type { PlaceStore } from './place-store.js';
import type { TreeColumns } from './tree-columns.js';
import { CLOSED, OPEN } from './week-rule-states.js';
import { openAtChecker, openInstant, type OpenInstant } from './weekly-hours.js';

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
 * for a million places: the week's intervals answer for most, read from the states of the stretch
 * of the week the instant falls in (shared by every search of that stretch); the library answers
 * for the others once per request each.
 */
export type OpenRuleTest = ((rule: number) => boolean) & { readonly states: Uint8Array };

export function openRuleTest(store: PlaceStore, openAt: Date | OpenInstant): OpenRuleTest {
  const at = openAt instanceof Date ? openInstant(openAt) : openAt;
  const isOpen = openAtChecker(at);
  // The week's answer for most rules, made once per stretch of the week (WeekRuleStates).
  const states = store.weekTable.openStates(at.minute, at.holiday);
  // The others (calendar rules, a holiday, rules newer than the states), once per request each.
  const asked = new Map<number, boolean>();
  const test = (rule: number) => {
    const state = states[rule];
    if (state === OPEN) return true;
    if (state === CLOSED) return false;
    let open = asked.get(rule);
    if (open === undefined) asked.set(rule, (open = isOpen(store.weeks[rule])));
    return open;
  };
  return Object.assign(test, { states });
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
 * A filter's test on a tree's columns, by position (compilePositionFilter). `servicesMask`, when not
 * 0: only places offering one of these services pass, so a walk may read the columns' service
 * bitsets first and test only those.
 */
export type PositionFilter = ((columns: TreeColumns) => (position: number) => boolean) & {
  readonly servicesMask: number;
};

/**
 * The same test as compileFilter, read from a tree's columns by position (see TreeColumns), for a
 * filter made only of services and "open at" (the searches whose counts walk every place of the
 * radius), or for none; undefined for any other filter. `openRule` is the request's own test of the
 * rules, as for compileFilter.
 */
export function compilePositionFilter(
  filter: IndexFilter,
  openRule: OpenRuleTest | undefined,
): PositionFilter | undefined {
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
  if (mask === 0 && !isOpen) return Object.assign(() => () => true, { servicesMask: 0 });
  if (mask === -1) return Object.assign(() => () => false, { servicesMask: 0 });
  const atPositions = ({ services, hours }: TreeColumns) => {
    if (!isOpen) return (position: number) => (services[position] & mask) !== 0;
    // The week's state of the rule read here; the library is asked only for the rules it decides.
    const { states } = isOpen;
    const openAt = (position: number) => {
      const rule = hours[position];
      if (rule < 0) return false;
      const state = states[rule];
      return state === OPEN || (state !== CLOSED && isOpen(rule));
    };
    if (mask === 0) return openAt;
    return (position: number) => (services[position] & mask) !== 0 && openAt(position);
  };
  return Object.assign(atPositions, { servicesMask: mask });
}
