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

const parsed = new Map<string, OpeningHours | null>();
const PARSED_CACHE_LIMIT = 10_000;

/** Parses an OSM opening_hours string once; the same string is shared by many places. */
function parse(value: string): OpeningHours | null {
  if (parsed.has(value)) return parsed.get(value)!;
  let result: OpeningHours | null;
  try {
    result = new OpeningHoursClass(value, FRANCE, { mode: 0, warnings_severity: 4, locale: 'fr' });
  } catch {
    result = null;
  }
  if (parsed.size >= PARSED_CACHE_LIMIT) parsed.clear();
  parsed.set(value, result);
  return result;
}

export type OpeningHoursCheck = { valid: true } | { valid: false; message: string };

export function checkOpeningHours(value: string): OpeningHoursCheck {
  try {
    new OpeningHoursClass(value, FRANCE, { mode: 0, locale: 'fr' });
    return { valid: true };
  } catch (error) {
    const detail = String(error instanceof Error ? error.message : error).split('\n')[0];
    return { valid: false, message: `Horaires au format OpenStreetMap invalides : ${detail}` };
  }
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
