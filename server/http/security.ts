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
    handler: (_req, _res, next) => next(new TooManyRequestsError(message)),
    ...rest,
  });
}

const normalisedEmail = (body: unknown) =>
  typeof (body as { email?: unknown })?.email === 'string' ? (body as { email: string }).email.trim().toLowerCase() : '';

/**
 * Abuse limits, per IP and per e-mail address, counted in memory for this process, **one counter per
 * action**: failed log-ins never block someone's sign-up or password reset. The numbers come from the
 * configuration (RATE_LIMIT_AUTH_PER_IP / _PER_ACCOUNT apply to each action on its own; tests raise
 * them, and test the limits on their own with low values).
 */
export function createRateLimits(config: Config) {
  const windowMs = config.RATE_LIMIT_WINDOW_MINUTES * 60_000;
  const wait = minutes(config.RATE_LIMIT_WINDOW_MINUTES);
  const tooManyFromIp = `Trop de tentatives depuis votre connexion. Réessayez dans ${wait}.`;
  const perIp = (action: string, limit: number, message: string, options: Partial<Options> = {}) =>
    limiter({ windowMs, limit, keyGenerator: (req) => `${action}:${ipKeyGenerator(req.ip ?? '')}`, message, ...options });
  const perAccount = (action: string, options: Partial<Options> & { message: string }) =>
    limiter({
      windowMs,
      limit: config.RATE_LIMIT_AUTH_PER_ACCOUNT,
      keyGenerator: (req) => `${action}:account:${normalisedEmail(req.body)}`,
      skip: (req) => normalisedEmail(req.body) === '',
      ...options,
    });
  return {
    /** Log-ins from one IP: only failures count (a 4xx answer), so people who sign in often are never blocked. */
    loginPerIp: perIp('login', config.RATE_LIMIT_AUTH_PER_IP, tooManyFromIp, { skipSuccessfulRequests: true }),
    /** Failed log-ins for one address, whatever the IP; once over, even the right password waits. */
    loginPerAccount: perAccount('login', {
      skipSuccessfulRequests: true,
      message: `Trop de tentatives pour ce compte. Par sécurité, réessayez dans ${wait}.`,
    }),
    /** Sign-ups from one IP. */
    signupPerIp: perIp('signup', config.RATE_LIMIT_AUTH_PER_IP, tooManyFromIp),
    /** Sign-ups for one address (each one e-mails that address). */
    signupPerAccount: perAccount('signup', { message: `Trop de demandes pour cette adresse. Réessayez dans ${wait}.` }),
    /** Reset-link requests from one IP. */
    resetRequestPerIp: perIp('reset-request', config.RATE_LIMIT_AUTH_PER_IP, tooManyFromIp),
    /**
     * Reset links for one address: past the limit no more e-mail is sent, but the answer stays the
     * same (no 429). Someone else asking for your reset cannot stop you: the latest link they made
     * you receive is in your mailbox and works.
     */
    resetRequestPerAccount: perAccount('reset-request', {
      message: '',
      handler: (_req, res, next) => {
        res.locals.resetMailThrottled = true;
        next();
      },
    }),
    /** Choosing a new password with a link, from one IP (guessing links). */
    resetPerIp: perIp('reset', config.RATE_LIMIT_AUTH_PER_IP, tooManyFromIp),
    /** "Renvoyer le lien de confirmation", from one IP. */
    resendVerificationPerIp: perIp('resend-verification', config.RATE_LIMIT_AUTH_PER_IP, tooManyFromIp),
    /** Visitors' error reports on place pages (used by server/reports/). */
    reportsPerIp: perIp(
      'reports',
      config.RATE_LIMIT_REPORTS_PER_IP,
      `Vous avez envoyé beaucoup de signalements. Merci ! Réessayez dans ${wait}.`,
    ),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
