import path from 'node:path';
import type { Config } from './config.js';
import { startEmbeddedPostgres, type EmbeddedOrigin } from './db/embedded.js';
import { createDb, type Db } from './db/knex.js';
import { migrateToLatest } from './db/migrate.js';
import type { Logger } from './logging/logger.js';

/** Migrations and seeds rewrite whole tables: they get far more than a request's statement_timeout. */
const MAINTENANCE_STATEMENT_TIMEOUT_MS = 15 * 60_000;

export interface Database {
  /** The application's pool: every connection runs under STATEMENT_TIMEOUT_MS. */
  db: Db;
  /**
   * The read replica's pool (DATABASE_READ_URL), same settings; `db` itself when there is none.
   * Only read-only features use it (server/db/read-routing.ts).
   */
  readDb: Db;
  connectionString: string;
  /** 'external' for DATABASE_URL; otherwise how this process got its embedded server. */
  origin: EmbeddedOrigin | 'external';
  /** Opens a short-lived pool with the maintenance timeout (migrations, seeds); the caller destroys it. */
  openMaintenance(): Db;
  /** Closes the pool, then stops the embedded server if this process owns it. */
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise a real PostgreSQL embedded in the project, kept in DATA_DIR.
 * Migrated, unless `migrate: false` (backup and restore take the schema as they find it).
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  let connectionString = config.DATABASE_URL;
  let origin: Database['origin'] = 'external';
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!connectionString) {
    const directory = path.join(config.DATA_DIR, 'postgres');
    logger.info(`PostgreSQL embarqué : données dans ${directory}, port ${config.EMBEDDED_PG_PORT}.`);
    const embedded = await startEmbeddedPostgres({
      directory,
      port: config.EMBEDDED_PG_PORT,
      databaseName: 'epn_finder',
      logger: logger.child({ component: 'postgres' }),
    });
    connectionString = embedded.connectionString;
    origin = embedded.origin;
    stopEmbedded = () => embedded.stop();
  }
  const url = connectionString;
  const openMaintenance = () =>
    createDb(url, { min: 0, max: 2 }, { statementTimeoutMs: MAINTENANCE_STATEMENT_TIMEOUT_MS });
  if (options.migrate !== false) {
    try {
      const maintenance = openMaintenance();
      try {
        await migrateToLatest(maintenance);
      } finally {
        await maintenance.destroy();
      }
    } catch (error) {
      // A failed migration must not leave the embedded server running without its owner.
      await stopEmbedded?.();
      throw error;
    }
  }
  const db = createDb(
    url,
    { min: 0, max: config.DB_POOL_MAX },
    { statementTimeoutMs: config.STATEMENT_TIMEOUT_MS, acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS },
  );
  const readDb = config.DATABASE_READ_URL
    ? createDb(
        config.DATABASE_READ_URL,
        { min: 0, max: config.DB_POOL_MAX },
        { statementTimeoutMs: config.STATEMENT_TIMEOUT_MS, acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS },
      )
    : db;
  if (config.DATABASE_READ_URL) logger.info('Réplique en lecture (DATABASE_READ_URL) : recherches et pages y lisent.');
  return {
    db,
    readDb,
    connectionString: url,
    origin,
    openMaintenance,
    async close() {
      if (readDb !== db) await readDb.destroy();
      await db.destroy();
      await stopEmbedded?.();
    },
  };
}
