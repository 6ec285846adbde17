import http from 'node:http';
import { createAfterResponse, type AfterResponse } from './accounts/after-response.js';
import type { Express } from 'express';
import { createApp } from './app.js';
import { createExpressServer } from './http/express-server.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './database.js';
import { seedOnStart } from '../seeds/on-start.js';
import { createPlaceIndex, type PlaceIndex } from './places/index/place-index.js';
import { createLogger, type Logger } from './logging/logger.js';
import { buildPendingPlaceIndexes, indexesLeftToBuild } from './places/place-index-builds.repository.js';

let logger: Logger = createLogger('info');
let database: Database | undefined;
let placeIndex: PlaceIndex | undefined;

/** Logs why, stops the embedded database this process owns (never an orphan left behind), exits 1. */
async function fail(message: string, error?: unknown): Promise<never> {
  logger.fatal(error === undefined ? {} : { err: error }, message);
  await withTimeout(database?.close(), 10_000).catch((closeError: unknown) =>
    logger.error({ err: closeError }, 'Fermeture de la base impossible.'),
  );
  process.exit(1);
}

/** The only file that listens: config → database (embedded or external) → migrate → seed → app. */
async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    return fail(
      error instanceof ConfigError ? error.message : 'Configuration illisible.',
      error instanceof ConfigError ? undefined : error,
    );
  }
  logger = createLogger(config.LOG_LEVEL);
  process.on(
    'unhandledRejection',
    (reason) => void fail('Promesse rejetée sans traitement : arrêt du serveur.', reason),
  );
  process.on('uncaughtException', (error) => void fail('Exception non rattrapée : arrêt du serveur.', error));
  // Before anything starts: a signal that came without a handler would kill the process at once,
  // leaving the embedded database running (seen when SIGTERM arrived right after "prêt").
  let server: http.Server | undefined;
  // Declared here, assigned once below: shutdown() may run (on a signal) before it is created.
  // eslint-disable-next-line prefer-const -- a const there would put shutdown() in its temporal dead zone
  let afterResponse: AfterResponse | undefined;
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} reçu : plus de nouvelles connexions, fin des requêtes en cours…`);
    try {
      if (server) await closeServer(server, config.SHUTDOWN_TIMEOUT_MS, logger);
      // E-mails queued after their answers (sign-up, reset, sign-in links) still need the database.
      await withTimeout(afterResponse?.settled(), config.SHUTDOWN_TIMEOUT_MS).catch((error: unknown) =>
        logger.warn({ err: error }, 'E-mails en attente non envoyés avant l’arrêt.'),
      );
      await placeIndex?.stop();
      // A signal while the database is still opening exits without it: the next start adopts what is left.
      await database?.close();
    } catch (error) {
      return fail('Arrêt incomplet.', error);
    }
    logger.info('EPN Finder est arrêté.');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));

  database = await openDatabase(config, logger);
  if (database.origin === 'adopted') logger.warn('Le PostgreSQL embarqué repris sera arrêté avec ce serveur.');
  await finishInterruptedIndexBuilds(database, logger);
  await seedOnStart(config, database, logger);
  afterResponse = createAfterResponse((message, error) =>
    logger.error(error === undefined ? {} : { err: error }, message),
  );
  // The read path serves searches from memory: every place is loaded before the server says "prêt".
  const log = (message: string, error?: unknown) => logger.error(error === undefined ? {} : { err: error }, message);
  const indexStart = Date.now();
  placeIndex = createPlaceIndex({
    db: database.db,
    loadDb: database.readDb,
    connectionString: database.connectionString,
    log,
  });
  await placeIndex.start();
  logger.info(`Index des lieux chargé : ${placeIndex.size} lieux en ${Date.now() - indexStart} ms.`);
  const app = createApp({ config, db: database.db, readDb: database.readDb, logger, afterResponse, placeIndex });

  try {
    server = await listen(app, config.PORT, config.HOST);
  } catch (error) {
    return fail(describeListenError(error, config), error);
  }
  logger.info(`EPN Finder est prêt : ${config.PUBLIC_BASE_URL} (écoute sur ${config.HOST}:${config.PORT})`);
  logger.info(describeTrustProxy(config));
}

/** Resolves once the port is open; rejects with the error `listen` would otherwise swallow. */
function listen(app: Express, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = createExpressServer(app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function describeTrustProxy(config: Config): string {
  const trusted = `Proxys de confiance (TRUST_PROXY) : ${String(config.TRUST_PROXY)}.`;
  if (config.NODE_ENV !== 'production') return trusted;
  return (
    `${trusted} Le cookie de session est « Secure » : si HTTPS s’arrête sur un proxy d’une autre machine, ` +
    'déclarez-le dans TRUST_PROXY, sinon la connexion ne pose aucun cookie.'
  );
}

function describeListenError(error: unknown, config: Config): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.HOST}:${config.PORT}`;
  if (code === 'EADDRINUSE') {
    return (
      `Le port ${config.PORT} est déjà utilisé (${where}) : un autre programme, ou un EPN Finder précédent ` +
      'pas encore arrêté, l’occupe. Arrêtez-le ou choisissez un autre PORT.'
    );
  }
  if (code === 'EACCES')
    return `Pas le droit d’ouvrir le port ${config.PORT} (${where}) : choisissez un PORT au-dessus de 1024.`;
  if (code === 'EADDRNOTAVAIL') return `L’adresse ${config.HOST} n’existe pas sur cette machine : corrigez HOST.`;
  return `Impossible d’écouter sur ${where}${code ? ` (${code})` : ''}.`;
}

/**
 * Stops accepting connections and waits for the requests in flight. Keep-alive connections are
 * closed as soon as they fall idle; past `timeoutMs` the remaining ones are cut.
 */
async function closeServer(server: http.Server, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.on('request', (_req, res: http.ServerResponse) => res.setHeader('Connection', 'close'));
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => {
    logger.warn(`Requêtes encore en cours après ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS) : connexions coupées.`);
    server.closeAllConnections();
  }, timeoutMs);
  server.closeIdleConnections();
  try {
    await closed;
  } finally {
    clearInterval(idleSweep);
    clearTimeout(deadline);
  }
}

async function withTimeout(promise: Promise<void> | undefined, ms: number): Promise<void> {
  if (!promise) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`pas de réponse en ${ms} ms`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

main().catch((error: unknown) => fail('Le serveur n’a pas pu démarrer.', error));

/**
 * A bulk load builds the indexes it dropped after its commit: if the process died in between, they
 * are built here, before anything reads the places (a search without them would scan the table).
 */
async function finishInterruptedIndexBuilds(database: Database, log: Logger) {
  const maintenance = database.openMaintenance();
  try {
    const left = await indexesLeftToBuild(maintenance);
    if (left.length === 0) return;
    log.warn(`Index de lieux à reconstruire après un chargement interrompu : ${left.join(', ')}.`);
    await buildPendingPlaceIndexes(maintenance, {
      onBuilt: (name, ms) => log.info(`Index ${name} reconstruit en ${Math.round(ms)} ms.`),
    });
  } finally {
    await maintenance.destroy();
  }
}
