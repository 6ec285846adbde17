import { AsyncLocalStorage } from 'node:async_hooks';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Db } from './knex.js';

/**
 * A query keeps running after its client has gone: ten slow searches whose visitors gave up held
 * the pool of ten, and every other request waited (issue 10). Here each request remembers the pool
 * connections it holds (through AsyncLocalStorage, so no service or repository has to pass a
 * signal along); when its client disconnects before the answer, PostgreSQL is told to cancel what
 * those connections run (`pg_cancel_backend`, sent by Knex on a connection of its own, outside the
 * pool, so it works even when the pool is full), and the request takes no new connection.
 */
interface RequestQueries {
  connections: Set<PgConnection>;
  gone: boolean;
}

interface PgConnection {
  processID: number;
  /** Knex's own flag for a broken connection: the pool destroys it instead of handing it out again. */
  __knex__disposed?: unknown;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
  cancelQuery(connection: PgConnection): Promise<unknown>;
}

const requests = new AsyncLocalStorage<RequestQueries>();
const holders = new WeakMap<PgConnection, RequestQueries>();
/** The pool a connection came from: its cancel request must go to that same server (primary or replica). */
const clientsOf = new WeakMap<PgConnection, KnexClient>();
const tracked = new WeakSet<object>();

/** Its client went away before the answer: nobody reads the response (499, as nginx calls it). */
class ClientGoneError extends Error {
  readonly status = 499;
  constructor() {
    super('Le client est parti avant la réponse ; sa requête a été annulée.');
  }
}

function trackConnections(client: KnexClient): void {
  if (tracked.has(client)) return;
  tracked.add(client);
  const acquire = client.acquireConnection.bind(client);
  const release = client.releaseConnection.bind(client);
  client.acquireConnection = async () => {
    const request = requests.getStore();
    if (request?.gone) throw new ClientGoneError();
    const connection = await acquire();
    if (!request) return connection;
    if (request.gone) {
      await release(connection);
      throw new ClientGoneError();
    }
    request.connections.add(connection);
    holders.set(connection, request);
    clientsOf.set(connection, client);
    return connection;
  };
  client.releaseConnection = (connection) => {
    holders.get(connection)?.connections.delete(connection);
    holders.delete(connection);
    return release(connection);
  };
}

/**
 * Middleware and error handler to mount around the routes: the first as early as possible, the
 * second just before the one error handler (a request whose client is gone gets no answer).
 */
export function cancelQueriesOnDisconnect(dbs: Db | Db[], log: (message: string, error?: unknown) => void) {
  // Every pool the request may use (the primary, and the read replica when there is one).
  for (const db of new Set([dbs].flat())) trackConnections(db.client as KnexClient);

  const middleware: RequestHandler = (_req, res, next) => {
    const request: RequestQueries = { connections: new Set(), gone: false };
    res.on('close', () => {
      if (res.writableFinished) return;
      request.gone = true;
      for (const connection of request.connections) {
        // The cancel reaches PostgreSQL a moment later, by then the connection may be back in the
        // pool running another request's query, which it would cancel instead: it is never reused.
        connection.__knex__disposed = 'client gone, query cancelled';
        clientsOf
          .get(connection)
          ?.cancelQuery(connection)
          .catch((error: unknown) => {
            log('Annulation d’une requête SQL impossible', error);
          });
      }
    });
    requests.run(request, next);
  };

  const dropAnswersToGoneClients: ErrorRequestHandler = (error, _req, res, next) => {
    if (requests.getStore()?.gone || (res.destroyed && !res.headersSent)) return;
    next(error);
  };

  return { middleware, dropAnswersToGoneClients };
}
