import type KDBush from 'kdbush';

const RAD = Math.PI / 180;
const EARTH_RADIUS_KM = 6371;

/**
 * The nearest points of a KDBush tree on the sphere, as geokdbush's `around` finds them (the same
 * haversine bounds on the same 6371 km sphere), by position in the tree's order, so that a filter
 * reads the tree's columns (TreeColumns) instead of the slot-indexed arrays. geokdbush asks its
 * filter of every point of every leaf it opens (64 a leaf here) and pushes each match, as an object,
 * into one queue with the nodes; here the pending nodes wait in typed arrays, a point is asked about
 * only when it is nearer than the farthest of the `maxResults` kept so far (a bounded max-heap), and
 * the walk stops when the nearest pending node is farther than that. A filtered search at 1M (a
 * service open at an instant): 44 → 32 µs. Not reentrant: one search at a time (the event loop's).
 */
export class KdNearest {
  private nodeCapacity = 256;
  private nodeDist = new Float64Array(this.nodeCapacity);
  private nodeRange = new Int32Array(3 * this.nodeCapacity);
  private nodeBox = new Float64Array(4 * this.nodeCapacity);
  private nodeCount = 0;

  private keptCapacity = 64;
  private keptDist = new Float64Array(this.keptCapacity);
  private keptItem = new Int32Array(this.keptCapacity);
  private keptCount = 0;

  /**
   * Up to `maxResults` positions within `maxKm` that pass `predicate`, nearest first (ties by
   * position). The predicate is asked only of points near enough to be kept at that moment.
   */
  around(
    tree: KDBush,
    lon: number,
    lat: number,
    maxResults: number,
    maxKm: number,
    predicate: (position: number) => boolean,
  ): number[] {
    const { ids, coords, nodeSize } = tree;
    if (ids.length === 0 || maxResults <= 0) return [];
    const limit = haverSin(maxKm / EARTH_RADIUS_KM);
    const cosLat = Math.cos(lat * RAD);
    this.nodeCount = 0;
    this.keptCount = 0;
    if (maxResults > this.keptCapacity) this.growKept(maxResults);

    const consider = (position: number) => {
      const dist = haverSinDist(lon, lat, coords[2 * position], coords[2 * position + 1], cosLat);
      if (dist > limit) return;
      if (this.keptCount === maxResults && dist >= this.keptDist[0]) return;
      if (!predicate(position)) return;
      this.keep(dist, position, maxResults);
    };

    this.pushNode(0, 0, ids.length - 1, 0, -180, -90, 180, 90);
    while (this.nodeCount > 0) {
      const dist = this.nodeDist[0];
      if (dist > limit || (this.keptCount === maxResults && dist >= this.keptDist[0])) break;
      const left = this.nodeRange[0];
      const right = this.nodeRange[1];
      const axis = this.nodeRange[2];
      const minLon = this.nodeBox[0];
      const minLat = this.nodeBox[1];
      const maxLon = this.nodeBox[2];
      const maxLat = this.nodeBox[3];
      this.popNode();

      if (right - left <= nodeSize) {
        for (let position = left; position <= right; position++) consider(position);
        continue;
      }
      const m = (left + right) >> 1;
      consider(m);
      const split = coords[2 * m + axis];
      const next = 1 - axis;
      if (axis === 0) {
        this.pushChild(lon, lat, cosLat, left, m - 1, next, minLon, minLat, split, maxLat, limit, maxResults);
        this.pushChild(lon, lat, cosLat, m + 1, right, next, split, minLat, maxLon, maxLat, limit, maxResults);
      } else {
        this.pushChild(lon, lat, cosLat, left, m - 1, next, minLon, minLat, maxLon, split, limit, maxResults);
        this.pushChild(lon, lat, cosLat, m + 1, right, next, minLon, split, maxLon, maxLat, limit, maxResults);
      }
    }
    return this.keptInOrder();
  }

  private pushChild(
    lon: number,
    lat: number,
    cosLat: number,
    left: number,
    right: number,
    axis: number,
    minLon: number,
    minLat: number,
    maxLon: number,
    maxLat: number,
    limit: number,
    maxResults: number,
  ) {
    if (left > right) return;
    const dist = boxDist(lon, lat, cosLat, minLon, minLat, maxLon, maxLat);
    if (dist > limit || (this.keptCount === maxResults && dist >= this.keptDist[0])) return;
    this.pushNode(dist, left, right, axis, minLon, minLat, maxLon, maxLat);
  }

