import { boundedMemo } from './bounded-cache.js';

/**
 * Opening hours are wall-clock times in France. The opening_hours library reads a Date's local
 * fields, so we hand it a Date whose local fields are the Paris wall time, whatever the server's
 * time zone, and read its answers back the same way.
 */
const PARIS_TIME_ZONE = 'Europe/Paris';

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

function formattedWallTime(instant: Date): WallTime {
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

const HOUR_MS = 3_600_000;
// Paris changes its offset on the hour: each hour's offset is asked of Intl once, since asking for
// every time was 2 % of the CPU of a nearest search (every listed place's "open now" needs the
// time) and a week's table asks for many hours.
const parisOffsetMs = boundedMemo(4_096, (hour: number) => {
  const w = formattedWallTime(new Date(hour * HOUR_MS));
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - hour * HOUR_MS;
});

export function parisWallTime(instant: Date): WallTime {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return formattedWallTime(instant); // Intl's RangeError, as before
  const wall = new Date(ms + parisOffsetMs(Math.floor(ms / HOUR_MS)));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
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

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "2026-12-01": the calendar day of a wall time. */
export const isoDay = (w: Pick<WallTime, 'year' | 'month' | 'day'>) => `${w.year}-${pad2(w.month)}-${pad2(w.day)}`;

/** "09:30". */
export const hourMinute = (w: Pick<WallTime, 'hour' | 'minute'>) => `${pad2(w.hour)}:${pad2(w.minute)}`;

/** "2026-12-01T09:30": a wall time to the minute, as the API's `next_change` gives it. */
export const isoMinute = (w: WallTime) => `${isoDay(w)}T${hourMinute(w)}`;

/** `isoMinute`, or null when there is no such time (an open state that never changes). */
export const isoMinuteOrNull = (w: WallTime | null) => (w ? isoMinute(w) : null);

/** The instant of a Paris wall time written as `isoMinute` writes it ("2026-12-01T12:00"). */
export function fromParisIsoMinute(text: string): Date {
  const [year, month, day, hour, minute] = text.split(/[-T:]/).map(Number);
  return fromParisWallTime({ year, month, day, hour, minute, second: 0 });
}

/** The soonest of these Paris wall-time minutes ("2026-12-01T12:00"): the next change of open state of a list. */
export function soonestParisMinute(changes: (string | null)[]): Date | null {
  let soonest: Date | null = null;
  for (const change of changes) {
    if (!change) continue;
    const at = fromParisIsoMinute(change);
    if (!soonest || at < soonest) soonest = at;
  }
  return soonest;
}

/** "01/12": day and month, the French way. */
export const dayMonth = (w: Pick<WallTime, 'month' | 'day'>) => `${pad2(w.day)}/${pad2(w.month)}`;

/** Today's date in Paris ("2026-12-01"), whatever the server's time zone. */
export const parisToday = (instant: Date) => isoDay(parisWallTime(instant));

/** The Paris day of an instant as days since 1970-01-01 (how the index dates a label's end). */
export function parisDayNumber(instant: Date): number {
  const w = parisWallTime(instant);
  return Date.UTC(w.year, w.month - 1, w.day) / 86_400_000;
}

const frenchLongDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: PARIS_TIME_ZONE });

/** "1 décembre 2026": the day of an instant in Paris, in words. */
export const formatFrenchDate = (instant: Date) => frenchLongDate.format(instant);
