import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../server/db/knex.js';
import { createPlaceIndex, type PlaceIndex } from '../../../server/places/index/place-index.js';
import { indexedPlacesByIds } from '../../../server/places/index/place-index.repository.js';
import { maskOf, type BitField } from '../../../server/places/index/place-filter.js';
import {
  FRAIS,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRISES_EN_CHARGE,
  PUBLICS,
  SERVICES,
} from '../../../server/places/standard.js';
import { testConfig } from '../../support/context.js';
import { eastOf, makeLabel, makePlace, randomSpot } from '../../support/factories.js';

const HOURS = ['Mo-Fr 09:00-12:00', 'Sa 10:00-12:00; PH off', 'Jan-Jun Mo 10:00-12:00', null];

/** What a loaded index holds of these places, by id: position, hours and labels (with their last day). */
function contentOf(index: PlaceIndex, ids: Set<number>) {
  const { store } = index;
  const labels = new Map<number, string[]>();
  for (const [labelId, slots] of store.labelSlots) {
    for (const [slot, until] of slots) labels.set(slot, [...(labels.get(slot) ?? []), `${labelId}:${until}`]);
  }
  const places: Record<number, unknown> = {};
  for (let slot = 0; slot < store.slotCount; slot++) {
    if (!store.alive[slot] || !ids.has(store.ids[slot])) continue;
    const rule = store.hours[slot];
    places[store.ids[slot]] = {
      at: [store.latitudes[slot], store.longitudes[slot]],
      hours: rule === -1 ? null : store.weeks[rule].text,
      labels: (labels.get(slot) ?? []).sort(),
    };
  }
  return places;
}

describe('the first load of the place index', () => {
  const config = testConfig();
  const db = createDb(config.DATABASE_URL!, { min: 0, max: 4 });
  const indexes: PlaceIndex[] = [];
  const indexWith = (options: { loadBatch?: number; hoursApartFrom?: number }) => {
    const index = createPlaceIndex({ db, connectionString: config.DATABASE_URL!, ...options });
    indexes.push(index);
    return index;
  };
  // Other test files write places meanwhile: only these are compared, spread over several batches.
  const made = new Set<number>();
  beforeAll(async () => {
    const here = randomSpot();
    for (const slug of ['index-load-a', 'index-load-b']) await makeLabel(db, { slug });
    for (let i = 0; i < 60; i++) {
      const place = await makePlace(db, {
        at: eastOf(here, i / 100),
        horaires: HOURS[i % HOURS.length],
        labels: i % 3 === 0 ? ['index-load-a', 'index-load-b'] : [],
      });
      made.add(place.id);
    }
  });
  afterAll(async () => {
    for (const index of indexes) await index.stop();
    await db.destroy();
  });

  it('when it reads in small batches, each asked before the last is filed, then it holds what one holds', async () => {
    const inOneBatch = indexWith({});
    const inBatches = indexWith({ loadBatch: 7, hoursApartFrom: 1 });
    await Promise.all([inOneBatch.start(), inBatches.start()]);
    const loaded = contentOf(inBatches, made);
    expect(Object.keys(loaded)).toHaveLength(made.size);
    expect(loaded).toEqual(contentOf(inOneBatch, made));
  });

  it('when a place holds any values of the six lists, then the index reads the bits maskOf gives them', async () => {
    // Each value alone, every value, none: the bits PostgreSQL builds are the filter's bits.
    const lists: [BitField, string, readonly string[]][] = [
      ['services', 'services', SERVICES],
      ['publics', 'publicsSpecifiquementAdresses', PUBLICS],
      ['priseEnCharge', 'priseEnChargeSpecifique', PRISES_EN_CHARGE],
      ['frais', 'fraisACharge', FRAIS],
      ['modalitesAcces', 'modalitesAcces', MODALITES_ACCES],
      ['modalitesAccompagnement', 'modalitesAccompagnement', MODALITES_ACCOMPAGNEMENT],
    ];
    const cases: { id: number; field: BitField; values: readonly string[] }[] = [];
    for (const [field, column, values] of lists) {
      for (const chosen of [...values.map((value) => [value]), values, []]) {
        const place = await makePlace(db, { [column]: chosen });
        cases.push({ id: place.id, field, values: chosen });
      }
    }
    const rows = new Map(
      (
        await indexedPlacesByIds(
          db,
          cases.map((c) => c.id),
        )
      ).map((row) => [row.id, row]),
    );
    for (const { id, field, values } of cases) {
      expect(rows.get(id)?.[field], `${field} ${values.join(', ')}`).toBe(values.length ? maskOf(field, values) : 0);
    }
  });
});
