import { z } from 'zod';

/**
 * The only reader of process.env. Parsed once at start-up with zod, frozen, and
 * fails fast with a message naming the variable when a value is wrong.
 */
const booleanFromEnv = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Defaults to http://localhost:<PORT>. */
  PUBLIC_BASE_URL: z.url().optional(),
  DATABASE_URL: z.url().optional(),
  /**
   * A read replica of DATABASE_URL (streaming replication): searches, pages, API reads and the
   * index load go there; writes and read-your-own-writes stay on DATABASE_URL (docs/deployment.md).
   */
  DATABASE_READ_URL: z.url().optional(),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /**
   * Unset: the embedded database loads the demo data on its first start only; an external
   * DATABASE_URL is never seeded (`npm run seed`). true: every start (idempotent); false: never.
   */
  SEED_ON_START: booleanFromEnv.optional(),
  MAP_TILES_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MAP_TILES_ATTRIBUTION: z
    .string()
    .default('&copy; les contributeurs d’<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'),
  LOG_LEVEL: z.enum(['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /**
   * Which proxies may tell the client's address and scheme (X-Forwarded-*): Express's `trust proxy`.
   * In production the session cookie is Secure: behind a proxy on another machine that is not
   * trusted here, every request looks like plain HTTP and log-in sets no cookie.
   */
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/,
      'true, false, un nombre de proxys, ou des adresses/sous-réseaux séparés par des virgules ' +
        '(ex. loopback, 10.0.0.0/8).',
    )
    .default('loopback')
    .transform(parseTrustProxy),
  /** Longest a query may run on the application's connections; migrations and seeds get longer. */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /**
   * Longest a request waits for a database connection (pool saturated, or a new connection that does
   * not open: database down or paused) before it is answered 503 with Retry-After.
   */
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Connections per instance: N instances open up to N × DB_POOL_MAX (mind the server's max_connections). */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /**
   * Text searches run in PostgreSQL at once, at most (capped at half the pool); the next wait up to
   * DB_ACQUIRE_TIMEOUT_MS, then 503. A rare word keeps a core busy for up to a second at 1M places:
   * on 2 cores, two at once leave the other searches their CPU.
   */
  TEXT_SEARCH_SLOTS: z.coerce.number().int().min(1).max(250).default(2),
  /**
   * Requests one instance works on at once; past it, reads get 503 with Retry-After at once (writes
   * never do). Static files do not count. 50 connections of the benchmark never reach the default.
   */
  MAX_REQUESTS_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(64),
  /** On SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  // Geocoding (issue 3): the offline communes table, or the national BAN API in front of it.
  GEOCODER: z.enum(['offline', 'ban']).default('offline'),
  BAN_API_URL: z.url().default('https://api-adresse.data.gouv.fr'),
  GEOCODER_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2500),
  // Accounts, e-mail and abuse limits (issue 5).
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET doit faire au moins 32 caractères.').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(24),
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().default('EPN Finder <ne-pas-repondre@epn-finder.fr>'),
  RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_AUTH_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_REPORTS_PER_IP: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
});

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

const DEV_SESSION_SECRET = 'dev-only-session-secret-never-use-in-production';

export type Config = Readonly<
  Omit<z.infer<typeof configSchema>, 'SESSION_SECRET' | 'PUBLIC_BASE_URL'> & {
    SESSION_SECRET: string;
    PUBLIC_BASE_URL: string;
  }
>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const config = result.data;
  // A known secret would let anyone forge CSRF tokens: production must set its own.
  if (!config.SESSION_SECRET && config.NODE_ENV === 'production') {
    throw new ConfigError(
      'Configuration invalide :\n  SESSION_SECRET: obligatoire en production (au moins 32 caractères aléatoires).',
    );
  }
  // A replica of the embedded database cannot exist: it would be a second, unrelated database.
  if (config.DATABASE_READ_URL && !config.DATABASE_URL) {
    throw new ConfigError(
      'Configuration invalide :\n' +
        '  DATABASE_READ_URL: suppose DATABASE_URL (la base principale dont elle est la réplique).',
    );
  }
  return Object.freeze({
    ...config,
    SESSION_SECRET: config.SESSION_SECRET ?? DEV_SESSION_SECRET,
    PUBLIC_BASE_URL: config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`,
  });
}
