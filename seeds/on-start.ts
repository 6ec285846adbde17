import type { Config } from '../server/config.js';
import type { Database } from '../server/database.js';
import type { Db } from '../server/db/knex.js';
import type { Logger } from '../server/logging/logger.js';
import { PLACES_SEEDED_RUN, runSeeds } from './index.js';
import { findSeedRun } from './seed-runs.repository.js';

export type SeedDecision = 'seed' | 'skip-loaded' | 'skip-external' | 'skip-disabled';

/**
 * SEED_ON_START=true: every start (idempotent: files re-read, unchanged ones skipped by checksum).
 * false: never. Unset: the embedded database is seeded until the demo places have once been loaded
 * in full (so a first start cut short finishes next time), and later starts read no seed file;
 * an external DATABASE_URL is never seeded implicitly (`npm run seed`).
 */
export async function decideSeeding(config: Config, db: Db): Promise<SeedDecision> {
  if (config.SEED_ON_START === true) return 'seed';
  if (config.SEED_ON_START === false) return 'skip-disabled';
  if (config.DATABASE_URL) return 'skip-external';
  return (await findSeedRun(db, PLACES_SEEDED_RUN)) ? 'skip-loaded' : 'seed';
}

export async function seedDatabase(database: Database, logger: Logger): Promise<void> {
  const maintenance = database.openMaintenance();
  try {
    await runSeeds(maintenance, {
      log: (message) => logger.info(message),
      today: new Date().toISOString().slice(0, 10),
    });
  } finally {
    await maintenance.destroy();
  }
}

export async function seedOnStart(config: Config, database: Database, logger: Logger): Promise<void> {
  const decision = await decideSeeding(config, database.db);
  if (decision === 'seed') {
    logger.info('Chargement des données de démonstration (seeds/)…');
    await seedDatabase(database, logger);
  } else if (decision === 'skip-loaded') {
    logger.info('Données de démonstration déjà chargées : seeds/ non relu (SEED_ON_START=true pour le relire).');
  } else if (decision === 'skip-external') {
    logger.info(
      'Base externe (DATABASE_URL) : aucune donnée chargée au démarrage (npm run seed, ou SEED_ON_START=true).',
    );
  }
}
