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

/**
 * Runs the pending migrations one by one until the applied ones are exactly `target` (a restore
 * rebuilds the schema the backup was taken with). Refuses when the database or the code does not
 * lead there: already past it, or `target` names a migration this code does not have.
 */
export async function migrateTo(db: Db, target: string[]): Promise<void> {
  for (;;) {
    const [completed] = (await db.migrate.list({ migrationSource })) as [{ name: string }[], unknown[]];
    const applied = completed.map((migration) => migration.name);
    if (applied.some((name, index) => name !== target[index])) {
      throw new Error(
        `Cette base a déjà des migrations que la sauvegarde n’a pas (${applied.join(', ')}) : ` +
          'restaurez dans une base neuve.',
      );
    }
    if (applied.length === target.length) return;
    const next = target[applied.length];
    const available = (await migrationSource.getMigrations([])).map((file) => migrationSource.getMigrationName(file));
    if (!available.includes(next)) {
      throw new Error(
        `La sauvegarde vient d’une version plus récente (migration ${next} inconnue ici) : ` +
          'mettez EPN Finder à jour avant de restaurer.',
      );
    }
    await db.migrate.up({ migrationSource });
  }
}
