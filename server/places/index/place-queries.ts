import { around } from 'geokdbush';
import type KDBush from 'kdbush';
import { chordMetresForKm, haversineKm } from '../geo.js';
import { matchesEverything } from './place-filter.js';
import type { PlaceStore, ServiceTree } from './place-store.js';
import type { TreeCandidates } from './query-plan.js';
import type { Box } from './tree-counts.js';

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
  /** When set, these tree items are tested one by one instead of walking the tree (query-plan.ts). */
  candidates?: TreeCandidates;
  /** When set, these trees (rare services' own, see ServiceTree) are walked instead of the main one. */
  subsets?: ServiceTree[];
}

const byKeyThenId = (a: NearestHit, b: NearestHit) => a.key - b.key || a.id - b.id;
// geokdbush measures on a 6371 km sphere, geo.ts on 6371.0088 km: look a hair further, then cut exactly.
const RADIUS_SLACK = 1.0001;

/**
 * Each candidate still in the tree whose latitude is within the radius, until `visit` says stop.
 * The latitude check is a cheap first cut (a degree of latitude is 111 km everywhere).
 */
function forEachCandidate(
  store: PlaceStore,
  candidates: TreeCandidates,
  near: { lat: number; radiusKm: number },
  visit: (slot: number) => boolean,
): boolean {
  const { items, ranges } = candidates;
  const { treeSlots, inTree, latitudes } = store;
  const dLat = (near.radiusKm / 111.195) * RADIUS_SLACK;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1]; i++) {
      const slot = treeSlots[items[i]];
      if (slot < 0 || !inTree[slot] || Math.abs(latitudes[slot] - near.lat) > dLat) continue;
      if (!visit(slot)) return false;
    }
  }
  return true;
}

function hitMaker(store: PlaceStore, lat: number, lon: number) {
  const point = { lat, lon };
  return (slot: number): NearestHit => {
    const distanceKm = haversineKm(point, { lat: store.latitudes[slot], lon: store.longitudes[slot] });
    return { id: store.ids[slot], slot, distanceKm, key: chordMetresForKm(distanceKm) };
  };
}

/**
 * The `limit` nearest matching places after `after`, nearest first, ties by id: the k-d tree walks
 * outwards and stops as soon as it has enough, whatever the number of places in the radius; or,
 * when the plan gives `candidates` (few places open at the instant), those are read one by one.
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

  if (query.candidates) {
    // Every candidate is read: no tie can be cut, the sort below orders them all.
    forEachCandidate(store, query.candidates, query, (slot) => {
      if (!matches(slot)) return true;
      const hit = hitOf(slot);
      if (keep(hit)) hits.push(hit);
      return true;
    });
    return hits.sort(byKeyThenId).slice(0, limit);
  }
  const trees = query.subsets ?? (store.tree ? [{ tree: store.tree, slots: store.treeSlots }] : []);
  for (const { tree, slots } of trees) {
    if (!tree) continue;
    const predicate = (item: number) => {
      const slot = slots[item];
      if (slot < 0 || !store.inTree[slot] || !matches(slot)) return false;
      return !after || keep(hitOf(slot));
    };
    // Places at the same spot are equally near and the tree returns them in any order: when the
    // last one returned is as near as the last one kept, look further so no tie is cut in two.
    for (let wanted = limit + 8; ; wanted *= 2) {
      const items = around(tree, lon, lat, wanted, radiusKm * RADIUS_SLACK, predicate);
      const found = items.map((item) => hitOf(slots[item])).filter(keep);
      found.sort(byKeyThenId);
      const saturated = items.length === wanted;
      const lastReturned = saturated ? hitOf(slots[items[items.length - 1]]) : undefined;
      const lastKept = found.length > 0 ? found[Math.min(limit, found.length) - 1] : undefined;
      if (!lastReturned || !lastKept || lastReturned.key > lastKept.key + 1e-6) {
        hits.push(...found);
        break;
      }
    }
  }
  // A place offering two of the services asked for is in both of their trees: kept once.
  const unique = trees.length > 1 ? [...new Map(hits.map((hit) => [hit.slot, hit])).values()] : hits;
  return unique.sort(byKeyThenId).slice(0, limit);
}

/**
 * The tree's items in a lon/lat box, as `KDBush.range` walks them, but without building the list of
 * every one: `visit` returning false stops the walk (a capped count needs 1,001, not 100,000).
 * Returns false when stopped.
 */
function walkTreeBox(tree: KDBush, box: Box, visit: (item: number) => boolean): boolean {
  const { ids, coords, nodeSize } = tree;
  const { minLon, minLat, maxLon, maxLat } = box;
  const inBox = (i: number) => {
    const x = coords[2 * i];
    const y = coords[2 * i + 1];
    return x >= minLon && x <= maxLon && y >= minLat && y <= maxLat;
  };
  // Pending [left, right, axis] triples: at most two per level, and a tree of 2^32 points is 32 deep.
  const stack = new Int32Array(3 * 64);
  stack.set([0, ids.length - 1, 0]);
  let top = 3;
  while (top > 0) {
    const axis = stack[--top];
    const right = stack[--top];
    const left = stack[--top];
    if (right - left <= nodeSize) {
      for (let i = left; i <= right; i++) if (inBox(i) && !visit(ids[i])) return false;
      continue;
    }
    const m = (left + right) >> 1;
    if (inBox(m) && !visit(ids[m])) return false;
    const split = coords[2 * m + axis];
    if (axis === 0 ? minLon <= split : minLat <= split) {
      stack[top++] = left;
      stack[top++] = m - 1;
      stack[top++] = 1 - axis;
    }
    if (axis === 0 ? maxLon >= split : maxLat >= split) {
      stack[top++] = m + 1;
      stack[top++] = right;
      stack[top++] = 1 - axis;
    }
  }
  return true;
}

