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

  const whenNoEncoding =
    'when a client sends no Accept-Encoding, then the answer is plain and a shared cache is told it varies';
  it(whenNoEncoding, async () => {
    const api = await request(app).get('/api/v1/openapi.json').set('Accept-Encoding', '');
    expect(api.status).toBe(200);
    expect(api.headers['content-encoding']).toBeUndefined();
    expect(api.headers.vary).toMatch(/Accept-Encoding/i);
    expect(api.body.openapi).toBe('3.1.0');
  });
});

describe('the open API across sites', () => {
  const { app } = createTestContext();

  it('when another site reads the API from a browser, then CORS allows it without cookies', async () => {
    const res = await request(app).get('/api/v1/labels').set('Origin', 'https://une-autre-carte.example');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('when a browser asks before reading (preflight), then 204 with the allowed methods', async () => {
    const res = await request(app)
      .options('/api/v1/places')
      .set('Origin', 'https://une-autre-carte.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-methods']).toContain('GET');
  });

  it('when a page of the site is requested, then it stays same-origin only', async () => {
    const res = await request(app).get('/api');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
