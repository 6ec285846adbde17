import { describe, expect, it } from 'vitest';
import { SlotById } from '../../server/places/index/slot-by-id.js';

describe('the place id → slot table of the index', () => {
  it('when ids come in any order, small, large or far apart, then it answers as a Map would', () => {
    const table = new SlotById();
    const reference = new Map<number, number>();
    let state = 17;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let step = 0; step < 20_000; step++) {
      const roll = random();
      const id =
        roll < 0.05
          ? Math.floor(random() * 1e12)
          : roll < 0.1
            ? 5_000 + Math.floor(random() * 100)
            : Math.floor(random() * 3000);
      if (random() < 0.3) {
        table.delete(id);
        reference.delete(id);
      } else {
        table.set(id, step);
        reference.set(id, step);
      }
      expect(table.size).toBe(reference.size);
    }
    for (let id = 0; id < 6000; id++) expect(table.get(id)).toBe(reference.get(id));
    for (const [id, slot] of reference) expect(table.get(id)).toBe(slot);
    expect(table.has(-1)).toBe(false);
  });
});
