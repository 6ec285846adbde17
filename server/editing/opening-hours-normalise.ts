import OpeningHoursModule from 'opening_hours';

const OpeningHoursClass = OpeningHoursModule as unknown as new (value: string, nominatim?: unknown, conf?: unknown) => { prettifyValue(): string };
const FRANCE = { lat: 46.6, lon: 2.4, address: { country_code: 'fr', state: '' } };

/**
 * The library understands forgiving input ("Lu-Ve 9h-12h") and rewrites it in the canonical OSM
 * syntax ("Mo-Fr 09:00-12:00"): we store that, so the data stays valid for every reuser.
 * Invalid strings are left as they are, for the zod schema to refuse with the library's message.
 */
export function normaliseOpeningHours(value: string): string {
  try {
    return new OpeningHoursClass(value.trim(), FRANCE, { mode: 0, locale: 'fr' }).prettifyValue();
  } catch {
    return value;
  }
}
