import type { Knex } from 'knex';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Db } from './knex.js';

/** migrations/ beside server/: the sources (.ts, run by tsx) or their build in dist/ (.js). */
const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const MIGRATION_FILE = /^\d.*\.(ts|js)$/;

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Knex's own directory loader cannot import TypeScript files from inside node_modules,
 * so the migrations are listed and imported here, where tsx and vitest transform them.
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    const files = await readdir(MIGRATIONS_DIR);
    return files.filter((file) => MIGRATION_FILE.test(file)).sort();
  },
  getMigrationName(file) {
    // The recorded name has no extension: a database migrated from the sources is up to date for dist/.
    return file.replace(/\.(ts|js)$/, '');
  },
  async getMigration(file) {
    return (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as MigrationModule;
  },
};

export async function migrateToLatest(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
