/** A lon/lat box, bounds included. */
export interface Box {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/**
 * The pending nodes of a walk down a KDBush tree, each a range `left..right` of the tree's order
 * with its split axis and its region, narrowed by the splits above it (as `KDBush.range` walks,
 * which keeps no regions). At most two nodes wait per level, and a tree of 2^32 points is 32 deep.
 * `pop` loads the next node into the public fields, read without allocating.
 */
export class KdNodeStack {
  private readonly nodes = new Int32Array(3 * 64);
  private readonly regions = new Float64Array(4 * 64);
  private top = 0;
  left = 0;
  right = 0;
  axis = 0;
  /** The popped node's region: west, south, east, north. */
  w = 0;
  s = 0;
  e = 0;
  n = 0;

  constructor(size: number, region: Box) {
    this.push(0, size - 1, 0, region.minLon, region.minLat, region.maxLon, region.maxLat);
  }

  get empty(): boolean {
    return this.top === 0;
  }

  pop() {
    const top = --this.top;
    this.left = this.nodes[3 * top];
    this.right = this.nodes[3 * top + 1];
    this.axis = this.nodes[3 * top + 2];
    this.w = this.regions[4 * top];
    this.s = this.regions[4 * top + 1];
    this.e = this.regions[4 * top + 2];
    this.n = this.regions[4 * top + 3];
  }

  /** The popped node's children that may hold points of `box`, split at `split` around item `m`. */
  pushChildren(m: number, split: number, box: Box) {
    const { left, right, w, s, e, n } = this;
    if (this.axis === 0) {
      if (box.minLon <= split) this.push(left, m - 1, 1, w, s, split, n);
      if (box.maxLon >= split) this.push(m + 1, right, 1, split, s, e, n);
    } else {
      if (box.minLat <= split) this.push(left, m - 1, 0, w, s, e, split);
      if (box.maxLat >= split) this.push(m + 1, right, 0, w, split, e, n);
    }
  }

  private push(left: number, right: number, axis: number, w: number, s: number, e: number, n: number) {
    const top = this.top++;
    this.nodes[3 * top] = left;
    this.nodes[3 * top + 1] = right;
    this.nodes[3 * top + 2] = axis;
    this.regions[4 * top] = w;
    this.regions[4 * top + 1] = s;
    this.regions[4 * top + 2] = e;
    this.regions[4 * top + 3] = n;
  }
}
