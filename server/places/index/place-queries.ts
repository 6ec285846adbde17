import { KdNearest } from './kd-nearest.js';
import { chordMetresForKm, haversineKm } from '../geo.js';
import {
  boxesAround,
  forEachChangedInBox,
  forEachInBox,
  forEachPositionInBox,
  innerSquare,
  positionalWalk,
  RADIUS_SLACK,
  treesToWalk,
} from './box-walks.js';
import { matchesEverything, type PositionFilter } from './place-filter.js';
import type { PlaceStore, ServiceTree } from './place-store.js';
import { latitudeBand, type SlotCandidates, type TreeCandidates } from './query-plan.js';
import type { Box } from './kd-nodes.js';

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
  /** `matches` is costly (a text's test): the distance is checked first where both are. */
  distanceFirst?: boolean;
  /** When set, these tree items are tested one by one instead of walking the tree (query-plan.ts). */
  candidates?: TreeCandidates | SlotCandidates;
  /** When set, these trees (rare services' own, see ServiceTree) are walked instead of the main one. */
  subsets?: ServiceTree[];
  /** `matches` on a tree's columns, by position (query-plan.ts): a count reads it when it can. */
  atPositions?: PositionFilter;
}

const byKeyThenId = (a: NearestHit, b: NearestHit) => a.key - b.key || a.id - b.id;

/** The nearest walk's reused queues (one search at a time on the event loop). */
const kdNearest = new KdNearest();

/**
 * Each candidate still in the tree whose latitude is within the radius, until `visit` says stop.
 * The latitude check is a cheap first cut (a degree of latitude is 111 km everywhere).
 */
function forEachCandidate(
  store: PlaceStore,
  candidates: TreeCandidates | SlotCandidates,
  near: { lat: number; lon: number; radiusKm: number },
  visit: (slot: number) => boolean,
): boolean {
  const { treeSlots, inTree, latitudes, longitudes } = store;
  const dLat = (near.radiusKm / 111.195) * RADIUS_SLACK;
  if ('slots' in candidates) {
    const { slots } = candidates;
    const [from, to] = bandOf(candidates, near);
    // Within a band, a cut by longitude too (a text's likely matches in a city at the same latitude).
    const cosine = Math.cos(((Math.abs(near.lat) + dLat) * Math.PI) / 180);
    const dLon = cosine > 0.01 ? dLat / cosine : 360;
    const outside = (lat: number, lon: number, slack: number) => {
      const dLonHere = Math.abs(lon - near.lon);
      return Math.abs(lat - near.lat) > dLat + slack || (dLonHere > dLon + slack && dLonHere < 360 - dLon - slack);
    };
    const each = (slot: number) => !inTree[slot] || outside(latitudes[slot], longitudes[slot], 0) || visit(slot);
    const { latitudes: near32, longitudes: lons32 } = candidates;
    for (let i = from; i < to; i++) {
      // Their copies in single precision first, read in order: most are far in longitude.
      if (near32 && lons32 && outside(near32[i], lons32[i], FLOAT32_SLACK)) continue;
      if (!each(slots[i])) return false;
    }
    for (const slot of candidates.extra ?? []) if (!each(slot)) return false;
    return true;
  }
  const { items, ranges } = candidates;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1]; i++) {
      const slot = treeSlots[items[i]];
      if (slot < 0 || !inTree[slot] || Math.abs(latitudes[slot] - near.lat) > dLat) continue;
      if (!visit(slot)) return false;
    }
  }
  return true;
}

/** The range of slot candidates within the radius's bands of latitude: all of them without `bands`. */
export function bandOf(candidates: SlotCandidates, near: { lat: number; radiusKm: number }): [number, number] {
  const { slots, bands } = candidates;
  if (!bands) return [0, slots.length];
  const dLat = (near.radiusKm / 111.195) * RADIUS_SLACK;
  return [bands[latitudeBand(near.lat - dLat)], bands[latitudeBand(near.lat + dLat) + 1]];
}

