import { Router } from 'express';
import type { Db } from '../db/knex.js';

export function healthRoutes(deps: { db: Db }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.db.raw('SELECT 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res
        .status(503)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'https://epn-finder.fr/problemes/unavailable',
            title: 'La base de données ne répond pas.',
            status: 503,
          }),
        );
    }
  });
  return router;
}
