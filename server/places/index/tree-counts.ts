import type KDBush from 'kdbush';
import { KdNodeStack, type Box } from './kd-nodes.js';

/**
 * How many of a k-d tree's points are still live, by range of the tree's own order: a Fenwick
 * tree over KDBush's sorted `ids`. A node of the tree is a contiguous range of that order, so a
 * node lying wholly inside a box is counted in O(log n), without visiting its points: a count of
 * the 100,000 places of a city's box touches the few hundred nodes along its edges, not every place.
 * A place leaves the tree (edited, removed) with `drop`; the tree itself never changes.
 */
export class TreeCounts {
  /** Fenwick sums, 1-based: `sums[i]` covers positions (i - lowbit(i), i]. */
  private readonly sums: Int32Array;
  /** The tree position of each slot, -1 for slots not in the tree. */
  private readonly positionOfSlot: Int32Array;
  /** 1 where the point at that tree position is still live. */
  private readonly liveAt: Uint8Array;
  /** The box holding every point of the tree: the root node's region. */
  readonly bounds: Box;

  constructor(
    readonly tree: KDBush,
    /** The slot of each tree item (insertion order), -1 for none. */
    slots: Int32Array,
    slotCount: number,
  ) {
    const { ids, coords } = tree;
    const n = ids.length;
    this.positionOfSlot = new Int32Array(slotCount).fill(-1);
    this.sums = new Int32Array(n + 1);
    this.liveAt = new Uint8Array(n);
    const bounds = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
    for (let position = 0; position < n; position++) {
      const slot = slots[ids[position]];
      if (slot < 0) continue;
      this.positionOfSlot[slot] = position;
      this.liveAt[position] = 1;
      this.sums[position + 1] = 1;
      const lon = coords[2 * position];
      const lat = coords[2 * position + 1];
      if (lon < bounds.minLon) bounds.minLon = lon;
      if (lon > bounds.maxLon) bounds.maxLon = lon;
      if (lat < bounds.minLat) bounds.minLat = lat;
      if (lat > bounds.maxLat) bounds.maxLat = lat;
    }
    // Linear Fenwick build: each cell adds itself to its parent.
    for (let i = 1; i <= n; i++) {
      const parent = i + (i & -i);
      if (parent <= n) this.sums[parent] += this.sums[i];
    }
    this.bounds = bounds;
  }

  /** The slot's place left the tree (edited or removed); a second call for it does nothing. */
  drop(slot: number) {
    if (slot >= this.positionOfSlot.length) return;
    const position = this.positionOfSlot[slot];
    if (position < 0) return;
    this.positionOfSlot[slot] = -1;
    this.liveAt[position] = 0;
    for (let i = position + 1; i < this.sums.length; i += i & -i) this.sums[i]--;
  }

  /** Live points at positions `left..right` of the tree's order. */
  liveBetween(left: number, right: number): number {
    return this.prefix(right + 1) - this.prefix(left);
  }

  private prefix(end: number): number {
    let sum = 0;
    for (let i = end; i > 0; i -= i & -i) sum += this.sums[i];
    return sum;
  }

  /**
   * The live points in a box, counting no further than `upTo` (a node inside the box may carry the
   * count past it: the answer is then `upTo`). Each node's region is narrowed by the splits above
   * it, as `KDBush.range` walks; a region inside the box is counted whole.
   */
  countInBox(box: Box, upTo: number): number {
    const { ids, coords, nodeSize } = this.tree;
    const { minLon, minLat, maxLon, maxLat } = box;
    const live = (position: number) => {
      const lon = coords[2 * position];
      const lat = coords[2 * position + 1];
      if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) return 0;
      return this.liveAt[position];
    };
    const nodes = new KdNodeStack(ids.length, this.bounds);
    let count = 0;
    while (!nodes.empty && count < upTo) {
      nodes.pop();
      const { left, right, w, s, e, n } = nodes;
      if (left > right || e < minLon || w > maxLon || n < minLat || s > maxLat) continue;
      if (w >= minLon && e <= maxLon && s >= minLat && n <= maxLat) {
        count += this.liveBetween(left, right);
        continue;
      }
      if (right - left <= nodeSize) {
        for (let position = left; position <= right; position++) count += live(position);
        continue;
      }
      const m = (left + right) >> 1;
      count += live(m);
      nodes.pushChildren(m, coords[2 * m + nodes.axis], box);
    }
    return Math.min(count, upTo);
  }
}