/** Degrees a single-precision copy of a latitude or longitude may be off by, and more (~10 m). */
const FLOAT32_SLACK = 1e-4;

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

  // The place as a hit if it matches and is kept; a text's test (distanceFirst) after the distance.
  const matchingHit = (slot: number): NearestHit | undefined => {
    if (!query.distanceFirst && !matches(slot)) return undefined;
    const hit = hitOf(slot);
    return keep(hit) && (!query.distanceFirst || matches(slot)) ? hit : undefined;
  };

  const hits: NearestHit[] = [];
  for (const slot of store.changedSinceBuild) {
    const hit = store.alive[slot] ? matchingHit(slot) : undefined;
    if (hit) hits.push(hit);
  }

  if (query.candidates && 'nearestFirst' in query.candidates && query.candidates.nearestFirst) {
    const near: NearestHit[] = [];
    forEachCandidate(store, query.candidates, query, (slot) => {
      const hit = hitOf(slot);
      if (keep(hit)) near.push(hit);
      return true;
    });
    near.sort(byKeyThenId);
    // The places changed since the build are tested already: the nearest are tested until none nearer is left.
    hits.sort(byKeyThenId).splice(limit);
    for (const hit of near) {
      if (hits.length === limit && byKeyThenId(hit, hits[limit - 1]) > 0) break;
      if (!matches(hit.slot)) continue;
      let at = hits.length;
      while (at > 0 && byKeyThenId(hits[at - 1], hit) > 0) at--;
      hits.splice(at, 0, hit);
      if (hits.length > limit) hits.pop();
    }
    return hits;
  }
  if (query.candidates) {
    // Every candidate is read: no tie can be cut, the sort below orders them all.
    forEachCandidate(store, query.candidates, query, (slot) => {
      const hit = matchingHit(slot);
      if (hit) hits.push(hit);
      return true;
    });
    return hits.sort(byKeyThenId).slice(0, limit);
  }
  const trees = treesToWalk(store, query.subsets);
  for (const { tree, columns } of trees) {
    if (!tree || !columns) continue;
    // The filter on the tree's columns when it can (services, "open at"), else by slot.
    const test = query.atPositions?.(columns);
    const predicate = (position: number) => {
      const slot = columns.slots[position];
      if (slot < 0 || !store.inTree[slot] || !(test ? test(position) : matches(slot))) return false;
      return !after || keep(hitOf(slot));
    };
    // Places at the same spot are equally near and the tree returns them in any order: when the
    // last one returned is as near as the last one kept, look further so no tie is cut in two.
    for (let wanted = limit + 8; ; wanted *= 2) {
      const positions = kdNearest.around(tree, lon, lat, wanted, radiusKm * RADIUS_SLACK, predicate);
      const found = positions.map((position) => hitOf(columns.slots[position])).filter(keep);
      found.sort(byKeyThenId);
      const saturated = positions.length === wanted;
      const lastReturned = saturated ? hitOf(columns.slots[positions[positions.length - 1]]) : undefined;
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
  const near = (slot: number) =>
    haversineKm(point, { lat: store.latitudes[slot], lon: store.longitudes[slot] }) <= radiusKm;
  // A text's test costs fifty times a distance: then the distance first; else the filter's bits first.
  const visit = query.distanceFirst
    ? (slot: number) => {
        if (near(slot) && matches(slot)) count++;
        return count < upTo;
      }
    : (slot: number) => {
        if (matches(slot) && near(slot)) count++;
        return count < upTo;
      };
  if (candidates) {
    // The places changed since the build are not among the candidates: read them as in a walk.
    for (const box of boxesAround(lat, lon, radiusKm)) if (!forEachChangedInBox(store, box, visit)) return count;
    forEachCandidate(store, candidates, query, visit);
    return count;
  }
  // Most searches reach the cap inside the square inscribed in the circle, where no distance needs
  // computing (without a filter, counted by whole nodes of the tree: TreeCounts). A search that
  // does not reach it there walks the circle, counting only what lies outside the square.
  // With no filter, or one of services and "open at" only, the tree's places are read from its
  // columns, in its own order (TreeColumns): the count of a sparse filter visits every place of the
  // radius, and an unfiltered one every place between the inscribed square and the circle.
  const positional = positionalWalk(store, query);
  const within = (placeLon: number, placeLat: number) => {
    if (haversineKm(point, { lat: placeLat, lon: placeLon }) <= radiusKm) count++;
    return count < upTo;
  };
  const walkBox = (box: Box, hole?: Box) =>
    positional
      ? forEachPositionInBox(store, positional, box, within, visit, hole)
      : forEachInBox(store, box, visit, query.subsets, hole);
  const inner = innerSquare(lat, lon, radiusKm);
  if (!inner) {
    for (const box of boxesAround(lat, lon, radiusKm)) if (!walkBox(box)) break;
    return count;
  }
  const countMatch = (slot: number) => !matches(slot) || ++count < upTo;
  if (matchesEverything(matches) && !query.subsets) count = countInBox(store, inner, upTo);
  else if (positional) forEachPositionInBox(store, positional, inner, () => ++count < upTo, countMatch);
  else forEachInBox(store, inner, countMatch, query.subsets);
  if (count >= upTo) return count;
  for (const box of boxesAround(lat, lon, radiusKm)) if (!walkBox(box, inner)) break;
  return count;
}

/**
 * How many live places lie in a lon/lat box, counting no further than `upTo`: the places changed
 * since the build one by one, the tree's by whole nodes where it can (TreeCounts).
 */
export function countInBox(store: PlaceStore, box: Box, upTo: number): number {
  let count = 0;
  forEachChangedInBox(store, box, () => ++count < upTo);
  if (count >= upTo || !store.treeCounts) return count;
  return count + store.treeCounts.countInBox(box, upTo - count);
}
