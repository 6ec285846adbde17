import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../http/errors.js';
import type { CurrentUser, Role } from './accounts.types.js';

/**
 * The one rule for people who are not allowed in:
 * - anonymous, on a page read (GET/HEAD outside /api) → 302 to /connexion?retour=<the page>;
 * - anonymous, on anything else (a POST, any /api call) → 401;
 * - signed in but with the wrong role → 403.
 * Routes put these before their handler: `router.post('/x', requireRole('admin'), handler)`.
 */
const isPageRead = (req: Request) =>
  (req.method === 'GET' || req.method === 'HEAD') && !req.originalUrl.startsWith('/api');

const loginPath = (returnTo?: string) =>
  returnTo && returnTo !== '/' ? `/connexion?retour=${encodeURIComponent(returnTo)}` : '/connexion';

export const requireUser: RequestHandler = (req, res, next) => {
  if (res.locals.currentUser) return next();
  if (isPageRead(req)) return res.redirect(302, loginPath(req.originalUrl));
  next(new UnauthorizedError());
};

/** The signed-in user, in a handler behind requireUser / requireRole (a routing mistake otherwise). */
export function signedInUser(res: Response): CurrentUser {
  const user = res.locals.currentUser;
  if (!user) throw new Error('signedInUser: no signed-in user (the route lacks requireUser or requireRole)');
  return user;
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.currentUser;
    if (!user) return requireUser(req, res, next);
    if (!roles.includes(user.role)) return next(new ForbiddenError('Votre rôle ne permet pas d’accéder à cette page.'));
    next();
  };
}
