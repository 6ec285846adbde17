import OpeningHoursModule from 'opening_hours';
import { boundedMemo } from './bounded-cache.js';
import { localDateToWallTime, toParisLocalDate, type WallTime } from './paris-time.js';

type OpeningHours = InstanceType<typeof OpeningHoursModule>;
const OpeningHoursClass = OpeningHoursModule as unknown as new (
  value: string,
  nominatim?: unknown,
  conf?: unknown,
) => OpeningHours;

// Public holidays ("PH off") are those of metropolitan France; French wording for the library's messages.
const FRANCE = { lat: 46.6, lon: 2.4, address: { country_code: 'fr', state: '' } };
const FRENCH_OPTIONS = { mode: 0, locale: 'fr' };

/** The one place that builds an opening_hours object: France's holidays, French messages. Throws on invalid input. */
const openingHoursOf = (value: string): OpeningHours => new OpeningHoursClass(value, FRANCE, FRENCH_OPTIONS);

type Parsed = { hours: OpeningHours; error?: undefined } | { hours: null; error: string };

/**
 * Parses an OSM opening_hours string once while it is in use; the same string is shared by many
 * places. A parsed rule weighs ~30 KB: keeping the 4,268 distinct rules of a million places took
 * 127 MB. The index compiles each rule once at load into plain intervals (weekly-hours.ts), so only
 * the rules in use at request time need to stay parsed: 1,000 at most, the least recently used go first.
 */
const parseWithError = boundedMemo(1_000, (value: string): Parsed => {
  try {
    return { hours: openingHoursOf(value) };
  } catch (error) {
    const detail = String(error instanceof Error ? error.message : error).split('\n')[0];
    return { hours: null, error: `Horaires au format OpenStreetMap invalides : ${detail}` };
  }
});

const parse = (value: string): OpeningHours | null => parseWithError(value).hours;

/**
 * The library understands forgiving input ("Lu-Ve 9h-12h") and rewrites it in the canonical OSM
 * syntax ("Mo-Fr 09:00-12:00"): we store that, so the data stays valid for every reuser.
 * Invalid strings are left as they are, for the zod schema to refuse with the library's message.
 */
export function normaliseOpeningHours(value: string): string {
  try {
    return openingHoursOf(value.trim()).prettifyValue();
  } catch {
    return value;
  }
}

export type OpeningHoursCheck = { valid: true } | { valid: false; message: string };

/**
 * The verdict alone is remembered apart from the parsed rule: a few bytes, so many more fit. A
 * million-row load asks about ~4,300 distinct texts in random order; through the parse cache of
 * 1,000 nearly every row parsed its hours again (a fifth of the time of a bulk load's COPY).
 */
const checkedHours = boundedMemo(20_000, (value: string): OpeningHoursCheck => {
  const result = parseWithError(value);
  return result.hours ? { valid: true } : { valid: false, message: result.error };
});

export function checkOpeningHours(value: string): OpeningHoursCheck {
  return checkedHours(value);
}

export interface OpeningState {
  /** true / false, or null when the hours are unknown or unreadable. */
  open: boolean | null;
  /** Paris wall time of the next opening or closing, within a week. */
  nextChange: WallTime | null;
}

export function openingStateAt(horaires: string | null | undefined, instant: Date): OpeningState {
  if (!horaires) return { open: null, nextChange: null };
  const hours = parse(horaires);
  if (!hours) return { open: null, nextChange: null };
  const local = toParisLocalDate(instant);
  const weekLater = new Date(local.getTime() + 8 * 24 * 3600 * 1000);
  const open = hours.getUnknown(local) ? null : hours.getState(local);
  const next = hours.getNextChange(local, weekLater);
  return { open, nextChange: next ? localDateToWallTime(next) : null };
}

export function isOpenAt(horaires: string | null | undefined, instant: Date): boolean {
  if (!horaires) return false;
  const hours = parse(horaires);
  if (!hours) return false;
  const local = toParisLocalDate(instant);
  return hours.getState(local) && !hours.getUnknown(local);
}

/** The same hours every week (no months, weeks, holidays…)? null when unreadable. */
export function isWeekStable(horaires: string): boolean | null {
  const hours = parse(horaires);
  return hours ? hours.isWeekStable() : null;
}

export interface OpenInterval {
  from: WallTime;
  to: WallTime;
  /** The library's "unknown" state (open: null), as a comment can make it ("sur rendez-vous"). */
  unknown: boolean;
}

/** The opening intervals between two instants, as Paris wall times (for weekly tables). */
export function openIntervals(horaires: string | null | undefined, from: Date, to: Date): OpenInterval[] | null {
  if (!horaires) return null;
  const hours = parse(horaires);
  if (!hours) return null;
  return hours.getOpenIntervals(toParisLocalDate(from), toParisLocalDate(to)).map(([start, end, unknown]) => ({
    from: localDateToWallTime(start),
    to: localDateToWallTime(end),
    unknown,
  }));
}
