/**
 * Walks over the places in a lon/lat box, for the counts of place-queries.ts: the k-d tree's nodes
 * that meet the box, and the places changed since the tree was built.
 */
import type KDBush from 'kdbush';
import { KdNodeStack, type Box } from './kd-nodes.js';
import type { PlaceStore, ServiceTree } from './place-store.js';
import type { PositionFilter } from './place-filter.js';
import { forEachSetPosition, serviceBitsOf, type TreeColumns } from './tree-columns.js';

// The nearest walk (kd-nearest.ts) measures on a 6371 km sphere, geo.ts on 6371.0088 km: look a hair
// further, then cut exactly.
export const RADIUS_SLACK = 1.0001;

/**
 * Calls `visit` for every position in `left..right` that may pass it (all of them, or a superset
 * such as the places offering a service), in order, until it says stop; false when stopped.
 */
type RangeScan = (left: number, right: number, visit: (position: number) => boolean) => boolean;

const everyPosition: RangeScan = (left, right, visit) => {
  for (let position = left; position <= right; position++) if (!visit(position)) return false;
  return true;
};

/**
 * The tree's points in a lon/lat box, by position in the tree's order, as `KDBush.range` walks them,
 * but without building the list of every one: `visit` returning false stops the walk (a capped count
 * needs 1,001, not 100,000). Points in `hole` (a box already counted) are skipped, and so are whole
 * nodes whose region, narrowed by the splits above them, lies inside it. A node whose region lies
 * inside the box and outside the hole is read whole through `scan`, no point tested against the box
 * (a count of a city's 30 km box reads most of its places so). Returns false when stopped.
 */
function walkTreePositions(
  tree: KDBush,
  box: Box,
  visit: (position: number) => boolean,
  hole?: Box,
  scan: RangeScan = everyPosition,
): boolean {
  const { ids, coords, nodeSize } = tree;
  const { minLon, minLat, maxLon, maxLat } = box;
  const inBox = (i: number) => {
    const x = coords[2 * i];
    const y = coords[2 * i + 1];
    if (x < minLon || x > maxLon || y < minLat || y > maxLat) return false;
    return !hole || x < hole.minLon || x > hole.maxLon || y < hole.minLat || y > hole.maxLat;
  };
  const visitInBox = (i: number) => !inBox(i) || visit(i);
  const nodes = new KdNodeStack(ids.length, {
    minLon: -Infinity,
    minLat: -Infinity,
    maxLon: Infinity,
    maxLat: Infinity,
  });
  while (!nodes.empty) {
    nodes.pop();
    const { left, right, w, s, e, n } = nodes;
    if (hole && w >= hole.minLon && e <= hole.maxLon && s >= hole.minLat && n <= hole.maxLat) continue;
    const clearOfHole = !hole || e < hole.minLon || w > hole.maxLon || n < hole.minLat || s > hole.maxLat;
    if (clearOfHole && w >= minLon && e <= maxLon && s >= minLat && n <= maxLat) {
      if (!scan(left, right, visit)) return false;
      continue;
    }
    if (right - left <= nodeSize) {
      if (!scan(left, right, visitInBox)) return false;
      continue;
    }
    const m = (left + right) >> 1;
    if (inBox(m) && !visit(m)) return false;
    nodes.pushChildren(m, coords[2 * m + nodes.axis], box);
  }
  return true;
}

/** The trees a search walks: the rare services' own when given, else the main one (none before the first build). */
export const treesToWalk = (store: PlaceStore, subsets?: ServiceTree[]): ServiceTree[] =>
  subsets ?? (store.tree ? [{ tree: store.tree, slots: store.treeSlots, columns: store.treeColumns }] : []);

const inside = (box: Box, lat: number, lon: number) =>
  lat >= box.minLat && lat <= box.maxLat && lon >= box.minLon && lon <= box.maxLon;

/**
 * Every place changed since the tree was built and still live, in a lon/lat box and not in `hole`
 * (a box already counted), until `visit` says stop.
 */
