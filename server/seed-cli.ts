/**
 * `npm run seed`: loads the reference data and the demo directory into the configured database
 * (DATABASE_URL, or the embedded one). Idempotent: unchanged files are skipped.
 */
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { seedDatabase } from '../seeds/on-start.js';
import { createLogger } from './logging/logger.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  try {
    await seedDatabase(database, logger);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  createLogger('info').fatal(
    error instanceof ConfigError ? {} : { err: error },
    error instanceof ConfigError ? error.message : 'Chargement impossible.',
  );
  process.exit(1);
});
