import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';

describe('GET /api/v1/places with bad input', () => {
  const { app } = createTestContext();

  it.each([
    ['lat', { lat: 'north', lon: '5' }],
    ['lat', { lat: '91', lon: '5' }],
    ['lon', { lat: '43', lon: '-181' }],
    ['lon', { lat: '43' }],
    ['lat', { lon: '5' }],
    ['radius_km', { lat: '43', lon: '5', radius_km: '0' }],
    ['radius_km', { lat: '43', lon: '5', radius_km: '301' }],
    ['radius_km', { lat: '43', lon: '5', radius_km: 'far' }],
    ['radius_km', { radius_km: '10' }],
    ['bbox', { bbox: '1,2,3' }],
    ['bbox', { bbox: '5,44,4,45' }],
    ['bbox', { bbox: 'a,b,c,d' }],
    ['bbox', { bbox: '-200,0,0,10' }],
    ['q', { q: 'x'.repeat(201) }],
    ['commune', { commune: '1305' }],
    ['commune', { commune: "13056' OR 1=1 --" }],
    ['code_postal', { code_postal: '1350' }],
    ['services', { services: 'Faire le café' }],
    ['publics', { publics: 'Martiens' }],
    ['prise_en_charge', { prise_en_charge: 'Rien' }],
    ['frais', { frais: 'Gratuit,Cher' }],
    ['modalites_acces', { modalites_acces: 'Pigeon voyageur' }],
    ['modalites_accompagnement', { modalites_accompagnement: 'Télépathie' }],
    ['labels', { labels: 'Net Public!' }],
    ['labels', { labels: "netpublic'); DROP TABLE labels; --" }],
    ['open_now', { open_now: 'yes please' }],
    ['open_at', { open_at: 'demain' }],
    ['open_at', { open_at: '2026-02-30T10:00' }],
    ['open_at', { open_at: '2026-12-01T25:00' }],
    ['limit', { limit: '0' }],
    ['limit', { limit: '101' }],
    ['limit', { limit: '1e9' }],
    ['limit', { limit: '2.5' }],
    ['limit', { limit: 'many' }],
    ['cursor', { cursor: 'x'.repeat(600) }],
  ])('when %s is wrong (%j), then 400 problem+json names it in French', async (field, query) => {
    const res = await request(app).get('/api/v1/places').query(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, type: expect.any(String), title: expect.any(String) });
    expect(res.body.errors.map((e: { field: string }) => e.field.split('.')[0])).toContain(field);
    expect(res.body.detail).toMatch(/[a-zé]/i);
  });

  it.each([
    ['/api/v1/places?limit[]=5', 'limit[]'],
    ['/api/v1/places?services[]=Seniors', 'services[]'],
    ['/api/v1/places?foo=bar', 'foo'],
    ['/api/v1/places?service=Aide%20aux%20d%C3%A9marches%20administratives', 'service'],
  ])('when the query has an unknown parameter (%s), then 400 names it rather than ignoring it', async (url, field) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field, message: 'Paramètre inconnu.' });
  });

  it('when a label does not exist, then 400 names labels', async () => {
    const res = await request(app).get('/api/v1/places').query({ labels: 'no-such-label-anywhere' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'labels' });
  });

  it('when a parameter is repeated where one value is expected, then 400 names it', async () => {
    const res = await request(app).get('/api/v1/places?lat=43&lat=44&lon=5');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('lat');
  });

  it('when messages are read, then they are in French', async () => {
    const res = await request(app).get('/api/v1/places').query({ lat: '43' });
    expect(res.body.errors[0].message).toBe('lat et lon vont ensemble : donnez les deux ou aucun.');
    const tooMany = await request(app).get('/api/v1/places').query({ limit: '101' });
    expect(tooMany.body.errors[0].message).toBe('Au plus 100 résultats par page.');
    const far = await request(app).get('/api/v1/places').query({ lat: 43, lon: 5, radius_km: '1000' });
    expect(far.body.errors[0].message).toBe('Le rayon est de 300 km au plus.');
  });

  it.each(['abc', '0', '-4', '1.5', '99999999999999999999'])('when a place id is %s, then 400 names id', async (id) => {
    const res = await request(app).get(`/api/v1/places/${id}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('id');
  });

  it('when a place id is unknown, then 404 problem+json', async () => {
    const res = await request(app).get('/api/v1/places/987654321');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('when a label slug is malformed or unknown, then 400 or 404', async () => {
    expect((await request(app).get('/api/v1/labels/Not_A_Slug')).status).toBe(400);
    expect((await request(app).get('/api/v1/labels/no-such-label')).status).toBe(404);
  });
});
