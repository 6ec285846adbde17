import { around } from 'geokdbush';
import { chordMetresForKm, haversineKm } from '../geo.js';
import type { PlaceStore } from './place-store.js';

export interface NearestHit {
  id: number;
  slot: number;
  distanceKm: number;
  /** The keyset position: chord metres on earthdistance's sphere, as the SQL path's cursor. */
  key: number;
}

export interface NearestQuery {
  lat: number;
  lon: number;
  radiusKm: number;
  limit: number;
  after?: { key: number; id: number };
  matches: (slot: number) => boolean;
}

const byKeyThenId = (a: NearestHit, b: NearestHit) => a.key - b.key || a.id - b.id;
// geokdbush measures on a 6371 km sphere, geo.ts on 6371.0088 km: look a hair further, then cut exactly.
const RADIUS_SLACK = 1.0001;

function hitMaker(store: PlaceStore, lat: number, lon: number) {
  const point = { lat, lon };
  return (slot: number): NearestHit => {
    const distanceKm = haversineKm(point, { lat: store.latitudes[slot], lon: store.longitudes[slot] });
    return { id: store.ids[slot], slot, distanceKm, key: chordMetresForKm(distanceKm) };
  };
}

/**
 * The `limit` nearest matching places after `after`, nearest first, ties by id: the k-d tree walks
 * outwards and stops as soon as it has enough, whatever the number of places in the radius.
 */
export function nearest(store: PlaceStore, query: NearestQuery): NearestHit[] {
  const { lat, lon, radiusKm, limit, after, matches } = query;
  const hitOf = hitMaker(store, lat, lon);
  const keep = (hit: NearestHit) =>
    hit.distanceKm <= radiusKm && (!after || hit.key > after.key || (hit.key === after.key && hit.id > after.id));

  const hits: NearestHit[] = [];
  for (const slot of store.changedSinceBuild) {
    if (!store.alive[slot] || !matches(slot)) continue;
    const hit = hitOf(slot);
    if (keep(hit)) hits.push(hit);
  }

  const tree = store.tree;
  if (tree) {
    const predicate = (item: number) => {
      const slot = store.treeSlots[item];
      if (slot < 0 || !store.inTree[slot] || !matches(slot)) return false;
      return !after || keep(hitOf(slot));
    };
    // Places at the same spot are equally near and the tree returns them in any order: when the
    // last one returned is as near as the last one kept, look further so no tie is cut in two.
    for (let wanted = limit + 8; ; wanted *= 2) {
      const items = around(tree, lon, lat, wanted, radiusKm * RADIUS_SLACK, predicate);
      const found = items.map((item) => hitOf(store.treeSlots[item])).filter(keep);
      found.sort(byKeyThenId);
      const saturated = items.length === wanted;
      const lastReturned = saturated ? hitOf(store.treeSlots[items[items.length - 1]]) : undefined;
      const lastKept = found.length > 0 ? found[Math.min(limit, found.length) - 1] : undefined;
      if (!lastReturned || !lastKept || lastReturned.key > lastKept.key + 1e-6) {
        hits.push(...found);
        break;
      }
    }
  }
  return hits.sort(byKeyThenId).slice(0, limit);
}

interface Box {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Every live place in a lon/lat box (tree and changed ones), each slot visited once. */
function forEachInBox(store: PlaceStore, box: Box, visit: (slot: number) => void) {
  for (const slot of store.changedSinceBuild) {
    const lat = store.latitudes[slot];
    const lon = store.longitudes[slot];
    if (store.alive[slot] && lat >= box.minLat && lat <= box.maxLat && lon >= box.minLon && lon <= box.maxLon)
      visit(slot);
  }
  if (!store.tree) return;
  for (const item of store.tree.range(box.minLon, box.minLat, box.maxLon, box.maxLat)) {
    const slot = store.treeSlots[item];
    if (slot >= 0 && store.inTree[slot]) visit(slot);
  }
}

/** The lon/lat boxes that hold a circle (two when it crosses the antimeridian). */
function boxesAround(lat: number, lon: number, radiusKm: number): Box[] {
  const dLat = (radiusKm / 111.195) * RADIUS_SLACK;
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const cos = Math.cos((Math.max(Math.abs(minLat), Math.abs(maxLat)) * Math.PI) / 180);
  const dLon = cos < 1e-6 ? 360 : (radiusKm / (111.195 * cos)) * RADIUS_SLACK;
  if (dLon >= 180) return [{ minLon: -180, minLat, maxLon: 180, maxLat }];
  const boxes = [{ minLon: Math.max(-180, lon - dLon), minLat, maxLon: Math.min(180, lon + dLon), maxLat }];
  if (lon - dLon < -180) boxes.push({ minLon: lon - dLon + 360, minLat, maxLon: 180, maxLat });
  if (lon + dLon > 180) boxes.push({ minLon: -180, minLat, maxLon: lon + dLon - 360, maxLat });
  return boxes;
}

/** How many matching places lie within the radius: from memory, never a count(*) in SQL. */
export function countWithin(store: PlaceStore, query: Omit<NearestQuery, 'limit' | 'after'>): number {
  const { lat, lon, radiusKm, matches } = query;
  const point = { lat, lon };
  let count = 0;
  for (const box of boxesAround(lat, lon, radiusKm)) {
    forEachInBox(store, box, (slot) => {
      if (matches(slot) && haversineKm(point, { lat: store.latitudes[slot], lon: store.longitudes[slot] }) <= radiusKm)
        count++;
    });
  }
  return count;
}
