import type { OpeningState } from '../../shared/opening-hours.js';
import { isoDay, parisWallTime, type WallTime } from '../../shared/paris-time.js';
import { dayNumber, isPublicHoliday, MINUTES_PER_WEEK, minuteOfWallWeek, type WeeklyHours } from './weekly-hours.js';

/** How far the library looks for the next change (opening-hours.ts, openingStateAt): 8 days. */
const HORIZON_DAYS = 8;

const DAY_MS = 86_400_000;

/** The Paris day `days` after `w`'s day, as a wall time at `minute` minutes past midnight. */
function wallTimeAt(w: WallTime, days: number, minute: number): WallTime {
  const date = new Date((dayNumber(w) + days) * DAY_MS);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: Math.floor(minute / 60),
    minute: minute % 60,
    second: 0,
  };
}

/** The week's intervals with those that touch joined (12:00-14:00 after 10:00-12:00 is no change). */
function joined(intervals: Int32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < intervals.length; i += 2) {
    if (out.length && out[out.length - 1] >= intervals[i])
      out[out.length - 1] = Math.max(out[out.length - 1], intervals[i + 1]);
    else out.push(intervals[i], intervals[i + 1]);
  }
  return out;
}

/**
 * The minutes of the week where the state changes, ascending. An opening at Monday 00:00 that
 * continues Sunday's (open through midnight) is no change, nor a closing at the week's end.
 */
function changesOf(hours: WeeklyHours): number[] {
  const spans = joined(hours.intervals);
  if (spans.length === 0) return [];
  const throughTheSeam = spans[0] === 0 && spans[spans.length - 1] === MINUTES_PER_WEEK;
  return spans.filter((minute, i) => {
    if (!throughTheSeam) return minute < MINUTES_PER_WEEK;
    return !(i === 0 && minute === 0) && !(i === spans.length - 1 && minute === MINUTES_PER_WEEK);
  });
}

/**
 * "Open now, and until when" from the week's intervals: what the library's openingStateAt answers,
 * without asking it (a rule parsed costs ~0.5 ms and ~30 kB). For weekly rules; for those closed on
 * public holidays, when no holiday falls from today to the next change (or within the library's
 * horizon when there is none). Undefined when the library must answer: calendar rules, a holiday
 * ahead, a week with unknown states. `instant` on the minute (opening-states.ts asks at the minute's start).
 */
export function stateFromWeek(hours: WeeklyHours, instant: Date): OpeningState | undefined {
  // Fallback rules ("… || …") may hold states the intervals do not tell apart.
  if (hours.kind === 'calendar' || hours.someUnknown || hours.text.includes('||')) return undefined;
  const now = parisWallTime(instant);
  const minute = minuteOfWallWeek(now);
  const weekday = Math.floor(minute / 1440); // Monday 0
  const { intervals } = hours;
  let open = false;
  for (let i = 0; i < intervals.length && intervals[i] <= minute; i += 2) {
    if (minute < intervals[i + 1]) open = true;
  }
  const changes = changesOf(hours);
  // The first change after this minute, this week or the next.
  let next: number | undefined = changes.find((change) => change > minute);
  if (next === undefined && changes.length) next = changes[0] + MINUTES_PER_WEEK;
  const nextChange = next === undefined ? null : wallTimeAt(now, Math.floor(next / 1440) - weekday, next % 1440);
  if (hours.kind === 'weekly-except-holidays') {
    const lastDay = nextChange ? dayNumber(nextChange) - dayNumber(now) : HORIZON_DAYS;
    for (let day = 0; day <= lastDay; day++) if (isPublicHoliday(isoDay(wallTimeAt(now, day, 0)))) return undefined;
  }
  return { open, nextChange };
}
