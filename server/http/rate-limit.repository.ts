import type { Db } from '../db/knex.js';

/**
 * Counts one hit for `key` in the window starting at `windowStart`, atomically: concurrent requests
 * on any instance each get their own count back (INSERT … ON CONFLICT … DO UPDATE … RETURNING).
 */
export async function countHit(
  db: Db,
  scope: string,
  key: string,
  window: { start: Date; end: Date },
): Promise<number> {
  const result = await db.raw<{ rows: { count: number | string }[] }>(
    `INSERT INTO rate_limit_counters (scope, key, window_start, expires_at, count) VALUES (?, ?, ?, ?, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
     RETURNING count`,
    [scope, key, window.start, window.end],
  );
  return Number(result.rows[0].count);
}

/** Takes one hit back (a request that, after all, must not count: a successful log-in). */
export async function uncountHit(db: Db, key: string, windowStart: Date): Promise<void> {
  await db('rate_limit_counters')
    .where({ key, window_start: windowStart })
    .where('count', '>', 0)
    .decrement('count', 1);
}

export async function hitsOf(db: Db, key: string, windowStart: Date): Promise<number> {
  const row = await db('rate_limit_counters')
    .where({ key, window_start: windowStart })
    .first<{ count: number | string } | undefined>('count');
  return row ? Number(row.count) : 0;
}

export async function forgetKey(db: Db, key: string): Promise<void> {
  await db('rate_limit_counters').where({ key }).delete();
}

/** Ended windows are worth nothing: one range delete on the (scope, expires_at) index. */
export async function purgeEndedWindows(db: Db, scope: string, now: Date): Promise<number> {
  return db('rate_limit_counters').where({ scope }).where('expires_at', '<', now).delete();
}
