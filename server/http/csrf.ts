import type { Request, RequestHandler, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { markPersonal } from './cache-policy.js';
import { AppError } from './errors.js';
import { onlyReads } from './request-kind.js';

/**
 * CSRF protection: a *signed double-submit cookie* tied to the session (OWASP's recommended
 * variant), written here in a few lines rather than through csrf-csrf: that library needs a session
 * identifier for every visitor, and anonymous visitors (who post error reports) have no session: we
 * do not want a session row in PostgreSQL for every visitor who merely opens a page with a form.
 *
 * - The browser holds a random nonce in an HttpOnly, SameSite=Lax cookie (`epn.csrf`).
 * - Forms carry `_csrf` = HMAC-SHA256(SESSION_SECRET, signed-in session id + nonce); scripts may send
 *   it in `X-CSRF-Token`. For visitors the session part is empty.
 * - Every POST/PUT/PATCH/DELETE (pages and /api alike) must present a token matching its cookie and
 *   its session, else 403. A forged token cannot be computed without the server's secret. Tying it to
 *   the session stops "cookie tossing": someone who can set cookies for our domain (a sibling
 *   subdomain) and plants their own nonce and token still lacks a token for their victim's session.
 * - It must also come from this site: an `Origin` (or, without one, a `Referer`) naming another
 *   origin than PUBLIC_BASE_URL is refused (403). Neither header (some privacy settings drop them):
 *   the token alone decides.
 * - `rotateCsrf(res)` gives a fresh nonce at log-in and log-out (forms opened before are refused).
 * GET, HEAD and OPTIONS are never checked, so the read-only API keeps working without cookies.
 */
const CSRF_COOKIE = 'epn.csrf';
const NONCE = /^[A-Za-z0-9_-]{43}$/;

class CsrfError extends AppError {
  constructor() {
    super(403, 'csrf', 'Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.');
  }
}

class ForeignOriginError extends AppError {
  constructor() {
    super(
      403,
      'foreign_origin',
      'Cette demande vient d’un autre site : elle est refusée. Ouvrez le formulaire sur ce site et réessayez.',
    );
  }
}

interface CsrfOptions {
  secret: string;
  secure: boolean;
  /** PUBLIC_BASE_URL: the origin whose pages may post. */
  publicBaseUrl: string;
  /**
   * Also accept the origin the request was addressed to (`Host`). Outside production only: the same
   * app answers on 127.0.0.1:<port> in browser tests and on localhost or 127.0.0.1 in development.
   */
  acceptRequestHost: boolean;
}

/** The session a token is made for: a signed-in person's session id; '' for visitors, who have none. */
// Routes mounted before the session middleware (the API) have no req.session, whatever its type says.
const sessionOf = (req: Request) => ((req.session as Request['session'] | undefined)?.userId ? req.sessionID : '');

const sign = (secret: string, session: string, nonce: string) =>
  createHmac('sha256', secret).update(`csrf:${session.length}:${session}:${nonce}`).digest('base64url');

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The nonce as sent, undecoded: a valid one is base64url and never needs decoding, and decoding what
 * a sibling domain may have planted (`epn.csrf=%E0`) threw on every page (issue 11).
 */
function readNonce(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === CSRF_COOKIE) {
      const value = rest.join('=');
      return NONCE.test(value) ? value : undefined;
    }
  }
  return undefined;
}

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** Whether the browser says the request comes from another site (an opaque `null` Origin does). */
function fromAnotherSite(req: Request, options: CsrfOptions): boolean {
  const header = req.get('origin') ?? req.get('referer');
  if (header === undefined) return false;
  const claimed = originOf(header);
  if (claimed !== null && claimed === originOf(options.publicBaseUrl)) return false;
  return !(
    options.acceptRequestHost &&
    claimed !== null &&
    claimed === originOf(`${req.protocol}://${req.get('host') ?? ''}`)
  );
}

export function csrfProtection(options: CsrfOptions): RequestHandler {
  return (req, res, next) => {
    const nonce = readNonce(req.headers.cookie);
    const state = { nonce, issued: Boolean(nonce) };
    const issue = () => {
      res.cookie(CSRF_COOKIE, state.nonce, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' });
      state.issued = true;
    };
    res.locals.csrfRotate = () => {
      state.nonce = randomBytes(32).toString('base64url');
      issue();
    };
    // The token is created (and its cookie set) only when a template prints it, for the session as
    // it is then (after a log-in, the new one). An object printed through toString(), not a getter:
    // res.render copies res.locals, which would read a getter on every page, and a page without a
    // form would then carry a cookie and be personal, out of reach of a shared cache.
    res.locals.csrfToken = {
      toString() {
        state.nonce ??= randomBytes(32).toString('base64url');
        if (!state.issued && !res.headersSent) issue();
        markPersonal(res);
        return sign(options.secret, sessionOf(req), state.nonce);
      },
    };
    if (onlyReads(req.method)) return next();
    if (fromAnotherSite(req, options)) return next(new ForeignOriginError());
    const body = req.body as Record<string, unknown> | undefined;
    const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? req.get('x-csrf-token');
    if (!nonce || !sent || !equal(sent, sign(options.secret, sessionOf(req), nonce))) return next(new CsrfError());
    if (body && typeof body === 'object' && '_csrf' in body) delete body._csrf;
    next();
  };
}

/** A fresh CSRF nonce (log-in, log-out): forms rendered afterwards carry a new token. */
export function rotateCsrf(res: Response): void {
  (res.locals.csrfRotate as (() => void) | undefined)?.();
}
