import { describe, expect, it } from 'vitest';
import { compileFilter, maskOf, type IndexFilter } from '../../server/places/index/place-filter.js';
import { countWithin, nearest } from '../../server/places/index/place-queries.js';
import { PlaceStore, type IndexedPlaceRow } from '../../server/places/index/place-store.js';
import { indexedRow } from '../support/index-rows.js';
import { compileWeeklyHours, minuteOfWeek, openAtChecker } from '../../server/places/index/weekly-hours.js';

const row = indexedRow;

const today = 20_000;
const everything: IndexFilter = { today };

function storeOf(rows: IndexedPlaceRow[]) {
  const store = new PlaceStore();
  for (const r of rows) store.upsert(r);
  store.rebuildTree();
  return store;
}

const near = (store: PlaceStore, limit: number, filter = everything, after?: { key: number; id: number }) =>
  nearest(store, { lat: 43.4, lon: 5.05, radiusKm: 30, limit, after, matches: compileFilter(store, filter) });

describe('weekly opening hours', () => {
  it('when hours are the same every week, then the week is kept as minutes from Monday 00:00', () => {
    const week = compileWeeklyHours('Sa 09:00-12:00');
    expect(week?.kind).toBe('weekly');
    expect([...(week?.intervals ?? [])]).toEqual([5 * 1440 + 540, 5 * 1440 + 720]);
  });

  it('when hours close on public holidays, then the week holds on every other day', () => {
    const week = compileWeeklyHours('Mo-Fr 09:00-12:00; PH off')!;
    expect(week.kind).toBe('weekly-except-holidays');
    expect(openAtChecker(new Date('2026-12-24T09:30:00Z'))(week)).toBe(true);
    expect(openAtChecker(new Date('2026-12-25T09:30:00Z'))(week)).toBe(false);
  });

  it('when hours depend on the month, then the library decides at request time', () => {
    const week = compileWeeklyHours('Jan-Jun Mo 10:00-12:00')!;
    expect(week.kind).toBe('calendar');
    expect(openAtChecker(new Date('2026-12-07T09:30:00Z'))(week)).toBe(false);
  });

  it('when an instant is given, then its minute of the week is Paris wall time', () => {
    expect(minuteOfWeek(new Date('2026-12-01T09:30:00Z'))).toBe(1440 + 10 * 60 + 30);
  });

  it('when hours are unreadable, then there is no week', () => {
    expect(compileWeeklyHours('pas des horaires')).toBeNull();
  });
});

