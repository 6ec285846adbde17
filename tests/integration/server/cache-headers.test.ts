import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PERSONAL_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from '../../../server/http/cache-policy.js';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';

describe('public reads can be kept by a CDN, personal ones cannot', () => {
  const { app, db } = createTestContext();

  it('when a visitor reads a place through the API, then it is public, with an ETag, 304 if unchanged', async () => {
    const place = await makePlace(db);
    const first = await request(app).get(`/api/v1/places/${place.id}`);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe(PUBLIC_CACHE_CONTROL);
    expect(first.headers.etag).toBeTruthy();
    const again = await request(app).get(`/api/v1/places/${place.id}`).set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.headers['cache-control']).toBe(PUBLIC_CACHE_CONTROL);
  });

  it('when the place changes, then the same conditional request gets the new version', async () => {
    const place = await makePlace(db);
    const first = await request(app).get(`/api/v1/places/${place.id}`);
    await db('places')
      .where({ id: place.id })
      .update({ nom: `${place.nom} (rénové)` });
    const again = await request(app).get(`/api/v1/places/${place.id}`).set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(200);
    expect(again.body.nom).toBe(`${place.nom} (rénové)`);
  });

  it('when a visitor opens the search page, the labels or a list of places, then they are public', async () => {
    for (const path of ['/', '/labels', '/api/v1/places?limit=1']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe(PUBLIC_CACHE_CONTROL);
      expect(res.headers.etag, path).toBeTruthy();
      const again = await request(app).get(path).set('If-None-Match', res.headers.etag);
      expect(again.status, path).toBe(304);
    }
  });

  it('when a page carries a form token (the place page’s report form), then only the browser keeps it', async () => {
    const place = await makePlace(db);
    const res = await request(app).get(`/lieux/${place.id}`).redirects(1);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe(PERSONAL_CACHE_CONTROL);
  });

  it('when the request carries a session cookie, even an expired one, then nothing is kept', async () => {
    const res = await request(app).get('/').set('Cookie', 'epn.sid=s%3Aperime.signature');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('when the answer is an error or a health probe, then it is not kept', async () => {
    const invalid = await request(app).get('/api/v1/places').query({ lat: 'nord' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers['cache-control']).toBe('no-store');
    const health = await request(app).get('/healthz');
    expect(health.headers['cache-control'] ?? '').not.toContain('public');
  });
});
