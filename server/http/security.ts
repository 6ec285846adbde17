import type { RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator, type Options } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../config.js';
import { AppError } from './errors.js';

/**
 * Security headers on every response. The Content-Security-Policy allows scripts only from this
 * origin: no inline script, no inline event handler (data goes through data-* attributes).
 * Map tiles may come from any https host (MAP_TILES_URL is configurable).
 */
export function securityHeaders(config: Config): RequestHandler {
  const production = config.NODE_ENV === 'production';
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}

/**
 * Private responses must not be kept by the browser or a proxy: EPN computers are shared, and the
 * next person could open someone's "Mon espace" from the cache or the back button.
 */
export const NO_STORE = 'no-store';
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', NO_STORE);
  next();
};

/** Pages that are private, or carry a one-time token, even for a visitor who is not signed in. */
export const PRIVATE_PATHS = ['/connexion', '/deconnexion', '/inscription', '/compte', '/mot-de-passe-oublie', '/mot-de-passe', '/mon-espace', '/moderation', '/admin'];

export class TooManyRequestsError extends AppError {
  constructor(message: string) {
    super(429, 'too_many_requests', message);
  }
}

const minutes = (n: number) => `${n} minute${n > 1 ? 's' : ''}`;

function limiter(options: Partial<Options> & { message: string }): RequestHandler {
  const { message, ...rest } = options;
  return rateLimit({
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...rest,
    handler: (_req, _res, next) => next(new TooManyRequestsError(message)),
  });
}

const normalisedEmail = (body: unknown) =>
  typeof (body as { email?: unknown })?.email === 'string' ? (body as { email: string }).email.trim().toLowerCase() : '';

/**
 * Abuse limits, per IP and per account, counted in memory for this process. The numbers come
 * from the configuration (tests raise them, and test the limits on their own with low values).
 */
export function createRateLimits(config: Config) {
  const windowMs = config.RATE_LIMIT_WINDOW_MINUTES * 60_000;
  const wait = minutes(config.RATE_LIMIT_WINDOW_MINUTES);
  const perIp = (limit: number, message: string) =>
    limiter({ windowMs, limit, keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''), message });
  return {
    /** Log-in, sign-up, reset requests: per IP. */
    authPerIp: perIp(
      config.RATE_LIMIT_AUTH_PER_IP,
      `Trop de tentatives depuis votre connexion. Réessayez dans ${wait}.`,
    ),
    /** Log-ins and reset requests for one e-mail address, whatever the IP. */
    authPerAccount: limiter({
      windowMs,
      limit: config.RATE_LIMIT_AUTH_PER_ACCOUNT,
      keyGenerator: (req) => `account:${normalisedEmail(req.body)}`,
      skip: (req) => normalisedEmail(req.body) === '',
      message: `Trop de tentatives pour ce compte. Par sécurité, réessayez dans ${wait}.`,
    }),
    /** Visitors' error reports on place pages (used by server/reports/). */
    reportsPerIp: perIp(
      config.RATE_LIMIT_REPORTS_PER_IP,
      `Vous avez envoyé beaucoup de signalements. Merci ! Réessayez dans ${wait}.`,
    ),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
