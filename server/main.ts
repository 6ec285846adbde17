import { runSeeds } from '../seeds/index.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';

/** The only file that listens: config → database (embedded or external) → migrate → seed → app. */
async function main() {
  const config = loadConfig();
  const log = (message: string) => {
    if (config.LOG_LEVEL !== 'silent' && config.LOG_LEVEL !== 'error') console.log(message);
  };
  const database = await openDatabase(config, log);
  if (config.SEED_ON_START) {
    await runSeeds(database.db, { log, today: new Date().toISOString().slice(0, 10) });
  }
  const app = createApp({ config, db: database.db });
  const server = app.listen(config.PORT, config.HOST, () => {
    log(`EPN Finder est prêt : ${config.PUBLIC_BASE_URL} (écoute sur ${config.HOST}:${config.PORT})`);
  });
  const shutdown = async () => {
    server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
