import { describe, expect, it } from 'vitest';
import { openRuleTest } from '../../server/places/index/place-filter.js';
import { ASK, CLOSED, OPEN, WeekRuleStates } from '../../server/places/index/week-rule-states.js';
import { WeekTable } from '../../server/places/index/week-table.js';
import { PlaceStore } from '../../server/places/index/place-store.js';
import { isOpenAt } from '../../server/shared/opening-hours.js';
import {
  compileWeeklyHours,
  isOpenInWeek,
  openAtChecker,
  type WeeklyHours,
} from '../../server/places/index/weekly-hours.js';
import { indexedRow } from '../support/index-rows.js';

const RULES = [
  'Mo-Fr 09:00-12:00,14:00-17:30',
  'Mo-Sa 08:30-19:00; PH off',
  'Tu,Th 18:00-22:00',
  'Mo-Su 00:00-24:00',
  'We 10:15-10:16',
  'Su 22:00-02:00',
  'Jan-Jun Mo 10:00-12:00',
];
const weeks = RULES.map((text) => compileWeeklyHours(text)).filter((week): week is WeeklyHours => week !== null);

describe("every rule's state through a stretch of the week", () => {
  it('when asked at any minute, then each rule the week decides is open exactly as its intervals say', () => {
    const states = new WeekRuleStates(weeks);
    const minutes = new Set<number>([0, 10_079]);
    for (const week of weeks) for (const edge of week.intervals) for (const d of [-1, 0, 1]) minutes.add(edge + d);
    for (let minute = 0; minute < 10_080; minute += 37) minutes.add(minute);
    for (const minute of minutes) {
      if (minute < 0 || minute >= 10_080) continue;
      for (const holiday of [false, true]) {
        const at = states.at(minute, holiday);
        weeks.forEach((week, rule) => {
          const decided = week.kind === 'weekly' || (week.kind === 'weekly-except-holidays' && !holiday);
          if (!decided) expect(at[rule]).toBe(ASK);
          else expect(at[rule]).toBe(isOpenInWeek(week, minute) ? OPEN : CLOSED);
        });
      }
    }
  });

  it('when two minutes fall in one stretch, then they share the states made for the first', () => {
    const states = new WeekRuleStates(weeks);
    // Monday 09:05 and 09:06: no rule opens or closes between them.
    expect(states.at(9 * 60 + 5, false)).toBe(states.at(9 * 60 + 6, false));
    expect(states.at(9 * 60 + 5, false)).not.toBe(states.at(9 * 60 + 5, true));
  });
});

describe('"open at" by rule, as a search asks it', () => {
  const instants = ['2026-12-07T09:30:00Z', '2026-12-09T09:15:30Z', '2026-12-25T10:00:00Z', '2026-12-13T23:30:00Z'];

  it('when the week answers or the library does, then the rule test agrees with the library', () => {
    const store = new PlaceStore();
    RULES.forEach((text, i) => store.upsert(indexedRow(i + 1, 45, 5, { horaires: text })));
    for (const iso of instants) {
      const instant = new Date(iso);
      const test = openRuleTest(store, instant);
      store.weeks.forEach((week, rule) => expect(test(rule)).toBe(isOpenAt(week.text, instant)));
    }
  });

  it('when a place brings new hours after the states were made, then the new rule is answered too', () => {
    const store = new PlaceStore();
    store.upsert(indexedRow(1, 45, 5, { horaires: RULES[0] }));
    const monday = new Date(instants[0]);
    expect(openRuleTest(store, monday)(0)).toBe(true);
    // Monday 7 December, 10:30 in Paris: closed; 12:15: open.
    store.upsert(indexedRow(2, 45, 5, { horaires: 'Mo 12:00-13:00' }));
    const rule = store.hours[store.slotById.get(2) ?? -1];
    expect(openRuleTest(store, monday)(rule)).toBe(false);
    expect(openRuleTest(store, new Date('2026-12-07T11:15:00Z'))(rule)).toBe(true);
  });

  it('when a deferred rule is compiled after a search, then the next search reads its real week', () => {
    const table = new WeekTable();
    table.defer();
    const index = table.intern(RULES[3]);
    const { indexes } = table.take();
    // Before its week is in place, the placeholder is never open.
    expect(table.openStates(600, false)[index]).toBe(CLOSED);
    table.settle(indexes, [compileWeeklyHours(RULES[3])]);
    expect(table.openStates(600, false)[index]).toBe(OPEN);
    expect(openAtChecker(new Date(instants[0]))(table.weeks[index])).toBe(true);
  });
});
