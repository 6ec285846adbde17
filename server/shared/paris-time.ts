/**
 * Opening hours are wall-clock times in France. The opening_hours library reads a Date's local
 * fields, so we hand it a Date whose local fields are the Paris wall time, whatever the server's
 * time zone, and read its answers back the same way.
 */
export const PARIS_TIME_ZONE = 'Europe/Paris';

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: PARIS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function parisWallTime(instant: Date): WallTime {
  const parts = Object.fromEntries(partsFormatter.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** A Date whose local fields show the Paris wall time of `instant` (input for opening_hours). */
export function toParisLocalDate(instant: Date): Date {
  const w = parisWallTime(instant);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The real instant of a Paris wall time (e.g. "2026-12-25T10:00" typed by a visitor). */
export function fromParisWallTime(w: WallTime): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // Two passes settle the offset, including on the days clocks change.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const seen = parisWallTime(new Date(guess));
    const seenUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    guess += asUtc - seenUtc;
  }
  return new Date(guess);
}

/** Reads back a Date built by toParisLocalDate (or returned by opening_hours) as wall time. */
export function localDateToWallTime(date: Date): WallTime {
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
  };
}
