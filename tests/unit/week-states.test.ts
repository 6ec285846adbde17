import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stateFromWeek } from '../../server/places/index/week-states.js';
import { compileWeeklyHours, type WeeklyHours } from '../../server/places/index/weekly-hours.js';
import { createOpeningStates } from '../../server/places/opening-states.js';
import { openingStateAt } from '../../server/shared/opening-hours.js';
import { isoMinuteOrNull } from '../../server/shared/paris-time.js';
import { seededRandom } from '../support/seeded-random.js';

/** The distinct opening hours of the seeded places: 2,951 real rules, in every shape people write. */
function seededRules(): string[] {
  const files = ['seeds/data/places.json', ...readdirSync('seeds/data/places').map((f) => `seeds/data/places/${f}`)];
  const rules = new Set<string>();
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const places = (Array.isArray(data) ? data : Object.values(data as object)[0]) as { horaires?: unknown }[];
    for (const place of places) if (typeof place.horaires === 'string') rules.add(place.horaires);
  }
  return [...rules];
}

const shown = (state: { open: boolean | null; nextChange: Parameters<typeof isoMinuteOrNull>[0] }) => ({
  open: state.open,
  next: isoMinuteOrNull(state.nextChange),
});

const weekOf = (rule: string): WeeklyHours => {
  const week = compileWeeklyHours(rule);
  if (!week) throw new Error(`unreadable: ${rule}`);
  return week;
};

const CRAFTED = [
  '24/7',
  'off',
  'Su 22:00-24:00; Mo 00:00-02:00',
  'Mo 10:00-12:00,12:00-14:00',
  'Mo-Fr 22:00-02:00',
  'Mo-Fr 01:00-03:30',
  'Su 01:30-03:30',
  'Mo-Su 00:00-24:00; PH off',
  'Mo-Fr 09:00-17:00; PH off',
  'Mo-Fr 09:00-12:00 "sur rendez-vous"',
  'Mo-Fr 09:00-12:00 || "sur rendez-vous"',
];

// Changes of clocks, public holidays and their eves, the year's end.
const HARD_INSTANTS = [
  '2026-03-29T00:30:00Z',
  '2026-03-29T01:30:00Z',
  '2026-10-25T00:30:00Z',
  '2026-10-25T01:30:00Z',
  '2026-04-30T20:00:00Z',
  '2026-05-01T10:00:00Z',
  '2026-07-13T12:00:00Z',
  '2026-12-24T12:00:00Z',
  '2026-12-31T23:30:00Z',
].map((iso) => new Date(iso));

describe('open states from the compiled weeks', () => {
  it('when a week answers, then it says what the library says, for seeded rules at random minutes of two years', () => {
    const random = seededRandom(5);
    const rules = [...CRAFTED, ...seededRules().filter(() => random() < 0.25)];
    let answered = 0;
    for (const rule of rules) {
      const week = compileWeeklyHours(rule);
      if (!week) continue;
      const minutes = Array.from({ length: 12 }, () => {
        const at = Date.UTC(2026, 0, 1) + random() * 2 * 365 * 86_400_000;
        return new Date(Math.floor(at / 60_000) * 60_000);
      });
      for (const at of [...HARD_INSTANTS, ...minutes]) {
        const state = stateFromWeek(week, at);
        if (!state) continue;
        answered++;
        expect(shown(state), `${rule} at ${at.toISOString()}`).toEqual(shown(openingStateAt(rule, at)));
      }
    }
    // The library is left the exceptions only.
    expect(answered).toBeGreaterThan(rules.length * 15);
  });

  it('when a place is open through Sunday midnight, then the next change is Monday’s closing', () => {
    const state = stateFromWeek(weekOf('Su 22:00-24:00; Mo 00:00-02:00'), new Date('2026-12-06T22:00:00Z'));
    expect(shown(state!)).toEqual({ open: true, next: '2026-12-07T02:00' });
    const allWeek = stateFromWeek(weekOf('24/7'), new Date('2026-12-06T22:00:00Z'));
    expect(shown(allWeek!)).toEqual({ open: true, next: null });
  });

  it('when a holiday comes before the next change, or a comment makes hours unknown, then the library answers', () => {
    // Thursday 30 April 2026, 22:00 in Paris: the next opening would be Friday 1 May, a holiday.
    expect(stateFromWeek(weekOf('Mo-Fr 09:00-17:00; PH off'), new Date('2026-04-30T20:00:00Z'))).toBeUndefined();
    expect(stateFromWeek(weekOf('Mo-Fr 09:00-17:00; PH off'), new Date('2026-12-07T10:00:00Z'))).toBeDefined();
    expect(stateFromWeek(weekOf('Mo-Fr 09:00-12:00 "sur rendez-vous"'), new Date('2026-12-07T10:00:00Z'))).toBe(
      undefined,
    );
    expect(stateFromWeek(weekOf('Jan-Jun Mo 10:00-12:00'), new Date('2026-12-07T10:00:00Z'))).toBeUndefined();
  });

  it('when the index holds a rule’s week, then a result list’s open state comes from it, not from the library', () => {
    // A week the library could not give (it cannot read this text): only the week can answer.
    const fabricated: WeeklyHours = {
      intervals: Int32Array.from([600, 720]),
      kind: 'weekly',
      text: 'not an opening_hours text',
      someUnknown: false,
    };
    const openingStates = createOpeningStates(
      (state) => state,
      (text) => (text === fabricated.text ? fabricated : undefined),
    );
    // Monday 7 December 2026, 10:30 in Paris.
    const state = openingStates(fabricated.text, new Date('2026-12-07T09:30:00Z'));
    expect(shown(state)).toEqual({ open: true, next: '2026-12-07T12:00' });
    expect(openingStates('Tu,Th 10:00-12:00', new Date('2026-12-07T09:30:00Z'))).toEqual(
      openingStateAt('Tu,Th 10:00-12:00', new Date('2026-12-07T09:30:00Z')),
    );
  });
});
