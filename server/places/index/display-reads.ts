import { DisplayCache } from './display-cache.js';

/**
 * The display rows of result lists: from a bounded cache (DisplayCache), else read from PostgreSQL
 * for several requests at once. Under load, fifty searches at new points each missed ~20 rows and
 * each sent its own query: a query's fixed costs (building it, a round trip, PostgreSQL's parse and
 * plan, the socket writes on both sides) were paid per request. Here the ids missing from every
 * request of the same turn of the event loop go in one query, and one such query runs at a time:
 * what is asked meanwhile waits for the next one. Alone, a request waits for no one (one turn of the
 * loop); under load, each query carries the rows of several requests. One at a time was measured
 * best (new points at 1M: 683–769 searches a second, against 663–698 with two at once and 697 with four).
 */
export interface DisplayReadsOptions<T> {
  /** One query: the rows of these ids (a deleted place is absent). */
  read: (ids: number[]) => Promise<T[]>;
  capacity: number;
  maxAgeMs: number;
  /** Runs a shared query outside the asking request (outside-requests.ts): one visitor leaving cancels no other's. */
  detached?: <R>(work: () => Promise<R>) => Promise<R>;
}

interface Batch<T> {
  today: number;
  ids: Set<number>;
  rows: Promise<Map<number, T>>;
  settle: (rows: Map<number, T> | Error) => void;
}

function newBatch<T>(today: number): Batch<T> {
  let settle!: Batch<T>['settle'];
  const rows = new Promise<Map<number, T>>((resolve, reject) => {
    settle = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
  });
  // A failure reaches every request of the batch through `rows`; none is left unhandled here.
  rows.catch(() => {});
  return { today, ids: new Set(), rows, settle };
}

export function createDisplayReads<T extends { id: number }>(options: DisplayReadsOptions<T>) {
  const cache = new DisplayCache<T>(options.capacity, options.maxAgeMs);
  const detached = options.detached ?? ((work) => work());
  /** The batch still gathering ids, one per Paris day asked (two only around midnight). */
  const gathering = new Map<number, Batch<T>>();
  let reading = false;
  let scheduled = false;

  function schedule() {
    if (scheduled || reading || gathering.size === 0) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush() {
    scheduled = false;
    // The first batch waiting (two wait only around midnight): `schedule` sends the next after it.
    const first = gathering.entries().next();
    if (first.done) return;
    const [today, batch] = first.value;
    gathering.delete(today);
    reading = true;
    void send(batch).finally(() => {
      reading = false;
      schedule();
    });
  }

  async function send(batch: Batch<T>) {
    const generation = cache.readGeneration;
    const startedAt = Date.now();
    try {
      const rows = await detached(() => options.read([...batch.ids]));
      const byId = new Map(rows.map((row) => [row.id, row]));
      cache.store(byId, generation, startedAt, batch.today);
      batch.settle(byId);
    } catch (error) {
      batch.settle(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return {
    /**
     * The rows of these places (`today`: days since 1970-01-01 in Paris, for the labels shown), from
     * memory when read recently and not forgotten since, else with the next shared query.
     */
    async displayed(ids: number[], today: number): Promise<Map<number, T>> {
      const now = Date.now();
      const found = new Map<number, T>();
      const missing: number[] = [];
      for (const id of ids) {
        const cached = cache.get(id, now, today);
        if (cached) found.set(id, cached);
        else missing.push(id);
      }
      if (missing.length === 0) return found;
      let batch = gathering.get(today);
      if (!batch) gathering.set(today, (batch = newBatch<T>(today)));
      for (const id of missing) batch.ids.add(id);
      schedule();
      const rows = await batch.rows;
      for (const id of missing) {
        const row = rows.get(id);
        if (row) found.set(id, row);
      }
      return found;
    },
    /** These places changed: read them again next time (a read already running stores nothing). */
    forget(ids: Iterable<number>) {
      cache.forget(ids);
    },
    clear() {
      cache.clear();
    },
  };
}
