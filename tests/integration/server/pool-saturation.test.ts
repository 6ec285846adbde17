import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { bareTestApp } from '../../support/context.js';

const ACQUIRE_TIMEOUT_MS = 500;

describe('a saturated connection pool', () => {
  // One pooled connection, so that the test can hold it and saturate the pool.
  const { app, db } = bareTestApp({ poolMax: 1, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS });
  afterAll(() => db.destroy());

  const whenEveryConnectionIsBusy =
    'when every pooled connection stays busy, then a request waits the acquire timeout at most ' +
    'and gets 503 with Retry-After, problem+json on the API and a French page elsewhere';
  it(whenEveryConnectionIsBusy, async () => {
    const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
    const held = await client.acquireConnection();
    try {
      const started = performance.now();
      const api = await request(app).get('/api/v1/labels');
      const waited = performance.now() - started;
      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toMatch(/^\d+$/);
      expect(api.headers['content-type']).toContain('application/problem+json');
      expect(api.body).toMatchObject({ status: 503, title: expect.stringContaining('indisponible') });
      expect(waited).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 50);
      expect(waited).toBeLessThan(ACQUIRE_TIMEOUT_MS + 1500);

      const page = await request(app).get('/lieux/999999999-lieu').set('Accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.headers['retry-after']).toMatch(/^\d+$/);
      expect(page.text).toContain('momentanément indisponible');
    } finally {
      await client.releaseConnection(held);
    }
    // The connection back: the same request succeeds, nothing to restart.
    expect((await request(app).get('/api/v1/labels')).status).toBe(200);
  });
});
