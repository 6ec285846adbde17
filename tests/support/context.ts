import { afterAll, inject } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createDb } from '../../server/db/knex.js';
import type { Clock } from '../../server/places/places.service.js';

/** A settable clock: tests choose "now" without mocking modules. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => { now = new Date(next); } };
}

export const testConfig = (overrides: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', DATABASE_URL: inject('databaseUrl'), PUBLIC_BASE_URL: 'http://epn.test', LOG_LEVEL: 'silent', ...overrides });

/** The real app on the real test database; closed after the file's tests. */
export function createTestContext(options: { clock?: Clock; config?: Record<string, string> } = {}) {
  const config = testConfig(options.config);
  const db = createDb(config.DATABASE_URL!, { min: 0, max: 4 });
  const clock = options.clock ?? fixedClock('2026-12-01T10:00:00Z');
  const app = createApp({ config, db, clock, log: () => {} });
  afterAll(async () => {
    await db.destroy();
  });
  return { config, db, clock, app };
}
