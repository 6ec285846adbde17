import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  compilePositionFilter,
  openRuleTest,
  type IndexFilter,
} from '../../server/places/index/place-filter.js';
import { haversineKm } from '../../server/places/geo.js';
import { countInBox, countWithin, nearest } from '../../server/places/index/place-queries.js';
import { openTreeItems, planSearch } from '../../server/places/index/query-plan.js';
import { openInstant } from '../../server/places/index/weekly-hours.js';
import { PlaceStore } from '../../server/places/index/place-store.js';
import { indexedRow } from '../support/index-rows.js';
import { SERVICES } from '../../server/places/standard.js';
import { seededRandom } from '../support/seeded-random.js';

const RULES = [
  'Mo-Fr 09:00-12:00,14:00-17:00',
  'Sa 09:00-12:00; PH off',
  'Mo-Su 20:00-23:30',
  'Tu,Th 18:00-22:00',
  'Mo-Su 00:00-24:00',
  'Jan-Jun Mo 10:00-12:00',
];

function randomStore(
  random: () => number,
  count: number,
  servicesOf: (r: () => number) => number = (r) => (r() < 0.5 ? 1 : 2),
) {
  const store = new PlaceStore();
  const rowAt = (id: number) => {
    // Clustered: many places share a spot, so ties between pages are exercised too.
    const latitude = 45 + Math.round(random() * 40) / 100;
    const longitude = 5 + Math.round(random() * 40) / 100;
    const horaires = random() < 0.2 ? null : RULES[Math.floor(random() * RULES.length)];
    return indexedRow(id, latitude, longitude, { codePostal: '69001', horaires, services: servicesOf(random) });
  };
  for (let id = 1; id <= count; id++) store.upsert(rowAt(id));
  store.rebuildTree();
  // Changes since the build: moved, new and removed places, beside the tree.
  for (let i = 0; i < 20; i++) store.upsert(rowAt(1 + Math.floor(random() * count)));
  for (let id = count + 1; id <= count + 10; id++) store.upsert(rowAt(id));
  for (let i = 0; i < 10; i++) store.remove(1 + Math.floor(random() * count));
  return store;
}

/**
 * Five random searches around the store's places, four pages each and two capped counts: the plan
 * must give what the plain tree walk gives. Returns how many places the pages held.
 */
function expectPlanToMatchWalk(store: PlaceStore, filter: IndexFilter, random: () => number): number {
  const plan = planSearch(store, filter);
  const walk = { matches: compileFilter(store, filter) };
  let found = 0;
  for (let trial = 0; trial < 5; trial++) {
    const at = { lat: 45 + random() * 0.4, lon: 5 + random() * 0.4, radiusKm: 2 + random() * 20 };
    let after: { key: number; id: number } | undefined;
    for (let page = 0; page < 4; page++) {
      const planned = nearest(store, { ...at, limit: 7, after, ...plan });
      const walked = nearest(store, { ...at, limit: 7, after, ...walk });
      expect(planned.map((h) => h.id)).toEqual(walked.map((h) => h.id));
      found += walked.length;
      const last = walked.at(-1);
      if (!last) break;
      after = { key: last.key, id: last.id };
    }
    for (const upTo of [5, 1001]) {
      expect(countWithin(store, { ...at, upTo, ...plan })).toBe(countWithin(store, { ...at, upTo, ...walk }));
    }
  }
  return found;
}

