import type { Place } from '../places/places.types.js';

// One notion of completeness: the one the quality score (server/places/place-quality.ts) counts.
export { completeness } from '../places/place-quality.js';

const STALE_DAYS = 180;

/** How fresh the listing is: the last confirmation or change, whichever is later. */
export function freshness(place: Place, now: Date) {
  const last = [place.verifiedAt, place.updatedAt]
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => b.getTime() - a.getTime())
    .at(0);
  const days = last ? Math.floor((now.getTime() - last.getTime()) / 86_400_000) : null;
  return { lastCheckedAt: last ?? null, days, stale: days === null || days > STALE_DAYS };
}
