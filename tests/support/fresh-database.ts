import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabaseIfMissing } from '../../server/db/embedded.js';
import { createDb, type Db } from '../../server/db/knex.js';
import { migrateToLatest } from '../../server/db/migrate.js';

/**
 * A brand-new migrated database on the test server, for tests that need a table to themselves
 * (the seeds). Dropped by `drop()`.
 */
export async function createFreshDatabase(): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const baseUrl = new URL(inject('databaseUrl'));
  const name = `epn_fresh_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const adminUrl = new URL(baseUrl);
  adminUrl.pathname = '/postgres';
  await createDatabaseIfMissing(adminUrl.toString(), name);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { min: 0, max: 4 });
  await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      const admin = createDb(adminUrl.toString(), { min: 0, max: 1 });
      await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