describe('the plan of an "open at" search', () => {
  const random = seededRandom(42);
  const store = randomStore(random, 3000);
  const instants = ['2026-12-07T09:30:00Z', '2026-12-08T19:30:00Z', '2026-12-13T02:00:00Z', '2026-12-12T10:00:00Z'];

  it('when the open places are scanned instead of walking the tree, then the pages and counts are the same', () => {
    let found = 0;
    for (const iso of instants) {
      for (const services of [undefined, ['Maîtrise des outils numériques du quotidien']]) {
        const filter: IndexFilter = { today: 20_000, openAt: new Date(iso), services };
        expect(planSearch(store, filter).candidates).toBeDefined();
        found += expectPlanToMatchWalk(store, filter, random);
      }
    }
    expect(found).toBeGreaterThan(100);
  });

  it('when the open places are read by stretch of the week, then they are those of asking every rule', () => {
    // Every quarter of an hour of a week, then Christmas Day (a public holiday: "PH off" closes).
    const quarters = Array.from(
      { length: 7 * 96 },
      (_, q) => new Date(Date.UTC(2026, 11, 7) + q * 900_000 - 3_600_000),
    );
    const christmas = Array.from({ length: 96 }, (_, q) => new Date(Date.UTC(2026, 11, 25) + q * 900_000 - 3_600_000));
    const sorted = (found: { items: Int32Array; ranges: number[] } | null) =>
      found?.ranges
        .flatMap((start, i) => (i % 2 === 0 ? Array.from(found.items.subarray(start, found.ranges[i + 1])) : []))
        .sort((a, b) => a - b);
    for (const instant of [...quarters, ...christmas]) {
      const asked = openTreeItems(store, openRuleTest(store, instant), 50_000);
      const byStretch = openTreeItems(store, openRuleTest(store, instant), 50_000, openInstant(instant));
      expect(sorted(byStretch)).toEqual(sorted(asked));
      expect(byStretch?.total).toBe(asked?.total);
    }
  });

  it('when more places are open than the scan allows, then the tree is walked', () => {
    const openAt = new Date('2026-12-07T09:30:00Z');
    expect(openTreeItems(store, openRuleTest(store, openAt), 10)).toBeNull();
    expect(openTreeItems(store, openRuleTest(store, openAt), 1_000_000)).not.toBeNull();
  });
});

describe('the plan of a search for rare services', () => {
  const random = seededRandom(7);
  // Service 0 offered by ~70 % of the places, 1 by ~20 %, 2 by ~3 %, 3 by none.
  const store = randomStore(random, 4000, (r) => (r() < 0.7 ? 1 : 0) | (r() < 0.2 ? 2 : 0) | (r() < 0.03 ? 4 : 0));
  const asked = [[SERVICES[2]], [SERVICES[1]], [SERVICES[1], SERVICES[2]], [SERVICES[0], SERVICES[2]], [SERVICES[3]]];

  it('when rare services are searched in their own trees, then the pages and counts are those of the walk', () => {
    let found = 0;
    for (const services of asked) {
      for (const openAt of [undefined, new Date('2026-12-07T09:30:00Z'), new Date('2026-12-13T02:00:00Z')]) {
        found += expectPlanToMatchWalk(store, { today: 20_000, services, openAt }, random);
      }
    }
    expect(found).toBeGreaterThan(100);
  });

  it('when a service is common or absent, then it has no tree of its own, or an empty one', () => {
    expect(planSearch(store, { today: 20_000, services: [SERVICES[2]] }).subsets).toHaveLength(1);
    expect(planSearch(store, { today: 20_000, services: [SERVICES[1], SERVICES[2]] }).subsets).toHaveLength(2);
    expect(planSearch(store, { today: 20_000, services: [SERVICES[0]] }).subsets).toBeUndefined();
    expect(planSearch(store, { today: 20_000, services: [SERVICES[0], SERVICES[2]] }).subsets).toBeUndefined();
    const absent = planSearch(store, { today: 20_000, services: [SERVICES[3]] }).subsets;
    expect(absent?.[0].tree).toBeNull();
  });
});

describe("a count's filter read from the tree's columns, in the tree's order", () => {
  const random = seededRandom(23);
  const store = randomStore(random, 4000, (r) => (r() < 0.3 ? 1 : 0) | (r() < 0.1 ? 2 : 0) | (r() < 0.02 ? 4 : 0));
  const instants = ['2026-12-07T09:30:00Z', '2026-12-08T19:30:00Z', '2026-12-13T02:00:00Z', '2026-12-25T10:00:00Z'];

  it('when services and "open at" are counted by position, then the count is the one by slot, moved places too', () => {
    let counted = 0;
    for (const services of [undefined, [SERVICES[0]], [SERVICES[1], SERVICES[2]], ['Inconnu']]) {
      for (const openAt of [undefined, ...instants.map((iso) => new Date(iso))]) {
        const filter: IndexFilter = { today: 20_000, services, openAt };
        const openRule = openAt ? openRuleTest(store, openAt) : undefined;
        const atPositions = compilePositionFilter(filter, openRule);
        expect(atPositions).toBeDefined();
        const matches = compileFilter(store, filter, openRule);
        for (let trial = 0; trial < 8; trial++) {
          const at = { lat: 45 + random() * 0.4, lon: 5 + random() * 0.4, radiusKm: 0.5 + random() * 30 };
          for (const upTo of [1, 50, 1001, 10_000]) {
            const bySlot = countWithin(store, { ...at, upTo, matches });
            expect(countWithin(store, { ...at, upTo, matches, atPositions })).toBe(bySlot);
            counted += bySlot;
          }
        }
      }
    }
    expect(counted).toBeGreaterThan(1000);
  });

  it('when any other filter is asked, then no column test is made and the count goes by slot', () => {
    const openAt = new Date(instants[0]);
    const openRule = openRuleTest(store, openAt);
    for (const other of [
      { publics: ['Seniors'] },
      { codePostal: '69001' },
      { labelIds: [] },
      { bbox: { minLon: 5, minLat: 45, maxLon: 6, maxLat: 46 } },
      { slotTest: () => true },
    ]) {
      expect(compilePositionFilter({ today: 20_000, openAt, ...other }, openRule)).toBeUndefined();
    }
  });
});

