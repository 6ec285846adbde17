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
  // The pending nodes: their data by node number (numbered as pushed, afresh at each search), and a
  // min-heap of node numbers by the lower bound of their distance.
  private nodeRange = new Int32Array(3 * 256);
  private nodeBox = new Float64Array(4 * 256);
  private nodesMade = 0;
  private heapDist = new Float64Array(256);
  private heapNode = new Int32Array(256);
  private heapSize = 0;

  // The points kept: a max-heap by distance, the farthest at the top.
  private keptDist = new Float64Array(64);
  private keptItem = new Int32Array(64);
  private keptCount = 0;

  // The search under way.
  private lon = 0;
  private lat = 0;
  private cosLat = 1;
  private limit = 0;
  private maxResults = 0;

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
    this.lon = lon;
    this.lat = lat;
    this.cosLat = Math.cos(lat * RAD);
    this.limit = haverSin(maxKm / EARTH_RADIUS_KM);
    this.maxResults = maxResults;
    this.nodesMade = 0;
    this.heapSize = 0;
    this.keptCount = 0;
    if (maxResults > this.keptDist.length) {
      this.keptDist = new Float64Array(maxResults);
      this.keptItem = new Int32Array(maxResults);
    }

    const consider = (position: number) => {
      const dist = haverSinDist(lon, lat, coords[2 * position], coords[2 * position + 1], this.cosLat);
      if (this.tooFar(dist) || !predicate(position)) return;
      this.keep(dist, position);
    };

    this.pushNode(0, ids.length - 1, 0, -180, -90, 180, 90);
    while (this.heapSize > 0 && !this.tooFar(this.heapDist[0])) {
      const node = this.popNode();
      const { nodeRange: range, nodeBox: box } = this;
      const left = range[3 * node];
      const right = range[3 * node + 1];
      const axis = range[3 * node + 2];
      const minLon = box[4 * node];
      const minLat = box[4 * node + 1];
      const maxLon = box[4 * node + 2];
      const maxLat = box[4 * node + 3];
      if (right - left <= nodeSize) {
        for (let position = left; position <= right; position++) consider(position);
        continue;
      }
      const m = (left + right) >> 1;
      consider(m);
      const split = coords[2 * m + axis];
      if (axis === 0) {
        this.pushNode(left, m - 1, 1, minLon, minLat, split, maxLat);
        this.pushNode(m + 1, right, 1, split, minLat, maxLon, maxLat);
      } else {
        this.pushNode(left, m - 1, 0, minLon, minLat, maxLon, split);
        this.pushNode(m + 1, right, 0, minLon, split, maxLon, maxLat);
      }
    }
    return this.keptInOrder();
  }

  /** Beyond the radius, or no nearer than the farthest of a full set of kept points. */
  private tooFar(dist: number): boolean {
    return dist > this.limit || (this.keptCount === this.maxResults && dist >= this.keptDist[0]);
  }

  /** A node worth visiting, numbered and put in the heap by the lower bound of its distance. */
  private pushNode(
    left: number,
    right: number,
    axis: number,
    minLon: number,
    minLat: number,
    maxLon: number,
    maxLat: number,
  ) {
    if (left > right) return;
    const dist = boxDist(this.lon, this.lat, this.cosLat, minLon, minLat, maxLon, maxLat);
    if (this.tooFar(dist)) return;
    const node = this.nodesMade++;
    if (3 * node === this.nodeRange.length) {
      this.nodeRange = grown(this.nodeRange, (n) => new Int32Array(n));
      this.nodeBox = grown(this.nodeBox, (n) => new Float64Array(n));
    }
    const { nodeRange: range, nodeBox: box } = this;
    range[3 * node] = left;
    range[3 * node + 1] = right;
    range[3 * node + 2] = axis;
    box[4 * node] = minLon;
    box[4 * node + 1] = minLat;
    box[4 * node + 2] = maxLon;
    box[4 * node + 3] = maxLat;
    if (this.heapSize === this.heapDist.length) {
      this.heapDist = grown(this.heapDist, (n) => new Float64Array(n));
      this.heapNode = grown(this.heapNode, (n) => new Int32Array(n));
    }
    let at = this.heapSize++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.heapDist[parent] <= dist) break;
      this.heapDist[at] = this.heapDist[parent];
      this.heapNode[at] = this.heapNode[parent];
      at = parent;
    }
    this.heapDist[at] = dist;
    this.heapNode[at] = node;
  }

  /** The nearest pending node's number, out of the heap. */
  private popNode(): number {
    const top = this.heapNode[0];
    const last = --this.heapSize;
    const dist = this.heapDist[last];
    const node = this.heapNode[last];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && this.heapDist[child + 1] < this.heapDist[child]) child++;
      if (this.heapDist[child] >= dist) break;
      this.heapDist[at] = this.heapDist[child];
      this.heapNode[at] = this.heapNode[child];
      at = child;
    }
    this.heapDist[at] = dist;
    this.heapNode[at] = node;
    return top;
  }

  /** A point among the nearest so far: added, or in place of the farthest kept once full. */
  private keep(dist: number, item: number) {
    let at: number;
    if (this.keptCount < this.maxResults) {
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

  private keptInOrder(): number[] {
    const order = Array.from({ length: this.keptCount }, (_, i) => i);
    const { keptDist, keptItem } = this;
    order.sort((a, b) => keptDist[a] - keptDist[b] || keptItem[a] - keptItem[b]);
    return order.map((i) => keptItem[i]);
  }
}

/** Twice the room, the contents kept. */
function grown<T extends Int32Array | Float64Array>(array: T, make: (length: number) => T): T {
  const bigger = make(array.length * 2);
  bigger.set(array);
  return bigger;
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
