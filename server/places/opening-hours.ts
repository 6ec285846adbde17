import OpeningHoursModule from 'opening_hours';
import { localDateToWallTime, toParisLocalDate, type WallTime } from '../shared/paris-time.js';

type OpeningHours = InstanceType<typeof OpeningHoursModule>;
const OpeningHoursClass = OpeningHoursModule as unknown as new (
  value: string,
  nominatim?: unknown,
  conf?: unknown,
) => OpeningHours;

// Public holidays ("PH off") are those of metropolitan France.
const FRANCE = { lat: 46.6, lon: 2.4, address: { country_code: 'fr', state: '' } };

type Parsed = { hours: OpeningHours; error?: undefined } | { hours: null; error: string };
const parsed = new Map<string, Parsed>();
const PARSED_CACHE_LIMIT = 10_000;

/** Parses an OSM opening_hours string once; the same string is shared by many places. */
function parseWithError(value: string): Parsed {
  const cached = parsed.get(value);
  if (cached) return cached;
  let result: Parsed;
  try {
    result = { hours: new OpeningHoursClass(value, FRANCE, { mode: 0, locale: 'fr' }) };
  } catch (error) {
    const detail = String(error instanceof Error ? error.message : error).split('\n')[0];
    result = { hours: null, error: `Horaires au format OpenStreetMap invalides : ${detail}` };
  }
  if (parsed.size >= PARSED_CACHE_LIMIT) parsed.clear();
  parsed.set(value, result);
  return result;
}

const parse = (value: string): OpeningHours | null => parseWithError(value).hours;

export type OpeningHoursCheck = { valid: true } | { valid: false; message: string };

export function checkOpeningHours(value: string): OpeningHoursCheck {
  const result = parseWithError(value);
  return result.hours ? { valid: true } : { valid: false, message: result.error };
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

export interface OpenInterval {
  from: WallTime;
  to: WallTime;
}

/** The opening intervals between two instants, as Paris wall times (for weekly tables). */
export function openIntervals(horaires: string | null | undefined, from: Date, to: Date): OpenInterval[] | null {
  if (!horaires) return null;
  const hours = parse(horaires);
  if (!hours) return null;
  return hours
    .getOpenIntervals(toParisLocalDate(from), toParisLocalDate(to))
    .filter(([, , unknown]) => !unknown)
    .map(([start, end]) => ({ from: localDateToWallTime(start), to: localDateToWallTime(end) }));
}
