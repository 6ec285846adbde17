import { describe, expect, it } from 'vitest';
import { HoursCompiler } from '../../server/places/index/hours-compiler.js';
import { PlaceStore } from '../../server/places/index/place-store.js';
import { compileWeeklyHours } from '../../server/places/index/weekly-hours.js';
import { indexedRow } from '../support/index-rows.js';

// Distinct rules, a few unreadable, some shared by several places.
const RULES = [
  ...Array.from({ length: 40 }, (_, i) => `Mo-Fr 0${i % 10}:${10 + i}-18:00`),
  ...Array.from({ length: 10 }, (_, i) => `Sa ${10 + i}:00-20:00; PH off`),
  'Jan-Jun Mo 10:00-12:00',
  'pas des horaires',
  'Lu 25:00',
  null,
];
const rows = Array.from({ length: 300 }, (_, i) =>
  indexedRow(i + 1, 43 + i / 1000, 5, { horaires: RULES[(i * 7) % RULES.length] }),
);

/** Each place's week as compiled on the spot (null: no readable hours). */
const weeksOf = (store: PlaceStore) =>
  rows.map((row) => {
    const rule = store.hours[store.slotById.get(row.id) ?? -1];
    return rule === -1 ? null : store.weeks[rule];
  });

function filledOnTheSpot() {
  const store = new PlaceStore();
  for (const row of rows) store.upsert(row);
  return store;
}

describe('opening hours compiled apart during a full load', () => {
  it('when a load hands its hours to a worker thread, then each place gets the week compiled on the spot', async () => {
    const store = new PlaceStore();
    store.weekTable.defer();
    const compiler = new HoursCompiler(1);
    try {
      for (let from = 0; from < rows.length; from += 100) {
        for (const row of rows.slice(from, from + 100)) store.upsert(row);
        const { indexes, texts } = store.weekTable.take();
        store.weekTable.settle(indexes, await compiler.compile(texts));
      }
    } finally {
      compiler.close();
    }
    store.settleAllHours();
    expect(weeksOf(store)).toEqual(weeksOf(filledOnTheSpot()));
    expect(compiler.compiledApart).toBe(new Set(rows.map((row) => row.horaires).filter(Boolean)).size);
  });

  it('when a text turns out unreadable, then its places have no hours, and so has a place given it later', () => {
    const store = new PlaceStore();
    store.weekTable.defer();
    store.upsert(indexedRow(1, 43, 5, { horaires: 'pas des horaires' }));
    store.upsert(indexedRow(2, 43, 5, { horaires: 'Sa 09:00-12:00' }));
    const { indexes, texts } = store.weekTable.take();
    store.weekTable.settle(indexes, texts.map(compileWeeklyHours));
    store.settleAllHours();
    store.upsert(indexedRow(3, 43, 5, { horaires: 'pas des horaires' }));
    expect([1, 3].map((id) => store.hours[store.slotById.get(id) ?? -1])).toEqual([-1, -1]);
    expect(store.weeks[store.hours[store.slotById.get(2) ?? -1]].text).toBe('Sa 09:00-12:00');
  });

  it('when texts were never handed over, then ending the deferral compiles them', () => {
    const store = new PlaceStore();
    store.weekTable.defer();
    for (const row of rows) store.upsert(row);
    store.settleAllHours();
    expect(weeksOf(store)).toEqual(weeksOf(filledOnTheSpot()));
  });

  it('when the load has ended, then a new text is compiled on the spot', () => {
    const store = new PlaceStore();
    store.weekTable.defer();
    store.settleAllHours();
    store.upsert(indexedRow(9, 43, 5, { horaires: 'Tu 14:00-16:00' }));
    expect(store.weekTable.take().texts).toEqual([]);
    expect([...store.weeks[store.hours[0]].intervals]).toEqual([2280, 2400]);
  });

  it('when a compiler is closed, then what it was still asked is not compiled any more', async () => {
    const compiler = new HoursCompiler(1);
    const asked = compiler.compile(['Mo 10:00-12:00']);
    compiler.close();
    await expect(asked).rejects.toThrow();
    await expect(compiler.compile(['Tu 10:00-12:00'])).rejects.toThrow();
  });
});