  /** Min-heap of pending nodes by their distance's lower bound. */
  private pushNode(
    dist: number,
    left: number,
    right: number,
    axis: number,
    minLon: number,
    minLat: number,
    maxLon: number,
    maxLat: number,
  ) {
    if (this.nodeCount === this.nodeCapacity) this.growNodes();
    let at = this.nodeCount++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.nodeDist[parent] <= dist) break;
      this.moveNode(parent, at);
      at = parent;
    }
    this.setNode(at, dist, left, right, axis, minLon, minLat, maxLon, maxLat);
  }

  private popNode() {
    const last = --this.nodeCount;
    if (last === 0) return;
    const dist = this.nodeDist[last];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && this.nodeDist[child + 1] < this.nodeDist[child]) child++;
      if (this.nodeDist[child] >= dist) break;
      this.moveNode(child, at);
      at = child;
    }
    this.moveNode(last, at);
  }

  private moveNode(from: number, to: number) {
    this.nodeDist[to] = this.nodeDist[from];
    this.nodeRange[3 * to] = this.nodeRange[3 * from];
    this.nodeRange[3 * to + 1] = this.nodeRange[3 * from + 1];
    this.nodeRange[3 * to + 2] = this.nodeRange[3 * from + 2];
    this.nodeBox[4 * to] = this.nodeBox[4 * from];
    this.nodeBox[4 * to + 1] = this.nodeBox[4 * from + 1];
    this.nodeBox[4 * to + 2] = this.nodeBox[4 * from + 2];
    this.nodeBox[4 * to + 3] = this.nodeBox[4 * from + 3];
  }

  private setNode(
    at: number,
    dist: number,
    left: number,
    right: number,
    axis: number,
    minLon: number,
    minLat: number,
    maxLon: number,
    maxLat: number,
  ) {
    this.nodeDist[at] = dist;
    this.nodeRange[3 * at] = left;
    this.nodeRange[3 * at + 1] = right;
    this.nodeRange[3 * at + 2] = axis;
    this.nodeBox[4 * at] = minLon;
    this.nodeBox[4 * at + 1] = minLat;
    this.nodeBox[4 * at + 2] = maxLon;
    this.nodeBox[4 * at + 3] = maxLat;
  }

  private growNodes() {
    this.nodeCapacity *= 2;
    const dist = new Float64Array(this.nodeCapacity);
    dist.set(this.nodeDist);
    const range = new Int32Array(3 * this.nodeCapacity);
    range.set(this.nodeRange);
    const box = new Float64Array(4 * this.nodeCapacity);
    box.set(this.nodeBox);
    this.nodeDist = dist;
    this.nodeRange = range;
    this.nodeBox = box;
  }

  /** Max-heap of the points kept, the farthest at the top; a full heap replaces its farthest. */
  private keep(dist: number, item: number, maxResults: number) {
    let at: number;
    if (this.keptCount < maxResults) {
      at = this.keptCount++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (this.keptDist[parent] >= dist) break;
        this.keptDist[at] = this.keptDist[parent];
        this.keptItem[at] = this.keptItem[parent];
        at = parent;
      }
    } else {
      at = 0;
      const count = this.keptCount;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= count) break;
        if (child + 1 < count && this.keptDist[child + 1] > this.keptDist[child]) child++;
        if (this.keptDist[child] <= dist) break;
        this.keptDist[at] = this.keptDist[child];
        this.keptItem[at] = this.keptItem[child];
        at = child;
      }
    }
    this.keptDist[at] = dist;
    this.keptItem[at] = item;
  }

  private growKept(capacity: number) {
    this.keptCapacity = capacity;
    this.keptDist = new Float64Array(capacity);
    this.keptItem = new Int32Array(capacity);
  }

  private keptInOrder(): number[] {
    const order = Array.from({ length: this.keptCount }, (_, i) => i);
    const { keptDist, keptItem } = this;
    order.sort((a, b) => keptDist[a] - keptDist[b] || keptItem[a] - keptItem[b]);
    return order.map((i) => keptItem[i]);
  }
}

function haverSin(theta: number): number {
  const s = Math.sin(theta / 2);
  return s * s;
}

function haverSinDistPartial(haverSinDLon: number, cosLat1: number, lat1: number, lat2: number): number {
  return cosLat1 * Math.cos(lat2 * RAD) * haverSinDLon + haverSin((lat1 - lat2) * RAD);
}

function haverSinDist(lon1: number, lat1: number, lon2: number, lat2: number, cosLat1: number): number {
  return haverSinDistPartial(haverSin((lon1 - lon2) * RAD), cosLat1, lat1, lat2);
}

/** The latitude where the great circle from (lat, ·) is nearest a meridian at that longitude gap. */
function vertexLat(lat: number, haverSinDLon: number): number {
  const cosDLon = 1 - 2 * haverSinDLon;
  if (cosDLon <= 0) return lat > 0 ? 90 : -90;
  return Math.atan(Math.tan(lat * RAD) / cosDLon) / RAD;
}

/** A lower bound of the distance from the point to any point of the box (geokdbush's `boxDist`). */
function boxDist(
  lon: number,
  lat: number,
  cosLat: number,
  minLon: number,
  minLat: number,
  maxLon: number,
  maxLat: number,
): number {
  if (lon >= minLon && lon <= maxLon) {
    if (lat < minLat) return haverSin((lat - minLat) * RAD);
    if (lat > maxLat) return haverSin((lat - maxLat) * RAD);
    return 0;
  }
  const haverSinDLon = Math.min(haverSin((lon - minLon) * RAD), haverSin((lon - maxLon) * RAD));
  const extremumLat = vertexLat(lat, haverSinDLon);
  if (extremumLat > minLat && extremumLat < maxLat) {
    return haverSinDistPartial(haverSinDLon, cosLat, lat, extremumLat);
  }
  return Math.min(
    haverSinDistPartial(haverSinDLon, cosLat, lat, minLat),
    haverSinDistPartial(haverSinDLon, cosLat, lat, maxLat),
  );
}
