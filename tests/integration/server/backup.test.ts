import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runSeeds } from '../../../seeds/index.js';
import { backupDatabase } from '../../../server/db/backup.js';
import { sequenceColumns } from '../../../server/db/backup-tables.js';
import { createDatabaseIfMissing } from '../../../server/db/embedded.js';
import { restoreDatabase } from '../../../server/db/restore.js';
import { createFreshDatabase } from '../../support/fresh-database.js';

/**
 * The whole way: the demo data seeded into a fresh database, `backupDatabase` to a folder, and
 * `restoreDatabase` into a brand-new empty database; then every table compared row for row.
 */
const run = promisify(execFile);

/** A new database with nothing in it (not even migrations), dropped by `drop()`. */
async function createEmptyDatabase() {
  const admin = new URL(inject('databaseUrl'));
  admin.pathname = '/postgres';
  const name = `epn_restore_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await createDatabaseIfMissing(admin.toString(), name);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Per table: its row count and an MD5 of all its rows in a fixed order (their text form). */
async function fingerprint(url: string): Promise<Record<string, { rows: number; md5: string | null }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (
      await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")
    ).rows.map((row) => row.name);
    const result: Record<string, { rows: number; md5: string | null }> = {};
    for (const table of tables) {
      const { rows } = await client.query<{ rows: string; md5: string | null }>(
        `SELECT count(*) AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM "${table}" t`,
      );
      result[table] = { rows: Number(rows[0].rows), md5: rows[0].md5 };
    }
    return result;
  } finally {
    await client.end();
  }
}

describe('backup and restore', () => {
  let source: Awaited<ReturnType<typeof createFreshDatabase>>;
  let folder: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    source = await createFreshDatabase();
    cleanups.push(() => source.drop());
    await runSeeds(source.db, { log: () => {}, today: '2026-12-01' });
    folder = await mkdtemp(path.join(os.tmpdir(), 'epn-backup-'));
    await chmod(folder, 0o755);
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
  }, 180_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const whenSeededDatabaseBackedUp =
    'when the seeded database is backed up and restored into an empty one, ' +
    'then every table, the migration bookkeeping included, has the same rows';
  it(
    whenSeededDatabaseBackedUp,
    async () => {
      const backupStarted = performance.now();
      const manifest = await backupDatabase(source.url, path.join(folder, 'seeded'));
      const backupSeconds = (performance.now() - backupStarted) / 1000;
      const target = await createEmptyDatabase();
      cleanups.push(() => target.drop());
      const restoreStarted = performance.now();
      await restoreDatabase(target.url, path.join(folder, 'seeded'));
      const restoreSeconds = (performance.now() - restoreStarted) / 1000;

      const before = await fingerprint(source.url);
      const after = await fingerprint(target.url);
      const rows = Object.values(before).reduce((sum, table) => sum + table.rows, 0);
      console.log(
        `Sauvegarde de la base de démonstration : ${manifest.tables.length} tables, ${rows} lignes ; ` +
          `sauvegarde ${backupSeconds.toFixed(2)} s, restauration ${restoreSeconds.toFixed(2)} s.`,
      );
      expect(after).toEqual(before);
      expect(before.places.rows).toBeGreaterThan(100);
      expect(before.knex_migrations.rows).toBeGreaterThan(0);
      expect(manifest.tables.map((table) => table.name).sort()).toEqual(Object.keys(before).sort());

      // Sequences continue after the restored ids: the next value of each is past its column's highest.
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        const columns = await sequenceColumns(client);
        expect(columns.map((c) => c.table)).toContain('places');
        for (const { table, column, sequence } of columns) {
          const { rows: found } = await client.query<{ next: string; highest: string | null }>(
            `SELECT nextval($1) AS next, (SELECT max("${column}") FROM "${table}") AS highest`,
            [sequence],
          );
          expect(Number(found[0].next)).toBeGreaterThan(Number(found[0].highest ?? 0));
        }
      } finally {
        await client.end();
      }
    },
    180_000,
  );

  const whenTargetNotEmpty =
    'when `npm run restore` is pointed at a database that already has data, ' +
    'then it refuses with a French message, exits 1 and changes nothing';
  it(
    whenTargetNotEmpty,
    async () => {
      await backupDatabase(source.url, path.join(folder, 'for-refusal'));
      const before = await fingerprint(source.url);
      const env = { ...process.env, DATABASE_URL: source.url, LOG_LEVEL: 'info' };
      const failure = await run('node', ['dist/server/restore-cli.js', path.join(folder, 'for-refusal')], {
        env,
      }).then(
        () => undefined,
        (error: unknown) => error as { code: number; stdout: string; stderr: string },
      );
      expect(failure?.code).toBe(1);
      const output = `${failure?.stdout ?? ''}${failure?.stderr ?? ''}`;
      expect(output).toContain('Restauration refusée : la base n’est pas vide');
      expect(await fingerprint(source.url)).toEqual(before);
    },
    120_000,
  );
});
