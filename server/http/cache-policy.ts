import type { RequestHandler, Response } from 'express';
import { holdsSessionCookie } from './request-kind.js';

/**
 * Who may keep a copy of a GET answer, decided when its headers go out (issue 10: public reads
 * behind a CDN). Express already gives every `res.send`/`res.json`/`res.render` answer a weak ETag
 * and answers a matching `If-None-Match` with 304; this adds the Cache-Control that lets a shared
 * cache use them:
 * - the same for everyone (anonymous visitor, no per-visitor token in it): public for a minute,
 *   then served stale for five more while the cache revalidates (a place edit shows within ~6 min
 *   behind a CDN, at once for visitors without one);
 * - a session cookie in the request: `private, no-store` (what a signed-in person sees is theirs;
 *   EPN computers are shared);
 * - an answer that sets a cookie or carries a CSRF token (the place page's report form) is made
 *   for one visitor: `private, no-cache`, kept by the browser only, revalidated with its ETag;
 * - errors other than 404 are not kept; a Cache-Control set by a route (static files, no-store
 *   pages, the geocoder) is left alone.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';
export const PERSONAL_CACHE_CONTROL = 'private, no-cache';
const SIGNED_IN_CACHE_CONTROL = 'private, no-store';

/** Probes must see the live state, never a copy. */
const NEVER_KEPT = new Set(['/healthz', '/readyz']);
const KEPT_STATUSES = new Set([200, 203, 204, 301, 304, 308, 404, 410]);

/** Routes rendering a per-visitor value (a CSRF token) call this; the CSRF middleware does. */
export function markPersonal(res: Response): void {
  res.locals.personalAnswer = true;
}

function cacheControlFor(res: Response, signedIn: boolean): string {
  if (signedIn) return SIGNED_IN_CACHE_CONTROL;
  if (!KEPT_STATUSES.has(res.statusCode)) return 'no-store';
  if (res.getHeader('Set-Cookie') !== undefined || res.locals.personalAnswer === true) return PERSONAL_CACHE_CONTROL;
  return PUBLIC_CACHE_CONTROL;
}

export const cachePolicy: RequestHandler = (req, res, next) => {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || NEVER_KEPT.has(req.path)) return next();
  const signedIn = holdsSessionCookie(req.headers.cookie);
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
  res.writeHead = ((...args: unknown[]) => {
    if (typeof args[0] === 'number') res.statusCode = args[0];
    if (res.getHeader('Cache-Control') === undefined) res.setHeader('Cache-Control', cacheControlFor(res, signedIn));
    return writeHead(...args);
  }) as Response['writeHead'];
  next();
};
