import { describe, expect, it } from 'vitest';
import { checkOpeningHours, isOpenAt, openingStateAt, openIntervals } from '../../server/shared/opening-hours.js';

const tuesdayMorning = new Date('2026-12-01T09:30:00Z'); // 10:30 in Paris

describe('opening hours (OSM opening_hours, evaluated in Paris)', () => {
  it('when the string is valid OSM syntax, then it is accepted', () => {
    expect(checkOpeningHours('Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off')).toEqual({ valid: true });
  });

  it('when the string is free text, then it is refused with a French explanation', () => {
    const result = checkOpeningHours('du lundi au vendredi 9h-12h');
    expect(result.valid).toBe(false);
    expect(!result.valid && result.message).toMatch(/^Horaires au format OpenStreetMap invalides/);
  });

  it('when a place is open, then the state says so and gives the closing time', () => {
    expect(openingStateAt('Mo-Fr 09:00-12:00', tuesdayMorning)).toEqual({
      open: true,
      nextChange: { year: 2026, month: 12, day: 1, hour: 12, minute: 0, second: 0 },
    });
  });

  it('when hours are missing or unreadable, then the state is unknown rather than closed', () => {
    expect(openingStateAt(null, tuesdayMorning)).toEqual({ open: null, nextChange: null });
    expect(openingStateAt('n’importe quoi', tuesdayMorning)).toEqual({ open: null, nextChange: null });
    expect(isOpenAt(null, tuesdayMorning)).toBe(false);
  });

  it('when it is Christmas, then "PH off" closes the place', () => {
    const christmas = new Date('2026-12-25T09:30:00Z');
    expect(isOpenAt('Mo-Fr 09:00-12:00; PH off', christmas)).toBe(false);
    expect(isOpenAt('Mo-Fr 09:00-12:00', christmas)).toBe(true);
  });

  it('when asking for a week of intervals, then they come as Paris wall times', () => {
    const intervals = openIntervals(
      'Tu 09:00-12:00',
      new Date('2026-11-30T00:00:00Z'),
      new Date('2026-12-07T00:00:00Z'),
    );
    expect(intervals).toEqual([
      {
        from: { year: 2026, month: 12, day: 1, hour: 9, minute: 0, second: 0 },
        to: { year: 2026, month: 12, day: 1, hour: 12, minute: 0, second: 0 },
        unknown: false,
      },
    ]);
  });

  it('when a comment makes the hours uncertain, then their intervals say "unknown"', () => {
    const intervals = openIntervals(
      'Mardi 9h-12h sur rendez-vous',
      new Date('2026-11-30T00:00:00Z'),
      new Date('2026-12-07T00:00:00Z'),
    );
    expect(intervals?.map((interval) => interval.unknown)).toEqual([true]);
  });
});
