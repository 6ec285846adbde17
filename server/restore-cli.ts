/**
 * `npm run restore -- <folder>`: rebuilds the configured database (DATABASE_URL, or the embedded
 * one), which must be empty, from a folder written by `npm run backup`. See docs/deployment.md.
 */
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { restoreDatabase, RestoreRefusedError } from './db/restore.js';
import { createLogger } from './logging/logger.js';

async function main() {
  const folder = process.argv[2];
  if (!folder) throw new ConfigError('Indiquez le dossier de la sauvegarde : npm run restore -- <dossier>');
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, logger, { migrate: false });
  try {
    const started = performance.now();
    const manifest = await restoreDatabase(database.connectionString, folder);
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    logger.info(
      `Base restaurée depuis ${folder} (sauvegarde du ${manifest.createdAt}) : ${manifest.tables.length} tables, ` +
        `${rows} lignes, en ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const expected = error instanceof ConfigError || error instanceof RestoreRefusedError;
  createLogger('info').fatal(
    expected ? {} : { err: error },
    error instanceof Error ? error.message : 'Restauration impossible.',
  );
  process.exit(1);
});
