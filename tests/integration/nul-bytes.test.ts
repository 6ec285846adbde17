import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../support/context.js';
import { makePlace, randomSpot } from '../support/factories.js';

describe('a NUL byte in any input', () => {
  const { app, db } = createTestContext();

  it.each([
    ['/api/v1/places?q=a%00b', 'q'],
    ['/api/v1/places?q=%00', 'q'],
    ['/api/v1/places?services=%00', 'services'],
    ['/api/v1/articles?tag=a%00', 'tag'],
    ['/api/v1/articles/a%00', '(adresse de la page)'],
  ])('when the API gets %s, then 400 problem+json names %s', async (url, field) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors[0].field).toBe(field);
  });

  it.each(['/?ou=a%00b', '/recherche?q=a%00b', '/articles/a%00', '/articles/tag/a%00'])(
    'when a page gets %s, then a 400 page, not a 500',
    async (url) => {
      const res = await request(app).get(url).set('Accept', 'text/html');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('text/html');
    },
  );

  it('when a form body carries one, then 400 and nothing is stored', async () => {
    const place = await makePlace(db, { at: randomSpot() });
    const before = await db('place_reports').count('* as n');
    const res = await request(app)
      .post(`/lieux/${place.id}/signalement`)
      .type('form')
      .send({ categorie: 'horaires', message: 'Bonjour\u0000test' });
    expect(res.status).toBe(400);
    expect(await db('place_reports').count('* as n')).toEqual(before);
  });

  it('when a JSON body carries one in a nested value, then 400 names the path', async () => {
    const res = await request(app)
      .post('/api/v1/places')
      .send({ nom: { deep: ['ok', 'x\u0000'] } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('nom.deep');
  });
});
