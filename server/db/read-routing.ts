import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type { Db } from './knex.js';

/**
 * Which database a read goes to, request by request, when a read replica is configured
 * (DATABASE_READ_URL). The replica lags the primary by a few milliseconds to seconds, so:
 * - writes (any method but GET/HEAD/OPTIONS) and the personal areas (/mon-espace, /moderation,
 *   /admin, /compte) read the primary: what they show is what the next write will be checked against;
 * - a client that wrote in the last STICKY_SECONDS keeps reading the primary (a cookie set on its
 *   write): the mediator redirected to their place page after a save sees the save at once;
 * - everything else (search, place and label pages, the API, articles) reads the replica.
 * Features that write keep receiving the primary itself; the read-only ones receive `reads`, which
 * resolves to one or the other per request (through AsyncLocalStorage, like the cancellation of
 * queries on disconnect), so no route or repository has to carry the choice along.
 */
const RECENT_WRITE_COOKIE = 'epn.primaire';
const STICKY_SECONDS = 5;
const PRIMARY_PATHS = /^\/(mon-espace|moderation|admin|compte)(\/|$)/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ReadRouting {
  /** The handle for read-only features: the replica, or the primary when this request must see it. */
  reads: Db;
  /** Mounted before the routes: decides for each request, and marks clients that write. */
  middleware: RequestHandler;
}

export function createReadRouting(deps: { db: Db; readDb?: Db; secureCookie: boolean }): ReadRouting {
  const { db, readDb } = deps;
  if (!readDb || readDb === db) return { reads: db, middleware: (_req, _res, next) => next() };
  const primaryForRequest = new AsyncLocalStorage<boolean>();
  const current = (): Db => (primaryForRequest.getStore() ? db : readDb);
  const reads = new Proxy(readDb, {
    apply: (_target, _this, args: unknown[]) => Reflect.apply(current(), undefined, args) as unknown,
    get: (_target, property) => {
      const handle = current();
      const value = Reflect.get(handle, property, handle) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(handle) : value;
    },
  });

  const middleware: RequestHandler = (req, res, next) => {
    const writes = !SAFE_METHODS.has(req.method);
    if (writes) {
      res.cookie(RECENT_WRITE_COOKIE, '1', {
        maxAge: STICKY_SECONDS * 1000,
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookie,
        path: '/',
      });
    }
    const primary = writes || PRIMARY_PATHS.test(req.path) || wroteRecently(req.headers.cookie);
    primaryForRequest.run(primary, next);
  };
  return { reads, middleware };
}

function wroteRecently(cookieHeader: string | undefined): boolean {
  if (!cookieHeader) return false;
  return cookieHeader.split(';').some((pair) => pair.trim() === `${RECENT_WRITE_COOKIE}=1`);
}
