import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { rateLimit, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import type { Db } from '../db/knex.js';
import { AppError } from './errors.js';
import { countHit, forgetKey, hitsOf, purgeEndedWindows, uncountHit } from './rate-limit.repository.js';

/** What time it is (server/shared/clock.ts's Clock, restated so http depends on no feature folder). */
export interface Clock {
  now(): Date;
}

class TooManyRequestsError extends AppError {
  constructor(message: string) {
    super(429, 'too_many_requests', message);
  }
}

/** One purge of ended windows every this many hits, per instance: no timer to stop at shutdown. */
const PURGE_EVERY_HITS = 500;

/**
 * express-rate-limit's store, in PostgreSQL: every instance of the app counts in the same rows,
 * so N instances behind a load balancer still allow the limit once, not N times. Fixed windows
 * aligned on the clock (a burst may straddle two windows: at most twice the limit, briefly).
 */
class PostgresStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly deps: { db: Db; clock: Clock; scope: string; purge: () => Promise<void> },
    readonly prefix: string,
  ) {}

  init(options: Options) {
    this.windowMs = options.windowMs;
  }

  private window() {
    const now = this.deps.clock.now().getTime();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    // express-rate-limit compares resetTime with Date.now() (e.g. to skip a decrement after the
    // window): it gets the time left in the window, counted from the wall clock.
    return {
      start: new Date(start),
      end: new Date(start + this.windowMs),
      resetTime: new Date(Date.now() + start + this.windowMs - now),
    };
  }

  /** A digest, so that no e-mail address or IP sits in the table. */
  private digest(key: string) {
    return createHash('sha256').update(`${this.deps.scope}\u0000${this.prefix}\u0000${key}`).digest('hex');
  }

  async increment(key: string): Promise<IncrementResponse> {
    const window = this.window();
    const totalHits = await countHit(this.deps.db, this.deps.scope, this.digest(key), window);
    await this.deps.purge();
    return { totalHits, resetTime: window.resetTime };
  }

  async decrement(key: string) {
    await uncountHit(this.deps.db, this.digest(key), this.window().start);
  }

  async get(key: string) {
    const window = this.window();
    return { totalHits: await hitsOf(this.deps.db, this.digest(key), window.start), resetTime: window.resetTime };
  }

  async resetKey(key: string) {
    await forgetKey(this.deps.db, this.digest(key));
  }
}

export interface LimitOptions {
  /** Names the counter (one per action and kind of key). */
  name: string;
  windowMs: number;
  limit: number;
  /** What is counted (an IP, an address, a pair); undefined → this request is not counted. */
  key: (req: Request) => string | undefined;
  /** French text of the 429 page. */
  message: string;
  /** Only failed requests (4xx/5xx) count: people who sign in often are never blocked. */
  onlyFailures?: boolean;
  /** Past the limit, instead of a 429 (e.g. carry on without sending the e-mail). */
  whenOver?: RequestHandler;
}

/**
 * Makes limiters whose counters live in PostgreSQL. `scope` separates sets of counters sharing one
 * database: production leaves it empty (every instance shares); tests give each app its own so that
 * test files running at the same time never count each other's requests.
 */
export function createLimiterFactory(deps: { db: Db; clock: Clock; scope?: string }) {
  let hits = 0;
  const purge = async () => {
    hits += 1;
    if (hits % PURGE_EVERY_HITS === 0) await purgeEndedWindows(deps.db, deps.scope ?? '', deps.clock.now());
  };
  return function limiter(options: LimitOptions): RequestHandler {
    return rateLimit({
      windowMs: options.windowMs,
      limit: options.limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new PostgresStore({ db: deps.db, clock: deps.clock, scope: deps.scope ?? '', purge }, options.name),
      keyGenerator: (req) => options.key(req) ?? '',
      skip: (req) => !options.key(req),
      skipSuccessfulRequests: options.onlyFailures ?? false,
      handler: options.whenOver ?? ((_req, _res, next) => next(new TooManyRequestsError(options.message))),
    });
  };
}

export type Limiter = ReturnType<typeof createLimiterFactory>;
