import type { RequestHandler, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors.js';

/**
 * CSRF protection: a *signed double-submit cookie* (OWASP's recommended stateless variant), written
 * here in a few lines rather than through csrf-csrf because that library binds tokens to a session
 * identifier, and anonymous visitors (who post error reports) have no session: we do not want a
 * session row in PostgreSQL for every visitor who merely opens a page with a form.
 *
 * - The browser holds a random nonce in an HttpOnly, SameSite=Lax cookie (`epn.csrf`).
 * - Forms carry `_csrf` = HMAC-SHA256(SESSION_SECRET, nonce); scripts may send it in `X-CSRF-Token`.
 * - Every POST/PUT/PATCH/DELETE (pages and /api alike) must present a token matching its cookie,
 *   else 403. A forged token cannot be computed without the server's secret, and another site can
 *   neither read the cookie nor the token in our pages.
 * - `rotateCsrf(res)` gives a fresh nonce at log-in and log-out (forms opened before are refused).
 * GET, HEAD and OPTIONS are never checked, so the read-only API keeps working without cookies.
 */
export const CSRF_COOKIE = 'epn.csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class CsrfError extends AppError {
  constructor() {
    super(403, 'csrf', 'Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.');
  }
}

interface CsrfOptions {
  secret: string;
  secure: boolean;
}

const sign = (secret: string, nonce: string) => createHmac('sha256', secret).update(`csrf:${nonce}`).digest('base64url');

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function csrfProtection(options: CsrfOptions): RequestHandler {
  return (req, res, next) => {
    let nonce = readCookie(req.headers.cookie, CSRF_COOKIE);
    if (nonce && !/^[A-Za-z0-9_-]{43}$/.test(nonce)) nonce = undefined;
    const state = { nonce, issued: Boolean(nonce) };
    const issue = () => {
      res.cookie(CSRF_COOKIE, state.nonce, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' });
      state.issued = true;
    };
    res.locals.csrfRotate = () => {
      state.nonce = randomBytes(32).toString('base64url');
      issue();
    };
    // The token is created (and its cookie set) only when a page actually uses it.
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      configurable: true,
      get() {
        if (!state.nonce) state.nonce = randomBytes(32).toString('base64url');
        if (!state.issued && !res.headersSent) issue();
        return sign(options.secret, state.nonce);
      },
    });
    if (SAFE_METHODS.has(req.method)) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? req.get('x-csrf-token');
    if (!nonce || !sent || !equal(sent, sign(options.secret, nonce))) return next(new CsrfError());
    if (body && typeof body === 'object' && '_csrf' in body) delete body._csrf;
    next();
  };
}

/** A fresh CSRF nonce (log-in, log-out): forms rendered afterwards carry a new token. */
export function rotateCsrf(res: Response): void {
  (res.locals.csrfRotate as (() => void) | undefined)?.();
}
