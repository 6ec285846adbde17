import { describe, expect, inject, it } from 'vitest';
import { recordSeedRun } from '../../../seeds/seed-runs.repository.js';
import { PLACES_SEEDED_RUN } from '../../../seeds/index.js';
import { loadConfig } from '../../../server/config.js';
import { createDb } from '../../../server/db/knex.js';
import { decideSeeding } from '../../../seeds/on-start.js';
import { createFreshDatabase } from '../../support/fresh-database.js';

describe('statement_timeout', () => {
  const whenQueryRunsLongerThan =
    'when a query runs longer than the pool’s statement timeout, ' +
    'then PostgreSQL cancels it (57014) instead of letting it hold its connection';
  it(whenQueryRunsLongerThan, async () => {
    const db = createDb(inject('databaseUrl'), { min: 0, max: 1 }, { statementTimeoutMs: 200 });
    try {
      expect((await db.raw('SHOW statement_timeout')).rows[0].statement_timeout).toBe('200ms');
      await expect(db.raw('SELECT pg_sleep(3)')).rejects.toMatchObject({ code: '57014' });
      // The connection is still usable afterwards.
      expect((await db.raw('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});

describe('seeding at start', () => {
  const embedded = (env: Record<string, string> = {}) => loadConfig(env);
  const external = (env: Record<string, string> = {}) =>
    loadConfig({ DATABASE_URL: 'postgres://u:p@db.example/epn', ...env });

  const whenEmbeddedDatabaseHasNever =
    'when the embedded database has never been seeded, ' +
    'then it is; once the demo places are in, later starts read no seed file';
  it(whenEmbeddedDatabaseHasNever, async () => {
    const fresh = await createFreshDatabase();
    try {
      expect(await decideSeeding(embedded(), fresh.db)).toBe('seed');
      await recordSeedRun(fresh.db, PLACES_SEEDED_RUN, 'checksum', {});
      expect(await decideSeeding(embedded(), fresh.db)).toBe('skip-loaded');
      expect(await decideSeeding(embedded({ SEED_ON_START: 'true' }), fresh.db)).toBe('seed');
    } finally {
      await fresh.drop();
    }
  });

  const whenDatabaseUrlSet =
    'when DATABASE_URL is set, then nothing is seeded unless SEED_ON_START=true; ' +
    'SEED_ON_START=false seeds nothing anywhere';
  it(whenDatabaseUrlSet, async () => {
    const fresh = await createFreshDatabase();
    try {
      expect(await decideSeeding(external(), fresh.db)).toBe('skip-external');
      expect(await decideSeeding(external({ SEED_ON_START: 'true' }), fresh.db)).toBe('seed');
      expect(await decideSeeding(embedded({ SEED_ON_START: 'false' }), fresh.db)).toBe('skip-disabled');
    } finally {
      await fresh.drop();
    }
  });
});
