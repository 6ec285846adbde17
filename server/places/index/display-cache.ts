/**
 * A bounded cache of display rows by id, least recently used out first. The index forgets an id
 * when the change log says the place changed, and everything on a full reload; an entry also
 * expires after `maxAgeMs` (a label renamed in the labels table is not in the change log) and at
 * the change of day (a label link that ended yesterday is no longer shown).
 */
export class DisplayCache<T> {
  // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
  private readonly entries = new Map<number, { value: T; storedAt: number; day: number }>();
  /**
   * Walks the keys from the least recently used, kept between evictions. Each use deletes and sets an
   * entry again, leaving a hole in the Map's table: `keys().next()` from the start skipped every hole
   * at each eviction (300 µs to store 20 rows at 50,000 entries); a kept iterator passes each once.
   */
  private oldest: Iterator<number> = this.entries.keys();
  /** Bumped on every forget: a read that started before it must not store what it read. */
  private generation = 0;

  constructor(
    readonly capacity: number,
    private readonly maxAgeMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: number, now: number, day: number): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (entry.day !== day || now - entry.storedAt > this.maxAgeMs) return undefined;
    this.entries.set(id, entry);
    return entry.value;
  }

  /** The generation to hand back to `store` once a read from the database returns. */
  get readGeneration(): number {
    return this.generation;
  }

  /** Stores rows read since `generation`; nothing if a place was forgotten meanwhile (the read may be older). */
  store(rows: Iterable<[number, T]>, generation: number, now: number, day: number) {
    if (generation !== this.generation) return;
    for (const [id, value] of rows) {
      this.entries.delete(id);
      this.entries.set(id, { value, storedAt: now, day });
      if (this.entries.size > this.capacity) this.evictOldest();
    }
  }

  /**
   * Everything before the iterator was evicted or used again (set anew at the end), so the next key
   * it gives is the least recently used. An iterator that ended gives nothing more: a new one starts.
   */
  private evictOldest() {
    let oldest = this.oldest.next();
    if (oldest.done) {
      this.oldest = this.entries.keys();
      oldest = this.oldest.next();
    }
    if (!oldest.done) this.entries.delete(oldest.value);
  }

  forget(ids: Iterable<number>) {
    this.generation++;
    for (const id of ids) this.entries.delete(id);
  }

  clear() {
    this.generation++;
    this.entries.clear();
    this.oldest = this.entries.keys();
  }
}
