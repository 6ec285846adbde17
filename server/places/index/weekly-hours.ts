import { boundedMemo } from '../../shared/bounded-cache.js';
import { isOpenAt, isWeekStable, openIntervals } from '../../shared/opening-hours.js';
import {
  fromParisIsoMinute,
  fromParisWallTime,
  parisToday,
  parisWallTime,
  type WallTime,
} from '../../shared/paris-time.js';

export const MINUTES_PER_WEEK = 7 * 24 * 60;

/**
 * A place's opening hours as one week of Paris wall-time intervals, in minutes from Monday 00:00:
 * `[start, end, start, end, …]`, sorted. `kind` says when the week holds:
 * - `weekly`: every week of the year;
 * - `weekly-except-holidays`: every day but public holidays ("…; PH off", the common case);
 * - `calendar`: the rule depends on the date (months, weeks, school holidays, Easter, years).
 * The library is asked only for `calendar` rules, and for the others on a public holiday.
 */
export interface WeeklyHours {
  intervals: Int32Array;
  kind: 'weekly' | 'weekly-except-holidays' | 'calendar';
  text: string;
  /**
   * Some of the week is in the library's "unknown" state (open: null, not in `intervals`): the
   * week answers "open at" (not open then, as the library) but not the open state shown.
   */
  someUnknown: boolean;
}

const PUBLIC_HOLIDAY = /\bPH\b/;
// Any of these makes the week depend on the calendar (in the library's syntax, months in English).
const CALENDAR_DEPENDENT =
  /\b(SH|easter|week|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|\b\d{4}\b|\[-?\d\]|\bsun(rise|set)\b|\b(dawn|dusk)\b/i;

// A reference Monday (no public holiday that week, no change of clocks): the week of a stable rule.
const REFERENCE_MONDAY = new Date(Date.UTC(2026, 0, 5));

export const dayNumber = (w: Pick<WallTime, 'year' | 'month' | 'day'>) =>
  Date.UTC(w.year, w.month - 1, w.day) / 86_400_000;

/** Minutes from the Monday 00:00 (Paris) of the instant's week to the instant. */
export function minuteOfWeek(instant: Date): number {
  return minuteOfWallWeek(parisWallTime(instant));
}

/** The same, from the instant's Paris wall time when the caller has it already. */
export function minuteOfWallWeek(w: WallTime): number {
  const weekday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7; // Monday 0
  return weekday * 1440 + w.hour * 60 + w.minute;
}

function weekOf(horaires: string, mondayUtc: Date): { flat: number[]; someUnknown: boolean } | null {
  const monday = { year: mondayUtc.getUTCFullYear(), month: mondayUtc.getUTCMonth() + 1, day: mondayUtc.getUTCDate() };
  const from = fromParisWallTime({ ...monday, hour: 0, minute: 0, second: 0 });
  const to = new Date(from.getTime() + 7 * 86_400_000 + 3_600_000);
  const intervals = openIntervals(horaires, from, to);
  if (!intervals) return null;
  const start = dayNumber(monday);
  const minutes = (w: WallTime) => Math.min(MINUTES_PER_WEEK, (dayNumber(w) - start) * 1440 + w.hour * 60 + w.minute);
  const flat: number[] = [];
  let someUnknown = false;
  for (const { from: a, to: b, unknown } of intervals) {
    const s = minutes(a);
    const e = minutes(b);
    if (!(e > s && s < MINUTES_PER_WEEK)) continue;
    if (unknown) someUnknown = true;
    else flat.push(s, e);
  }
  return { flat, someUnknown };
}

/** Compiles an OSM opening_hours string once (at load or refresh); null when unreadable. */
export function compileWeeklyHours(horaires: string): WeeklyHours | null {
  const stable = isWeekStable(horaires);
  const week = stable === null ? null : weekOf(horaires, REFERENCE_MONDAY);
  if (!week) return null;
  let kind: WeeklyHours['kind'] = 'calendar';
  if (!CALENDAR_DEPENDENT.test(horaires)) {
    // The library calls any rule with PH unstable; without other calendar words, only holidays differ.
    if (stable) kind = 'weekly';
    else if (PUBLIC_HOLIDAY.test(horaires)) kind = 'weekly-except-holidays';
  }
  return { intervals: Int32Array.from(week.flat), kind, text: horaires, someUnknown: week.someUnknown };
}

/** Open at this minute of the week? For the days the week holds (see `kind`). */
export function isOpenInWeek(hours: WeeklyHours, minute: number): boolean {
  const { intervals } = hours;
  for (let i = 0; i < intervals.length; i += 2) {
    if (minute < intervals[i]) return false;
    if (minute < intervals[i + 1]) return true;
  }
  return false;
}

/** Is this Paris day a public holiday? Asked to the library once per day, not once per search. */
export const isPublicHoliday = boundedMemo(64, (parisDay: string) =>
  isOpenAt('PH', fromParisIsoMinute(`${parisDay}T12:00`)),
);

/**
 * A calendar rule's answer at a minute, shared by the searches of that minute ("open now": all of
 * them): the library is asked once per distinct rule per minute. Rules change state on the minute.
 */
const libraryAnswer = boundedMemo(20_000, (key: string) => {
  const bar = key.indexOf('|');
  return isOpenAt(key.slice(bar + 1), new Date(Number(key.slice(0, bar)) * 60_000));
});

/** What an instant says to the weeks: its minute of the week, and whether its day is a public holiday. */
export interface OpenInstant {
  instant: Date;
  minute: number;
  holiday: boolean;
}

export function openInstant(instant: Date): OpenInstant {
  return { instant, minute: minuteOfWeek(instant), holiday: isPublicHoliday(parisToday(instant)) };
}

/** Whether the week's intervals answer for `hours` on such a day; else the library does. */
export const decidedByWeek = (hours: WeeklyHours, holiday: boolean) =>
  hours.kind === 'weekly' || (hours.kind === 'weekly-except-holidays' && !holiday);

/**
 * "Is it open then?" for one request: from the week's intervals, except for calendar rules (and
 * every rule on a public holiday), asked to the library once per distinct rule and minute.
 */
export function openAtChecker(instant: Date | OpenInstant): (hours: WeeklyHours) => boolean {
  const at = instant instanceof Date ? openInstant(instant) : instant;
  const minuteKey = Math.floor(at.instant.getTime() / 60_000);
  return (hours) => {
    if (decidedByWeek(hours, at.holiday)) return isOpenInWeek(hours, at.minute);
    return libraryAnswer(`${minuteKey}|${hours.text}`);
  };
}
