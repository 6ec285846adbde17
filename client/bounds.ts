import type { Bounds } from './url-state.js';

/** Metropolitan France and Corsica. */
const METROPOLE: Bounds = { west: -5.5, south: 41.2, east: 9.8, north: 51.2 };

const inside = (b: Bounds, p: { lat: number; lon: number }) =>
  p.lon >= b.west && p.lon <= b.east && p.lat >= b.south && p.lat <= b.north;

/**
 * The area to show for a set of places. When most of them are in metropolitan France, a few
 * overseas ones must not zoom the map out to the whole world: they stay reachable in the list.
 */
export function boundsToFit(points: { lat: number; lon: number }[], share = 0.8): Bounds | null {
  if (points.length === 0) return null;
  const metropolitan = points.filter((p) => inside(METROPOLE, p));
  const chosen = metropolitan.length >= share * points.length && metropolitan.length > 0 ? metropolitan : points;
  return {
    west: Math.min(...chosen.map((p) => p.lon)),
    south: Math.min(...chosen.map((p) => p.lat)),
    east: Math.max(...chosen.map((p) => p.lon)),
    north: Math.max(...chosen.map((p) => p.lat)),
  };
}
