import knexFactory, { type Knex } from 'knex';
import { inspect } from 'node:util';
import pg from 'pg';

// DATE columns stay 'YYYY-MM-DD' strings: a JS Date would shift them by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint counts (count(*)) fit in a JS number for this application's sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Db = Knex;

/** Without a configured value: long enough for a cold test database, still bounded. */
const DEFAULT_ACQUIRE_TIMEOUT_MS = 5000;
/** The client-side guard fires after the server's own statement_timeout had its chance (57014). */
const CLIENT_GRACE_MS = 1000;

export interface DbOptions {
  /**
   * PostgreSQL's statement_timeout for every connection of the pool (set at connection start-up):
   * a query that runs longer is cancelled with SQLSTATE 57014 instead of holding its connection
   * for as long as the database is stuck. Undefined: the server's default (none).
   * The same value (plus a second) bounds the wait on the client side, for the case where the
   * server cannot cancel anything because it does not answer at all (a paused or unreachable host).
   */
  statementTimeoutMs?: number;
  /**
   * Longest wait for a connection: from the pool when it is saturated, or for a new one to open.
   * Past it the query fails (KnexTimeoutError or a connection error), which the error handler
   * answers with 503: a bounded wait instead of a request hanging for the whole outage.
   */
  acquireTimeoutMs?: number;
}

export function createDb(connectionString: string, pool = { min: 0, max: 10 }, options: DbOptions = {}): Db {
  const acquireTimeoutMs = options.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
  const connection: Knex.PgConnectionConfig = {
    connectionString,
    connectionTimeoutMillis: acquireTimeoutMs,
    // A peer that vanished without closing (host down, network cut) is noticed by the kernel.
    keepAlive: true,
    ...(options.statementTimeoutMs === undefined
      ? {}
      : {
          statement_timeout: options.statementTimeoutMs,
          query_timeout: options.statementTimeoutMs + CLIENT_GRACE_MS,
        }),
  };
  return knexFactory({
    client: 'pg',
    connection,
    pool: { ...pool, afterCreate: disposeAfterReadTimeout },
    acquireConnectionTimeout: acquireTimeoutMs,
    log: { warn: warnUnlessOutage },
  });
}

/**
 * Knex writes a plain-text line on stderr for every failed acquire and every broken connection:
 * during an outage that is one per request, next to the error handler's own JSON line for the 503.
 */
function warnUnlessOutage(message: unknown) {
  if (typeof message === 'string' && /^(Acquire connection error|Connection Error)/.test(message)) return;
  process.stderr.write(`${typeof message === 'string' ? message : inspect(message)}\n`);
}

type KnexConnection = pg.Client & { __knex__disposed?: unknown };

/**
 * After pg's client-side query_timeout the connection still waits for the answer of the abandoned
 * query, so every later query on it would wait too: Knex is told to throw it away on release
 * (its own flag for broken connections), and the pool opens a fresh one.
 */
function disposeAfterReadTimeout(connection: KnexConnection, done: (error: Error | null, c: unknown) => void) {
  const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
  const markIfTimedOut = (error: unknown) => {
    if (error instanceof Error && error.message === 'Query read timeout') connection.__knex__disposed = error;
  };
  (connection as { query: unknown }).query = (...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
        markIfTimedOut(error);
        return (callback as (...a: unknown[]) => unknown)(error, ...rest);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch(markIfTimedOut);
    return result;
  };
  done(null, connection);
}
