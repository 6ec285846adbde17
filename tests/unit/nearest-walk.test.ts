import { describe, expect, it } from 'vitest';
import { chordMetresForKm, haversineKm } from '../../server/places/geo.js';
import { compileFilter } from '../../server/places/index/place-filter.js';
import { nearest, type NearestHit } from '../../server/places/index/place-queries.js';
import { PlaceStore } from '../../server/places/index/place-store.js';
import { indexedRow } from '../support/index-rows.js';
import { planSearch } from '../../server/places/index/query-plan.js';
import { SERVICES } from '../../server/places/standard.js';
import { seededRandom } from '../support/seeded-random.js';

interface Area {
  lat: number;
  lon: number;
  /** Degrees around the centre; positions rounded to `step` degrees so that many places share a spot. */
  spread: number;
  step: number;
}

const AREAS: Record<string, Area> = {
  'a dense city': { lat: 48.85, lon: 2.35, spread: 0.05, step: 0.001 },
  'the countryside': { lat: 46.5, lon: 2.5, spread: 3, step: 0.01 },
  'across the antimeridian': { lat: -16.5, lon: 179.9, spread: 0.4, step: 0.01 },
  'near a pole': { lat: 78.2, lon: 15.6, spread: 2, step: 0.05 },
};

function storeIn(area: Area, random: () => number, count: number) {
  const store = new PlaceStore();
  const wrap = (lon: number) => (lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon);
  const rowAt = (id: number) => {
    const latitude = area.lat + Math.round(((random() - 0.5) * 2 * area.spread) / area.step) * area.step;
    const longitude = wrap(area.lon + Math.round(((random() - 0.5) * 2 * area.spread) / area.step) * area.step);
    return indexedRow(id, latitude, longitude, { services: random() < 0.05 ? 4 : random() < 0.5 ? 1 : 2 });
  };
  for (let id = 1; id <= count; id++) store.upsert(rowAt(id));
  store.rebuildTree();
  // Changed since the build: moved, new and removed places, beside the tree.
  for (let i = 0; i < 30; i++) store.upsert(rowAt(1 + Math.floor(random() * count)));
  for (let id = count + 1; id <= count + 15; id++) store.upsert(rowAt(id));
  for (let i = 0; i < 15; i++) store.remove(1 + Math.floor(random() * count));
  return store;
}

/** Every live place, one by one: the answer by definition. */
function everyPlaceAnswer(
  store: PlaceStore,
  query: { lat: number; lon: number; radiusKm: number; limit: number; after?: { key: number; id: number } },
  matches: (slot: number) => boolean,
): NearestHit[] {
  const hits: NearestHit[] = [];
  for (let slot = 0; slot < store.slotCount; slot++) {
    if (!store.alive[slot] || !matches(slot)) continue;
    const distanceKm = haversineKm(query, { lat: store.latitudes[slot], lon: store.longitudes[slot] });
    const hit = { id: store.ids[slot], slot, distanceKm, key: chordMetresForKm(distanceKm) };
    const { after } = query;
    if (distanceKm > query.radiusKm) continue;
    if (after && !(hit.key > after.key || (hit.key === after.key && hit.id > after.id))) continue;
    hits.push(hit);
  }
  return hits.sort((a, b) => a.key - b.key || a.id - b.id).slice(0, query.limit);
}

describe('the nearest places from the in-memory tree', () => {
  for (const [name, area] of Object.entries(AREAS)) {
    it(`when searching in ${name}, page by page, filtered or not, then the pages are those of every place read`, () => {
      const random = seededRandom(7);
      const store = storeIn(area, random, 4000);
      let compared = 0;
      for (let trial = 0; trial < 12; trial++) {
        const at = {
          lat: area.lat + (random() - 0.5) * area.spread,
          lon: area.lon + (random() - 0.5) * area.spread,
          radiusKm: [0.3, 5, 30, 400][trial % 4],
        };
        const filters = [{}, { services: [SERVICES[1]] }];
        for (const filter of filters) {
          const matches = compileFilter(store, { today: 20_000, ...filter });
          let after: { key: number; id: number } | undefined;
          for (let page = 0; page < 4; page++) {
            const query = { ...at, limit: 20, after };
            const expected = everyPlaceAnswer(store, query, matches);
            const found = nearest(store, { ...query, matches });
            expect(found.map((h) => [h.id, h.key])).toEqual(expected.map((h) => [h.id, h.key]));
            compared += found.length;
            const last = found.at(-1);
            if (!last) break;
            after = { key: last.key, id: last.id };
          }
        }
      }
      expect(compared).toBeGreaterThan(200);
    });
  }

  it('when a rare service is searched in its own tree, then the pages are those of reading every place', () => {
    const random = seededRandom(11);
    const store = storeIn(AREAS['the countryside'], random, 4000);
    const filter = { today: 20_000, services: [SERVICES[2]] };
    const { matches, subsets } = planSearch(store, filter);
    expect(subsets).toHaveLength(1);
    for (let trial = 0; trial < 10; trial++) {
      const query = { lat: 46 + random(), lon: 2 + random(), radiusKm: 80, limit: 20 };
      const expected = everyPlaceAnswer(store, query, matches);
      expect(nearest(store, { ...query, matches, subsets }).map((h) => h.id)).toEqual(expected.map((h) => h.id));
    }
  });
});