export function forEachChangedInBox(
  store: PlaceStore,
  box: Box,
  visit: (slot: number) => boolean,
  hole?: Box,
): boolean {
  for (const slot of store.changedSinceBuild) {
    if (!store.alive[slot]) continue;
    const lat = store.latitudes[slot];
    const lon = store.longitudes[slot];
    if (inside(box, lat, lon) && !(hole && inside(hole, lat, lon)) && !visit(slot)) return false;
  }
  return true;
}

/**
 * Every live place in a lon/lat box (tree and changed ones), each slot visited once, until `visit`
 * says stop; only those of `subsets` when given (a slot in two of them is still visited once); none
 * of those in `hole`, a box already counted.
 */
export function forEachInBox(
  store: PlaceStore,
  box: Box,
  visit: (slot: number) => boolean,
  subsets?: ServiceTree[],
  hole?: Box,
): boolean {
  if (!forEachChangedInBox(store, box, visit, hole)) return false;
  const trees = treesToWalk(store, subsets);
  const seen = trees.length > 1 ? new Set<number>() : undefined;
  for (const { tree, slots } of trees) {
    if (!tree) continue;
    const { ids } = tree;
    const walked = walkTreePositions(
      tree,
      box,
      (position) => {
        const slot = slots[ids[position]];
        if (slot < 0 || !store.inTree[slot] || seen?.has(slot)) return true;
        seen?.add(slot);
        return visit(slot);
      },
      hole,
    );
    if (!walked) return false;
  }
  return true;
}

/** One tree walked with a test by position on its columns (query-plan.ts `atPositions`). */
export interface PositionalWalk {
  own: ServiceTree & { tree: KDBush; columns: TreeColumns };
  test: (position: number) => boolean;
  /** The positions that may pass `test` in a range: those offering a service asked for, else all. */
  scan: RangeScan;
}

/** The walk by position of a search's plan: one tree, with columns, and a filter they answer; else undefined. */
export function positionalWalk(
  store: PlaceStore,
  plan: { atPositions?: PositionFilter; subsets?: ServiceTree[] },
): PositionalWalk | undefined {
  const { atPositions } = plan;
  if (!atPositions) return undefined;
  const trees = treesToWalk(store, plan.subsets);
  if (trees.length !== 1) return undefined;
  const [own] = trees;
  if (!own.tree || !own.columns) return undefined;
  const { columns } = own;
  const bitsets = atPositions.servicesMask !== 0 ? serviceBitsOf(columns, atPositions.servicesMask) : undefined;
  const scan: RangeScan = bitsets
    ? (left, right, visit) => forEachSetPosition(bitsets, left, right, visit)
    : everyPosition;
  return { own: { ...own, tree: own.tree, columns }, test: atPositions(columns), scan };
}

/**
 * As forEachInBox, for a filter the tree's columns answer: the tree's places in the box are tested in
 * the tree's own order (`walk.test`, then still in the tree) and handed to `visitTree` as coordinates;
 * the places changed since the build go to `visitChanged` as slots. Returns false when stopped.
 */
export function forEachPositionInBox(
  store: PlaceStore,
  walk: PositionalWalk,
  box: Box,
  visitTree: (lon: number, lat: number) => boolean,
  visitChanged: (slot: number) => boolean,
  hole?: Box,
): boolean {
  if (!forEachChangedInBox(store, box, visitChanged, hole)) return false;
  const { tree, columns } = walk.own;
  const { coords } = tree;
  const { inTree } = store;
  const { slots } = columns;
  const { test } = walk;
  const visit = (position: number) => {
    if (!test(position)) return true;
    const slot = slots[position];
    if (slot < 0 || !inTree[slot]) return true;
    return visitTree(coords[2 * position], coords[2 * position + 1]);
  };
  return walkTreePositions(tree, box, visit, hole, walk.scan);
}

/** The lon/lat boxes that hold a circle (two when it crosses the antimeridian). */
export function boxesAround(lat: number, lon: number, radiusKm: number): Box[] {
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
 * A lon/lat box inside the circle (the inscribed square, 2 % smaller for the flat approximation
 * over a few dozen kilometres), or null where that approximation is not safe: large radii, the
 * poles, the antimeridian.
 */
export function innerSquare(lat: number, lon: number, radiusKm: number): Box | null {
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
