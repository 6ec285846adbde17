import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../../support/factories.js';

/** What an attacker would write by hand: base64url of any JSON they like. */
const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('hand-made pagination cursors', () => {
  const { app, db } = createTestContext();
  const spot = randomSpot();
  const near = { lat: String(spot.lat), lon: String(spot.lon) };

  it.each([
    ['a text key on a distance search', near, { m: 'distance', k: 'abc', i: 1 }],
    ['a negative distance', near, { m: 'distance', k: -5, i: 1 }],
    ['a text key on a relevance search', { q: 'numérique' }, { m: 'relevance', k: 'zzz', i: 1 }],
    ['a number key on a name search', {}, { m: 'name', k: 12, i: 1 }],
    ['a NUL byte in a name key', {}, { m: 'name', k: 'a\u0000b', i: 1 }],
    ['an object key', near, { m: 'distance', k: { a: 1 }, i: 1 }],
    ['an id past the largest integer', near, { m: 'distance', k: 1, i: 2 ** 63 }],
    ['no key at all', near, { m: 'distance', i: 1 }],
    ['a JSON array', near, [1, 2, 3]],
  ])('when the API gets a cursor with %s, then 400 problem+json naming cursor', async (_case, query, cursor) => {
    await makePlace(db, { at: spot });
    const res = await request(app)
      .get('/api/v1/places')
      .query({ ...query, cursor: forge(cursor) });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('cursor');
    expect(res.body.detail).toMatch(/curseur/i);
    expect(JSON.stringify(res.body)).not.toMatch(/select|where|stack/i);
  });

  it('when the API gets a cursor that is not base64 JSON, then 400 naming cursor', async () => {
    const res = await request(app)
      .get('/api/v1/places')
      .query({ ...near, cursor: '%%%not-a-cursor' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('cursor');
  });

  it('when the search page gets a hand-made page, then a 400 page that says so in French, not a 500', async () => {
    const res = await request(app)
      .get('/')
      .query({ ...near, page: forge({ m: 'distance', k: 'abc', i: 1 }) })
      .set('Accept', 'text/html');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toMatch(/Curseur invalide/);
    expect(res.text).not.toMatch(/double precision|invalid input syntax/i);
  });

  it('when a label page gets a hand-made page, then a 400 page, not a 500', async () => {
    const label = await makeLabel(db);
    const res = await request(app)
      .get(`/labels/${label.slug}`)
      .query({ page: forge({ m: 'name', k: 'a\u0000', i: 1 }) })
      .set('Accept', 'text/html');
    expect(res.status).toBe(400);
  });

  it('when the cursor the API gave is sent back, then the next page comes (real cursors still work)', async () => {
    const spotForPages = randomSpot();
    for (let i = 0; i < 3; i++) await makePlace(db, { at: spotForPages });
    const query = { lat: String(spotForPages.lat), lon: String(spotForPages.lon), radius_km: '1', limit: '2' };
    const first = await request(app).get('/api/v1/places').query(query);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await request(app)
      .get('/api/v1/places')
      .query({ ...query, cursor: first.body.next_cursor });
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
  });
});
