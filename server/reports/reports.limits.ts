import type { Request, RequestHandler } from 'express';
import type { Limiter } from '../http/rate-limit.js';

/** Reports sent with one e-mail address per window, whatever the IP (the per-IP limit is `limits.reportsPerIp`). */
export const REPORTS_PER_EMAIL = 10;
const REPORTS_WINDOW_MINUTES = 15;

const normalisedEmail = (req: Request) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

/**
 * Visitors' reports are anonymous: there is no account to count, so the optional e-mail address
 * stands for it. Counted in PostgreSQL like every limit (server/http/rate-limit.ts), 429 with a
 * French message; reports without an address only count against their IP.
 */
export function reportsPerEmail(
  limiter: Limiter,
  options: { limit?: number; windowMinutes?: number } = {},
): RequestHandler {
  const windowMinutes = options.windowMinutes ?? REPORTS_WINDOW_MINUTES;
  return limiter({
    name: 'reports:email',
    windowMs: windowMinutes * 60_000,
    limit: options.limit ?? REPORTS_PER_EMAIL,
    key: (req) => normalisedEmail(req) || undefined,
    message:
      'Vous avez envoyé beaucoup de signalements avec cette adresse. Merci ! ' +
      `Réessayez dans ${windowMinutes} minute${windowMinutes > 1 ? 's' : ''}.`,
  });
}
