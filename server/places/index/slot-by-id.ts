/**
 * Place id → slot of the store, for a million places: an Int32Array indexed by the id (4 bytes per
 * id up to the largest; ids come from a sequence, so they are dense) instead of a Map of a million
 * entries (~50 MB). An id far beyond the others (more than 4 per place, or above 64 million) goes
 * to a small Map, so a stray large id never allocates a huge array.
 */
export class SlotById {
  private slots = new Int32Array(0);
  private readonly sparse = new Map<number, number>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): number | undefined {
    if (id >= 0 && id < this.slots.length) {
      const slot = this.slots[id];
      if (slot >= 0) return slot;
    }
    // An id kept aside while the array was shorter stays in the Map.
    return this.sparse.size === 0 ? undefined : this.sparse.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, slot: number): void {
    if (this.sparse.has(id) || !this.fitsArray(id)) {
      if (!this.sparse.has(id)) this.count++;
      this.sparse.set(id, slot);
      return;
    }
    if (id >= this.slots.length) this.grow(id + 1);
    if (this.slots[id] < 0) this.count++;
    this.slots[id] = slot;
  }

  delete(id: number): void {
    if (id >= 0 && id < this.slots.length && this.slots[id] >= 0) {
      this.count--;
      this.slots[id] = -1;
      return;
    }
    if (this.sparse.delete(id)) this.count--;
  }

  private fitsArray(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < 64_000_000 && id < Math.max(1024, 4 * (this.count + 1));
  }

  private grow(min: number) {
    const next = new Int32Array(Math.max(min, this.slots.length * 2, 1024)).fill(-1);
    next.set(this.slots);
    this.slots = next;
  }
}
