import KDBush from 'kdbush';
import { describe, expect, it } from 'vitest';
import { columnsOf, forEachSetPosition, serviceBitsOf } from '../../server/places/index/tree-columns.js';
import { seededRandom } from '../support/seeded-random.js';

/** A tree of `count` random points whose slots offer random services (bits 0–3, and 15). */
function randomColumns(count: number, seed: number) {
  const random = seededRandom(seed);
  const tree = new KDBush(count);
  for (let i = 0; i < count; i++) tree.add(random(), random());
  tree.finish();
  const slots = Int32Array.from({ length: count }, (_, i) => (i % 17 === 0 ? -1 : i));
  const services = Uint16Array.from({ length: count }, () =>
    random() < 0.05 ? 1 << 15 : Math.floor(random() * 16) & Math.floor(random() * 16),
  );
  return columnsOf(tree, slots, { services, hours: new Int32Array(count).fill(-1) });
}

describe("a tree's service bitsets", () => {
  const columns = randomColumns(1000, 5);
  const positions = columns.slots.length;

  it('when a range is read through the bitsets, then it gives those offering a service asked for, in order', () => {
    const random = seededRandom(9);
    const ranges: [number, number][] = [
      [0, positions - 1],
      [0, 0],
      [31, 31],
      [31, 32],
      [32, 63],
      [30, 65],
      [positions - 1, positions - 1],
    ];
    for (let i = 0; i < 200; i++) {
      const a = Math.floor(random() * positions);
      const b = Math.floor(random() * positions);
      ranges.push([Math.min(a, b), Math.max(a, b)]);
    }
    for (const mask of [1, 2, 1 | 4, 8, 1 << 15, 1 | (1 << 15)]) {
      const bitsets = serviceBitsOf(columns, mask);
      for (const [left, right] of ranges) {
        const read: number[] = [];
        forEachSetPosition(bitsets, left, right, (position) => read.push(position) > 0);
        const expected: number[] = [];
        for (let p = left; p <= right; p++) if ((columns.services[p] & mask) !== 0) expected.push(p);
        expect(read).toEqual(expected);
      }
    }
  });

  it('when the visit says stop, then the reading stops there', () => {
    const bitsets = serviceBitsOf(columns, 1 | 2);
    const read: number[] = [];
    expect(forEachSetPosition(bitsets, 0, positions - 1, (position) => read.push(position) < 5)).toBe(false);
    expect(read).toHaveLength(5);
  });

  it('when a position has no place, then it offers nothing', () => {
    columns.slots.forEach((slot, position) => {
      if (slot < 0) expect(columns.services[position]).toBe(0);
    });
    const everything = serviceBitsOf(columns, 0xffff);
    forEachSetPosition(everything, 0, positions - 1, (position) => {
      expect(columns.slots[position]).toBeGreaterThanOrEqual(0);
      return true;
    });
  });
});
