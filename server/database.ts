import path from 'node:path';
import type { Config } from './config.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { createDb, type Db } from './db/knex.js';
import { migrateToLatest } from './db/migrate.js';

export interface Database {
  db: Db;
  close(): Promise<void>;
}

/** DATABASE_URL when set; otherwise a real PostgreSQL embedded in the project, kept in DATA_DIR. */
export async function openDatabase(config: Config, log: (message: string) => void): Promise<Database> {
  let connectionString = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!connectionString) {
    const directory = path.join(config.DATA_DIR, 'postgres');
    log(`PostgreSQL embarqué : données dans ${directory}, port ${config.EMBEDDED_PG_PORT}.`);
    const embedded = await startEmbeddedPostgres({ directory, port: config.EMBEDDED_PG_PORT, databaseName: 'epn_finder' });
    connectionString = embedded.connectionString;
    stopEmbedded = embedded.stop;
  }
  const db = createDb(connectionString);
  await migrateToLatest(db);
  return {
    db,
    async close() {
      await db.destroy();
      await stopEmbedded?.();
    },
  };
}
