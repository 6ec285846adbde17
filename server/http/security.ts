import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { createLimiterFactory, type Clock } from './rate-limit.js';

/**
 * Security headers on every response. The Content-Security-Policy allows scripts and stylesheets
 * only from this origin: no inline script, no inline event handler (data goes through data-*
 * attributes), no <style> block and no style="" attribute, so that injected markup can neither run
 * nor restyle the page (a fake form drawn over the real one). Leaflet places its tiles and markers by
 * setting element.style from script (the CSSOM), which style-src does not govern.
 * Map tiles may come from any https host (MAP_TILES_URL is configurable).
 */
export function securityHeaders(config: Config): RequestHandler {
  const { set, removed } = headersSetBy(helmetFor(config));
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

/**
 * The headers a middleware sets and removes, asked once. helmet's with these options are the same
 * for every response (no nonce, nothing read from the request), and going through its eleven
 * middlewares at every request cost more than setting the headers.
 */
function headersSetBy(middleware: RequestHandler) {
  const set = new Map<string, string | string[]>();
  const removed = new Set<string>();
  const response = {
    setHeader: (name: string, value: string | number | string[]) => {
      removed.delete(name);
      set.set(name, typeof value === 'number' ? String(value) : value);
    },
    removeHeader: (name: string) => {
      set.delete(name);
      removed.add(name);
    },
  };
  const outcome = { passed: false };
  const request = Object.create(null) as Request;
  void middleware(request, response as unknown as Response, (error?: unknown) => {
    if (error !== undefined) throw new Error('securityHeaders: helmet refused its options', { cause: error });
    outcome.passed = true;
  });
  if (!outcome.passed) throw new Error('securityHeaders: the middleware did not pass the request on at once');
  return { set: [...set], removed: [...removed] };
}

function helmetFor(config: Config): RequestHandler {
  const production = config.NODE_ENV === 'production';
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        styleSrcAttr: ["'none'"],
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
export const PRIVATE_PATHS = [
  '/connexion',
  '/deconnexion',
  '/inscription',
  '/compte',
  '/mot-de-passe-oublie',
  '/mot-de-passe',
  '/mon-espace',
  '/moderation',
  '/admin',
];

const minutes = (n: number) => `${n} minute${n > 1 ? 's' : ''}`;

const normalisedEmail = (req: Request) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};
const ipOf = (req: Request) => ipKeyGenerator(req.ip ?? '');
/** Past a per-address limit on an action that e-mails the address: no 429 (it would tell something), no e-mail. */
const throttleMail: RequestHandler = (_req, res, next) => {
  res.locals.mailThrottled = true;
  next();
};

/**
 * Abuse limits, per IP and per e-mail address, **one counter per action**: failed log-ins never
 * block someone's sign-up or password reset. Counters live in PostgreSQL (`rate_limit_counters`),
 * shared by every instance of the app. The numbers come from the configuration
 * (RATE_LIMIT_AUTH_PER_IP / _PER_ACCOUNT apply to each action on its own; tests raise them, and
 * test the limits on their own with low values).
 *
 * No limit counts an account on its own, whatever the IP: anyone could then lock its owner out
 * (issue 11). Log-in failures count per IP and per (address, IP) pair; actions that e-mail an
 * address are throttled per address silently (no more e-mail, same answer), so a flood never
 * keeps the owner from getting a reset or sign-in link.
 */
export function createRateLimits(config: Config, deps: { db: Db; clock: Clock; scope?: string }) {
  const limiter = createLimiterFactory(deps);
  const windowMs = config.RATE_LIMIT_WINDOW_MINUTES * 60_000;
  const wait = minutes(config.RATE_LIMIT_WINDOW_MINUTES);
  const tooManyFromIp = `Trop de tentatives depuis votre connexion. Réessayez dans ${wait}.`;
  const perIp = (action: string, limit = config.RATE_LIMIT_AUTH_PER_IP, message = tooManyFromIp) =>
    limiter({ name: `${action}:ip`, windowMs, limit, key: ipOf, message });
  /** Actions that e-mail the address they name: past the limit, carry on without e-mailing. */
  const mailsPerAddress = (action: string) =>
    limiter({
      name: `${action}:account`,
      windowMs,
      limit: config.RATE_LIMIT_AUTH_PER_ACCOUNT,
      key: (req) => normalisedEmail(req) || undefined,
      message: '',
      whenOver: throttleMail,
    });
  return {
    /** Log-ins from one IP: only failures count (a 4xx answer), so people who sign in often are never blocked. */
    loginPerIp: limiter({
      name: 'login:ip',
      windowMs,
      limit: config.RATE_LIMIT_AUTH_PER_IP,
      key: ipOf,
      message: tooManyFromIp,
      onlyFailures: true,
    }),
    /**
     * Failed log-ins for one address from one IP: guessing one account from one place stops there,
     * its owner elsewhere is not stopped.
     */
    loginPerAccountAndIp: limiter({
      name: 'login:account-ip',
      windowMs,
      limit: config.RATE_LIMIT_AUTH_PER_ACCOUNT,
      key: (req) => (normalisedEmail(req) ? `${normalisedEmail(req)}\u0000${ipOf(req)}` : undefined),
      message:
        `Trop de tentatives pour ce compte depuis votre connexion. Réessayez dans ${wait}, ` +
        'ou recevez un lien de connexion par e-mail.',
      onlyFailures: true,
    }),
    signupPerIp: perIp('signup'),
    /** Sign-ups for one address (each one e-mails that address). */
    signupMailsPerAddress: mailsPerAddress('signup'),
    resetRequestPerIp: perIp('reset-request'),
    /** Reset links for one address: the latest link received still works, so nobody can stop the owner. */
    resetMailsPerAddress: mailsPerAddress('reset-request'),
    signInLinkRequestPerIp: perIp('sign-in-link-request'),
    signInLinkMailsPerAddress: mailsPerAddress('sign-in-link-request'),
    /** Using a one-time link (new password, confirmation, sign-in), from one IP: guessing links. */
    resetPerIp: perIp('reset'),
    confirmPerIp: perIp('confirm'),
    signInLinkPerIp: perIp('sign-in-link'),
    /** "Renvoyer le lien de confirmation", from one IP. */
    resendVerificationPerIp: perIp('resend-verification'),
    /** Claims on places, per IP and per account (each may e-mail the moderators' queue). */
    claimsPerIp: perIp('claims'),
    claimsPerAccount: limiter({
      name: 'claims:account',
      windowMs,
      limit: config.RATE_LIMIT_AUTH_PER_ACCOUNT,
      key: (req) => (req.res?.locals.currentUser ? String(req.res.locals.currentUser.id) : undefined),
      message: `Vous avez envoyé beaucoup de demandes. Réessayez dans ${wait}.`,
    }),
    /** Visitors' error reports on place pages, per IP and per e-mail address (server/reports/). */
    reportsPerIp: perIp(
      'reports',
      config.RATE_LIMIT_REPORTS_PER_IP,
      `Vous avez envoyé beaucoup de signalements. Merci ! Réessayez dans ${wait}.`,
    ),
    /** For a feature's own limits (the reports count per e-mail address: server/reports/reports.limits.ts). */
    limiter,
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