describe('the count around a point', () => {
  const random = seededRandom(11);
  const store = randomStore(random, 5000);
  const haversine = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
    const rad = Math.PI / 180;
    const h =
      Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
    return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
  };

  it('when the cap is reached in the inscribed square or not, filtered or not, then the count is the true one', () => {
    const matches = compileFilter(store, { today: 20_000 });
    const offering = compileFilter(store, { today: 20_000, services: [SERVICES[0]] });
    for (let trial = 0; trial < 60; trial++) {
      const at = { lat: 45 + random() * 0.4, lon: 5 + random() * 0.4, radiusKm: 0.5 + random() * 25 };
      let truth = 0;
      let truthOffering = 0;
      for (let slot = 0; slot < store.slotCount; slot++) {
        if (!store.alive[slot]) continue;
        if (haversine(at, { lat: store.latitudes[slot], lon: store.longitudes[slot] }) > at.radiusKm) continue;
        truth++;
        if (offering(slot)) truthOffering++;
      }
      for (const upTo of [1, 10, 200, 1001, 10_000]) {
        expect(countWithin(store, { ...at, upTo, matches })).toBe(Math.min(truth, upTo));
        expect(countWithin(store, { ...at, upTo, matches: offering })).toBe(Math.min(truthOffering, upTo));
      }
    }
  });

  it('when the radius passes exactly through places or holds much of them, then unfiltered counts are true', () => {
    const everything = compileFilter(store, { today: 20_000 });
    for (let trial = 0; trial < 120; trial++) {
      const center = { lat: 44.8 + random() * 0.8, lon: 4.8 + random() * 0.8 };
      // The radius of a live place's own distance (on the rim, as the index measures it), or one
      // holding much of the store.
      const through = Math.floor(random() * store.slotCount);
      const rim = store.alive[through]
        ? haversineKm(center, { lat: store.latitudes[through], lon: store.longitudes[through] })
        : 0;
      const radiusKm = trial % 2 === 0 && rim > 0 ? rim : 1 + random() * 60;
      let truth = 0;
      for (let slot = 0; slot < store.slotCount; slot++) {
        if (
          store.alive[slot] &&
          haversineKm(center, { lat: store.latitudes[slot], lon: store.longitudes[slot] }) <= radiusKm
        )
          truth++;
      }
      for (const upTo of [1, 50, 1001, 10_000]) {
        expect(countWithin(store, { ...center, radiusKm, upTo, matches: everything })).toBe(Math.min(truth, upTo));
      }
    }
  });

  it('when the places of a box are counted by whole nodes of the tree, then the count is the capped true count', () => {
    for (let trial = 0; trial < 80; trial++) {
      // Some boxes hold every place, some none, most a part; places leave the tree as the trials go.
      if (trial % 10 === 9) store.remove(1 + Math.floor(random() * 5000));
      const west = 4.9 + random() * 0.5;
      const south = 44.9 + random() * 0.5;
      const box = { minLon: west, minLat: south, maxLon: west + random() * 0.6, maxLat: south + random() * 0.6 };
      let truth = 0;
      for (let slot = 0; slot < store.slotCount; slot++) {
        const lat = store.latitudes[slot];
        const lon = store.longitudes[slot];
        if (store.alive[slot] && lat >= box.minLat && lat <= box.maxLat && lon >= box.minLon && lon <= box.maxLon)
          truth++;
      }
      for (const upTo of [1, 100, 1001, 100_000]) expect(countInBox(store, box, upTo)).toBe(Math.min(truth, upTo));
    }
  });
});
