import { Router } from 'express';
import type { Db } from '../db/knex.js';

/**
 * A load balancer polls /readyz every few seconds and gives up on an instance after a short
 * timeout of its own: the answer must come well within 2 s even when the database does not
 * answer at all (paused host: no error, just silence), so the probe does not wait for the pool.
 */
const READINESS_TIMEOUT_MS = 1000;
const RETRY_AFTER_SECONDS = 5;

export function healthRoutes(deps: { db: Db }): Router {
  const router = Router();
  // Liveness: the process answers. Never looks at the database (a restart would not bring it back).
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: send traffic here only while the database answers.
  router.get('/readyz', async (_req, res) => {
    if (await databaseAnswers(deps.db)) {
      res.json({ status: 'ok', database: 'ok' });
      return;
    }
    res
      .status(503)
      .set('Retry-After', String(RETRY_AFTER_SECONDS))
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'https://epn-finder.fr/problemes/unavailable',
          title: 'La base de données ne répond pas.',
          status: 503,
        }),
      );
  });
  return router;
}

async function databaseAnswers(db: Db): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), READINESS_TIMEOUT_MS);
  });
  // The abandoned query still ends on its own, bounded by the pool's acquire and query timeouts.
  const probe = db.raw('SELECT 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, silence]);
  } finally {
    clearTimeout(timer);
  }
}