describe('the in-memory place index', () => {
  it('when asking for the nearest places, then they come nearest first, within the radius', () => {
    const store = storeOf([row(1, 43.42, 5.05), row(2, 43.401, 5.05), row(3, 43.41, 5.05), row(4, 44.5, 5.05)]);
    expect(near(store, 10).map((h) => h.id)).toEqual([2, 3, 1]);
  });

  it('when many places share one spot, then pages cut the tie by id and none is lost or repeated', () => {
    const store = storeOf(Array.from({ length: 30 }, (_, i) => row(100 - i, 43.41, 5.05)));
    const seen: number[] = [];
    let after: { key: number; id: number } | undefined;
    for (let page = 0; page < 4; page++) {
      const hits = near(store, 8, everything, after);
      seen.push(...hits.map((h) => h.id));
      const last = hits.at(-1);
      if (!last) break;
      after = { key: last.key, id: last.id };
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => 71 + i));
  });

  it('when filtering by service and by open hours, then only places matching both come back', () => {
    const services = maskOf('services', ['Aide aux démarches administratives']);
    const store = storeOf([
      row(1, 43.41, 5.05, { services, horaires: 'Mo-Fr 09:00-12:00' }),
      row(2, 43.42, 5.05, { services, horaires: 'Sa 09:00-12:00' }),
      row(3, 43.43, 5.05, { horaires: 'Mo-Fr 09:00-12:00' }),
    ]);
    const filter = {
      today,
      services: ['Aide aux démarches administratives'],
      openAt: new Date('2026-12-01T09:30:00Z'),
    };
    expect(near(store, 10, filter).map((h) => h.id)).toEqual([1]);
  });

  it('when filtering by INSEE code, then each code finds its own places, Corsica’s and odd ones too', () => {
    const codes = ['13056', '01004', '2A004', '2B004', '02004', '97411', '2a004', 'X-1', null];
    const store = storeOf(codes.map((codeInsee, i) => row(i + 1, 43.4 + i / 1000, 5.05, { codeInsee })));
    codes.forEach((codeInsee, i) => {
      if (codeInsee === null) return;
      expect(
        near(store, 20, { today, codeInsee }).map((h) => h.id),
        codeInsee,
      ).toEqual([i + 1]);
    });
    for (const absent of ['13055', '2A005', '2C004', 'X-2', '']) {
      expect(near(store, 20, { today, codeInsee: absent }), absent).toEqual([]);
    }
  });

  it('when a place changes after the tree was built, then searches see it before the next rebuild', () => {
    const store = storeOf([row(1, 43.42, 5.05), row(2, 43.43, 5.05)]);
    store.upsert(row(2, 43.4001, 5.05));
    store.upsert(row(3, 43.41, 5.05));
    store.remove(1);
    expect(near(store, 10).map((h) => h.id)).toEqual([2, 3]);
  });

  it('when counting, then every matching place within the radius is counted, not only a page', () => {
    const store = storeOf([
      ...Array.from({ length: 50 }, (_, i) => row(i + 1, 43.4 + i * 0.001, 5.05)),
      row(99, 45, 5.05),
    ]);
    expect(countWithin(store, { lat: 43.4, lon: 5.05, radiusKm: 30, upTo: 1001, matches: () => true })).toBe(50);
  });

  it('when more places match than the count is asked for, then the walk stops there', () => {
    const store = storeOf(Array.from({ length: 500 }, (_, i) => row(i + 1, 43.4 + (i % 25) * 0.001, 5.05 + i * 1e-4)));
    store.upsert(row(9001, 43.41, 5.05));
    let tested = 0;
    const matches = () => (tested++, true);
    expect(countWithin(store, { lat: 43.4, lon: 5.05, radiusKm: 30, upTo: 101, matches })).toBe(101);
    expect(tested).toBe(101);
    expect(countWithin(store, { lat: 43.4, lon: 5.05, radiusKm: 30, upTo: 1001, matches: () => true })).toBe(501);
  });

  it('when a label link has ended, then the label filter no longer finds the place', () => {
    const store = storeOf([row(1, 43.41, 5.05), row(2, 43.42, 5.05)]);
    store.setLabels(store.slotById.get(1)!, [{ labelId: 7, untilDay: null }]);
    store.setLabels(store.slotById.get(2)!, [{ labelId: 7, untilDay: today - 1 }]);
    expect(near(store, 10, { today, labelIds: [7] }).map((h) => h.id)).toEqual([1]);
  });
});

describe('the open-at filter of the index', () => {
  it('when many places share a few rules, then each place is open exactly when its own rule says so', () => {
    const rules = ['Mo-Fr 09:00-12:00', 'Sa 09:00-12:00; PH off', 'Jan-Jun Mo 10:00-12:00', 'Mo-Su 00:00-24:00'];
    const store = storeOf(
      Array.from({ length: 200 }, (_, i) =>
        row(i + 1, 43.4 + i * 1e-4, 5.05, { horaires: i % 5 === 4 ? null : rules[i % 5] }),
      ),
    );
    for (const iso of ['2026-12-07T09:30:00Z', '2026-12-12T09:30:00Z', '2026-12-13T23:30:00Z']) {
      const openAt = new Date(iso);
      const isOpen = openAtChecker(openAt);
      const expected = Array.from({ length: 200 }, (_, i) => i + 1).filter((id) => {
        const week = store.hours[store.slotById.get(id)!];
        return week >= 0 && isOpen(store.weeks[week]);
      });
      expect(near(store, 500, { today, openAt }).map((h) => h.id)).toEqual(expected);
    }
  });
});
