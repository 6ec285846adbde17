import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from '../http/security.js';

/** Reports sent with one e-mail address per window, whatever the IP (the per-IP limit is `limits.reportsPerIp`). */
export const REPORTS_PER_EMAIL = 10;
export const REPORTS_WINDOW_MINUTES = 15;

const normalisedEmail = (body: unknown) =>
  typeof (body as { email?: unknown })?.email === 'string' ? (body as { email: string }).email.trim().toLowerCase() : '';

/**
 * Visitors' reports are anonymous: there is no account to count, so the optional e-mail address
 * stands for it. Same style as server/http/security.ts (express-rate-limit, in memory, 429 with a
 * French message); reports without an address only count against their IP.
 */
export function reportsPerEmail(options: { limit?: number; windowMinutes?: number } = {}): RequestHandler {
  const windowMinutes = options.windowMinutes ?? REPORTS_WINDOW_MINUTES;
  return rateLimit({
    windowMs: windowMinutes * 60_000,
    limit: options.limit ?? REPORTS_PER_EMAIL,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `reports:email:${normalisedEmail(req.body)}`,
    skip: (req) => normalisedEmail(req.body) === '',
    handler: (_req, _res, next) => next(new TooManyRequestsError(
      `Vous avez envoyé beaucoup de signalements avec cette adresse. Merci ! Réessayez dans ${windowMinutes} minute${windowMinutes > 1 ? 's' : ''}.`,
    )),
  });
}
