import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createDb } from '../../server/db/knex.js';
import { createTestContext, testConfig } from '../support/context.js';

describe('health endpoints', () => {
  const { app } = createTestContext();

  it('when the process is up, then /healthz answers ok', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('when the database answers, then /readyz answers ok', async () => {
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.database).toBe('ok');
  });

  it('when the database does not answer, then /readyz answers 503 problem+json', async () => {
    const config = testConfig({ DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none' });
    const deadDb = createDb(config.DATABASE_URL!);
    const res = await request(createApp({ config, db: deadDb, log: () => {} })).get('/readyz');
    await deadDb.destroy();
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('when a page does not exist under /api, then 404 problem+json', async () => {
    const res = await request(app).get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.status).toBe(404);
  });
});
