import { outsideRequests } from './outside-requests.js';

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
    // Shared by the requests asking meanwhile: computed outside the one that asked first.
    const value = outsideRequests(compute);
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

/**
 * `compute` remembered for at most `maxEntries` keys, the least recently used forgotten first: for
 * pure, synchronous work asked again and again with few distinct keys (the Paris offset of an
 * hour, a parsed opening_hours rule).
 */
export function boundedMemo<K, V>(maxEntries: number, compute: (key: K) => V): (key: K) => V {
  const entries = new Map<K, { value: V }>();
  return (key) => {
    let entry = entries.get(key);
    if (entry) {
      // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
      entries.delete(key);
    } else {
      entry = { value: compute(key) };
      const oldest = entries.keys().next();
      if (entries.size >= maxEntries && !oldest.done) entries.delete(oldest.value);
    }
    entries.set(key, entry);
    return entry.value;
  };
}
