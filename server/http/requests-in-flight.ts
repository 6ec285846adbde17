import type { RequestHandler } from 'express';
import { ServiceUnavailableError } from './errors.js';

/** Probes must see the live state: never turned away here. */
const NEVER_SHED = new Set(['/healthz', '/readyz']);

/**
 * A bound on the requests one instance works on at once. Past `max`, a new read (GET, HEAD) is
 * answered 503 with `Retry-After: 1` at once, for a few microseconds of work, instead of joining a
 * queue that only grows: offered twice what it can serve, an instance otherwise answers everything,
 * later and later (at 1M places, nearest searches at twice their sustained rate: p99 700 ms).
 * Writes (a mediator's form, an import) are counted but never turned away: nothing typed is lost.
 * Static files are served before this, and do not count.
 */
export function limitRequestsInFlight(max: number): RequestHandler {
  let inFlight = 0;
  return (req, res, next) => {
    if (NEVER_SHED.has(req.path)) return next();
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (isRead && inFlight >= max) {
      return next(
        new ServiceUnavailableError('Le service reçoit trop de demandes à la fois. Réessayez dans un instant.', 1),
      );
    }
    inFlight++;
    let counted = true;
    const done = () => {
      if (!counted) return;
      counted = false;
      inFlight--;
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
