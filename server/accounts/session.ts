import connectPgSimple from 'connect-pg-simple';
import type { RequestHandler, Request } from 'express';
import session from 'express-session';
import type { Config } from '../config.js';
import type { PoolClient } from 'pg';
import type { Db } from '../db/knex.js';
import type { Clock } from '../shared/clock.js';
import { NO_STORE, PRIVATE_PATHS } from '../http/security.js';
import { holdsSessionCookie, onlyReads, SESSION_COOKIE } from '../http/request-kind.js';
import { findUserById } from './accounts.repository.js';

/**
 * Sessions live in PostgreSQL (connect-pg-simple, table `sessions` made by a migration). The store
 * borrows connections from the application's Knex pool through the `pgPromise`-style `any()` hook,
 * so there is one pool to size and to close.
 * Only signed-in people get a session (saveUninitialized: false). Idle expiry: the cookie's maxAge,
 * renewed on each request (rolling). Absolute expiry: `startedAt`, checked by `loadCurrentUser`.
 */
export function sessionMiddleware(deps: {
  config: Config;
  db: Db;
  log: (message: string, error?: unknown) => void;
}): RequestHandler {
  const { config, db } = deps;
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    tableName: 'sessions',
    createTableIfMissing: false,
    pruneSessionInterval: config.NODE_ENV === 'test' ? false : 15 * 60,
    errorLog: (...args: unknown[]) => deps.log('Sessions : erreur du stockage', args[0]),
    pgPromise: {
      async any(sql: string, params: unknown[]) {
        // Knex types its client loosely; with the pg driver a connection is a pg PoolClient.
        const client = db.client as {
          acquireConnection(): Promise<PoolClient>;
          releaseConnection(connection: PoolClient): Promise<void>;
        };
        const connection = await client.acquireConnection();
        try {
          const result = await connection.query<Record<string, unknown>>(sql, params);
          return result.rows;
        } finally {
          await client.releaseConnection(connection);
        }
      },
    },
  });
  const withSession = session({
    name: SESSION_COOKIE,
    secret: config.SESSION_SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.NODE_ENV === 'production',
      maxAge: config.SESSION_IDLE_MINUTES * 60_000,
      path: '/',
    },
  });
  return (req, res, next) => {
    if (sessionNeeded(req)) {
      withSession(req, res, next);
      return;
    }
    next();
  };
}

/**
 * Whether the request goes through express-session. It makes a session (a random id, a hash of
 * its content) for every request and forgets it when nothing was put in it: a tenth of the CPU of
 * an anonymous place page. A read without our cookie, outside the private paths, can neither be
 * signed in nor read a session: it goes without (`req.session` unset, which `loadCurrentUser` and
 * CSRF already take as "nobody signed in"). Writes, the private paths (signing in by a link or a
 * confirmation is a GET there) and anyone holding the cookie keep it.
 */
export function sessionNeeded(req: Pick<Request, 'method' | 'path' | 'headers'>): boolean {
  if (!onlyReads(req.method) || holdsSessionCookie(req.headers.cookie)) return true;
  return PRIVATE_PATHS.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`));
}

/** Sets `res.locals.currentUser` ({ id, email, role, verified } or undefined) on every request. */
export function loadCurrentUser(deps: { db: Db; clock: Clock; config: Config }): RequestHandler {
  const absoluteMs = deps.config.SESSION_ABSOLUTE_HOURS * 3_600_000;
  return async (req, res, next) => {
    res.locals.currentUser = undefined;
    // express-session leaves req.session unset when its store is unavailable.
    const current = req.session as Request['session'] | undefined;
    const userId = current?.userId;
    if (!current || !userId) return next();
    const expired = !current.startedAt || deps.clock.now().getTime() - current.startedAt > absoluteMs;
    const user = expired ? undefined : await findUserById(deps.db, userId);
    if (!user) {
      await destroySession(req);
      return next();
    }
    res.locals.currentUser = { id: user.id, email: user.email, role: user.role, verified: user.verified };
    // Whatever the page, what a signed-in person sees is theirs: never cached (shared computers).
    res.set('Cache-Control', NO_STORE);
    next();
  };
}

/**
 * Signs `userId` in on this request: always a new session id, so that an id planted before
 * (fixation) is worthless; `startedAt` starts the absolute expiry.
 */
export async function startSignedInSession(req: Request, userId: number, now: Date): Promise<void> {
  await regenerateSession(req);
  req.session.userId = userId;
  req.session.startedAt = now.getTime();
  await saveSession(req);
}

function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((error?: Error) => (error ? reject(error) : resolve())),
  );
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error?: Error) => (error ? reject(error) : resolve())));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    const current = req.session as Request['session'] | undefined;
    if (!current) return resolve();
    current.destroy((error?: Error) => (error ? reject(error) : resolve()));
  });
}
