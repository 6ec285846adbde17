/**
 * A small in-process cache with a size bound and an age limit: the least recently used entry goes
 * first when full, and an entry older than `maxAgeMs` is computed again. Concurrent asks for the same
 * key share one computation; a failed one is not kept.
 */
export function boundedCache<V>(options: { maxEntries: number; maxAgeMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: Promise<V>; at: number }>();

  return function get(key: string, compute: () => Promise<V>): Promise<V> {
    const found = entries.get(key);
    entries.delete(key);
    if (found && now() - found.at <= options.maxAgeMs) {
      entries.set(key, found); // most recently used: last in the map's order
      return found.value;
    }
    const value = compute();
    entries.set(key, { value, at: now() });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    for (const oldest of entries.keys()) {
      if (entries.size <= options.maxEntries) break;
      entries.delete(oldest);
    }
    return value;
  };
}