/** Every place changed since the tree was built and still live, in a lon/lat box, until `visit` says stop. */
function forEachChangedInBox(store: PlaceStore, box: Box, visit: (slot: number) => boolean): boolean {
  for (const slot of store.changedSinceBuild) {
    const lat = store.latitudes[slot];
    const lon = store.longitudes[slot];
    if (store.alive[slot] && lat >= box.minLat && lat <= box.maxLat && lon >= box.minLon && lon <= box.maxLon) {
      if (!visit(slot)) return false;
    }
  }
  return true;
}

/**
 * Every live place in a lon/lat box (tree and changed ones), each slot visited once, until `visit`
 * says stop; only those of `subsets` when given (a slot in two of them is still visited once).
 */
function forEachInBox(store: PlaceStore, box: Box, visit: (slot: number) => boolean, subsets?: ServiceTree[]): boolean {
  if (!forEachChangedInBox(store, box, visit)) return false;
  const trees = subsets ?? (store.tree ? [{ tree: store.tree, slots: store.treeSlots }] : []);
  const seen = trees.length > 1 ? new Set<number>() : undefined;
  for (const { tree, slots } of trees) {
    if (!tree) continue;
    const walked = walkTreeBox(tree, box, (item) => {
      const slot = slots[item];
      if (slot < 0 || !store.inTree[slot] || seen?.has(slot)) return true;
      seen?.add(slot);
      return visit(slot);
    });
    if (!walked) return false;
  }
  return true;
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

/**
 * How many matching places lie within the radius, counting no further than `upTo` (from memory,
 * never a count(*) in SQL): past it the walk stops, so a count costs the same in a village and in
 * Paris (100,000 places within 30 km at 1M). The order of the walk does not matter for a count.
 */
export function countWithin(
  store: PlaceStore,
  query: Omit<NearestQuery, 'limit' | 'after'> & { upTo: number },
): number {
  const { lat, lon, radiusKm, matches, upTo, candidates } = query;
  const point = { lat, lon };
  let count = 0;
  const visit = (slot: number) => {
    if (matches(slot) && haversineKm(point, { lat: store.latitudes[slot], lon: store.longitudes[slot] }) <= radiusKm)
      count++;
    return count < upTo;
  };
  if (candidates) {
    // The places changed since the build are not among the candidates: read them as in a walk.
    for (const box of boxesAround(lat, lon, radiusKm)) if (!forEachChangedInBox(store, box, visit)) return count;
    forEachCandidate(store, candidates, query, visit);
    return count;
  }
  // Most searches reach the cap inside the square inscribed in the circle, where no distance needs
  // computing: that square is counted first, and only a search that does not reach the cap there
  // counts the whole circle (from zero: the square's places are met again).
  const inner = innerSquare(lat, lon, radiusKm);
  if (inner) {
    let inSquare = 0;
    if (matchesEverything(matches) && !query.subsets) inSquare = countInBox(store, inner, upTo);
    else forEachInBox(store, inner, (slot) => !matches(slot) || ++inSquare < upTo, query.subsets);
    if (inSquare >= upTo) return inSquare;
  }
  for (const box of boxesAround(lat, lon, radiusKm)) if (!forEachInBox(store, box, visit, query.subsets)) break;
  return count;
}

/**
 * A lon/lat box inside the circle (the inscribed square, 2 % smaller for the flat approximation
 * over a few dozen kilometres), or null where that approximation is not safe: large radii, the
 * poles, the antimeridian.
 */
function innerSquare(lat: number, lon: number, radiusKm: number): Box | null {
  if (radiusKm > 200) return null;
  const halfKm = (radiusKm / Math.SQRT2) * 0.98;
  const dLat = halfKm / 111.195;
  if (Math.abs(lat) + dLat > 80) return null;
  // East-west, a degree is shortest far from the equator: the square is sized where it is longest.
  const nearestEquator = Math.max(0, Math.abs(lat) - dLat);
  const dLon = halfKm / (111.195 * Math.cos((nearestEquator * Math.PI) / 180));
  if (lon - dLon < -180 || lon + dLon > 180) return null;
  return { minLon: lon - dLon, minLat: lat - dLat, maxLon: lon + dLon, maxLat: lat + dLat };
}

/**
 * How many live places lie in a lon/lat box, counting no further than `upTo`: the places changed
 * since the build one by one, the tree's by whole nodes where it can (TreeCounts).
 */
export function countInBox(store: PlaceStore, box: Box, upTo: number): number {
  let count = 0;
  forEachChangedInBox(store, box, () => ++count < upTo);
  if (count >= upTo || !store.treeCounts) return count;
  return count + store.treeCounts.countInBox(box, upTo - count, store.treeSlots);
}
