import { afterAll, inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createAfterResponse } from '../../server/accounts/after-response.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createDb } from '../../server/db/knex.js';
import type { Clock } from '../../server/shared/clock.js';
import { createMemoryMailer, type Mailer } from '../../server/mail/mailer.js';
import { createPlaceIndex } from '../../server/places/index/place-index.js';
import type { TextBudget } from '../../server/places/index/text-walks.js';

/** A settable clock: tests choose "now" without mocking modules. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return {
    now: () => new Date(now),
    set: (next: string) => {
      now = new Date(next);
    },
  };
}

export const testConfig = (overrides: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    PUBLIC_BASE_URL: 'http://epn.test',
    LOG_LEVEL: 'silent',
    // High abuse limits so that files never trip them; tests/integration/accounts tests them with low ones.
    RATE_LIMIT_AUTH_PER_IP: '100000',
    RATE_LIMIT_AUTH_PER_ACCOUNT: '100000',
    RATE_LIMIT_REPORTS_PER_IP: '100000',
    ...overrides,
  });

/**
 * The app alone, without the index, on a pool of the test's own size (to hold or saturate it);
 * the caller closes `db`. The server tests start it as main.ts would, with their own settings.
 */
export function bareTestApp(
  options: {
    config?: Record<string, string>;
    poolMax?: number;
    acquireTimeoutMs?: number;
    rateLimitScope?: string;
  } = {},
) {
  const config = testConfig(options.config);
  const db = createDb(
    config.DATABASE_URL!,
    { min: 0, max: options.poolMax ?? 4 },
    options.acquireTimeoutMs === undefined ? undefined : { acquireTimeoutMs: options.acquireTimeoutMs },
  );
  const app = createApp({
    config,
    db,
    clock: fixedClock('2026-12-01T10:00:00Z'),
    mailer: createMemoryMailer(),
    log: () => {},
    afterResponse: createAfterResponse(() => {}),
    rateLimitScope: options.rateLimitScope ?? randomUUID(),
  });
  return { app, db };
}

/** The real app on the real test database; closed after the file's tests. */
export function createTestContext(
  options: {
    clock?: Clock;
    config?: Record<string, string>;
    mailer?: Mailer;
    textBudget?: TextBudget;
    /** See PlaceIndexDeps.hoursApartFrom: 1 sends the hours of the first load to a worker thread. */
    hoursApartFrom?: number;
  } = {},
) {
  const config = testConfig(options.config);
  const db = createDb(
    config.DATABASE_URL!,
    { min: 0, max: 4 },
    // Test files share one database on two busy cores: a slow moment is not an outage here (the outage
    // and pool-saturation tests set their own short waits).
    { acquireTimeoutMs: 30_000 },
  );
  const clock = options.clock ?? fixedClock('2026-12-01T10:00:00Z');
  // E-mails stay in memory: `mailer.lastTo(email)` reads the link a person would receive.
  const mailer = createMemoryMailer();
  // E-mails of sign-up and reset go after the response: `await settled()` before reading them.
  const afterResponse = createAfterResponse(() => {});
  // The read path's index, as main.ts builds it; it loads at the first search of the file.
  const placeIndex = createPlaceIndex({
    db,
    connectionString: config.DATABASE_URL!,
    textBudget: options.textBudget,
    hoursApartFrom: options.hoursApartFrom,
  });
  // Abuse-limit counters are in the shared database: each context counts on its own.
  const app = createApp({
    config,
    db,
    clock,
    mailer: options.mailer ?? mailer,
    log: () => {},
    afterResponse,
    rateLimitScope: randomUUID(),
    placeIndex,
  });
  afterAll(async () => {
    await afterResponse.settled();
    await placeIndex.stop();
    await db.destroy();
  });
  return { config, db, clock, app, mailer, placeIndex, settled: () => afterResponse.settled() };
}
