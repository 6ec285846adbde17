import { describe, expect, it } from 'vitest';
import { fromParisWallTime, parisWallTime, toParisLocalDate } from '../../server/shared/paris-time.js';

describe('Paris wall time', () => {
  it('when it is winter, then Paris is UTC+1', () => {
    expect(parisWallTime(new Date('2026-12-01T09:30:00Z'))).toMatchObject({ hour: 10, minute: 30, day: 1 });
  });

  it('when it is summer, then Paris is UTC+2', () => {
    expect(parisWallTime(new Date('2026-07-07T22:30:00Z'))).toMatchObject({ day: 8, hour: 0, minute: 30 });
  });

  it('when a visitor types a Paris time, then it becomes the right instant, on both sides of a clock change', () => {
    expect(fromParisWallTime({ year: 2026, month: 12, day: 25, hour: 10, minute: 0, second: 0 }).toISOString()).toBe(
      '2026-12-25T09:00:00.000Z',
    );
    expect(fromParisWallTime({ year: 2026, month: 3, day: 29, hour: 12, minute: 0, second: 0 }).toISOString()).toBe(
      '2026-03-29T10:00:00.000Z',
    );
    expect(fromParisWallTime({ year: 2026, month: 10, day: 25, hour: 12, minute: 0, second: 0 }).toISOString()).toBe(
      '2026-10-25T11:00:00.000Z',
    );
  });

  it('when handing a date to opening_hours, then its local fields show Paris time', () => {
    const local = toParisLocalDate(new Date('2026-12-01T09:30:00Z'));
    expect([local.getHours(), local.getMinutes(), local.getDay()]).toEqual([10, 30, 2]);
  });

  it('when many instants are read, around the clock changes too, then each wall time is what Intl says', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    const starts = ['2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z', '1996-10-27T00:00:00Z', '2040-12-31T22:00:00Z'];
    for (const start of starts) {
      // Every 7 min 13 s for 4 hours, in order and then backwards, so the kept offset is crossed both ways.
      const instants = Array.from({ length: 34 }, (_, i) => new Date(Date.parse(start) + i * 433_000));
      for (const instant of [...instants, ...instants.reverse()]) {
        const parts = Object.fromEntries(intl.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
        expect(parisWallTime(instant)).toEqual({
          year: parts.year,
          month: parts.month,
          day: parts.day,
          hour: parts.hour,
          minute: parts.minute,
          second: parts.second,
        });
      }
    }
  });
});
