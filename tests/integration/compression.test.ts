import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../support/context.js';

describe('compressed responses', () => {
  const { app } = createTestContext();

  it('when a browser accepts gzip, then pages and API answers travel compressed', async () => {
    const page = await request(app).get('/api').set('Accept-Encoding', 'gzip');
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe('gzip');
    const api = await request(app).get('/api/v1/openapi.json').set('Accept-Encoding', 'gzip');
    expect(api.headers['content-encoding']).toBe('gzip');
    expect(api.body.openapi).toBe('3.1.0');
  });

  it('when a client does not accept compression, then the answer is plain', async () => {
    const page = await request(app).get('/api').set('Accept-Encoding', 'identity');
    expect(page.headers['content-encoding']).toBeUndefined();
  });
});
