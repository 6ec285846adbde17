/**
 * `npm run backup [-- <folder>]`: a consistent snapshot of the configured database (DATABASE_URL,
 * or the embedded one) into a new folder, by default backups/epn-finder-<date>. See docs/deployment.md.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { backupDatabase } from './db/backup.js';
import { createLogger } from './logging/logger.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const folder = path.resolve(process.argv[2] ?? path.join('backups', `epn-finder-${stamp}`));
  const database = await openDatabase(config, logger, { migrate: false });
  try {
    const started = performance.now();
    const manifest = await backupDatabase(database.connectionString, folder);
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    logger.info(
      `Sauvegarde écrite dans ${folder} : ${manifest.tables.length} tables, ${rows} lignes, ` +
        `en ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  createLogger('info').fatal(
    error instanceof ConfigError ? {} : { err: error },
    error instanceof Error ? error.message : 'Sauvegarde impossible.',
  );
  process.exit(1);
});
