import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bulkLoadPlaces } from '../../../server/places/places.bulk.js';
import { countPlacesUpTo } from '../../../server/places/places.repository.js';
import { bulkRow } from '../../support/bulk-rows.js';
import { createTestContext } from '../../support/context.js';
import { eastOf, makePlace, randomSpot } from '../../support/factories.js';

const boxAround = (spot: { lat: number; lon: number }, degrees: number) =>
  [spot.lon - degrees, spot.lat - degrees, spot.lon + degrees, spot.lat + degrees].join(',');

describe('counting matching places, never further than a cap', () => {
  const { app, db } = createTestContext();

  it('when more places match than the cap, then the count stops at the cap', async () => {
    const here = randomSpot();
    for (let i = 0; i < 5; i++) await makePlace(db, { at: eastOf(here, 0.1 + i * 0.1) });
    const bbox = { minLon: here.lon - 0.05, minLat: here.lat - 0.05, maxLon: here.lon + 0.05, maxLat: here.lat + 0.05 };
    expect(await countPlacesUpTo(db, { bbox }, 3)).toBe(3);
    expect(await countPlacesUpTo(db, { bbox }, 10)).toBe(5);
  });

  it('when a few places match, then the API gives their exact total', async () => {
    const here = randomSpot();
    await makePlace(db, { at: eastOf(here, 0.2) });
    await makePlace(db, { at: eastOf(here, 0.4) });
    const res = await request(app)
      .get('/api/v1/places')
      .query({ bbox: boxAround(here, 0.05) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 2, total_is_lower_bound: false });
  });

  it('when the search is a text alone, then the total is counted in memory, up to the cap', async () => {
    const token = `Quimperlé${Math.floor(Math.random() * 1e6)}`;
    for (let i = 0; i < 3; i++) await makePlace(db, { nom: `Médiathèque ${token}` });
    const res = await request(app)
      .get('/api/v1/places')
      .query({ q: `mediatheque ${token}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, total_is_lower_bound: false });
  });

  it('when the search is a text with a filter, then the API gives no total rather than a costly one', async () => {
    const res = await request(app)
      .get('/api/v1/places')
      .query({ q: 'mediatheque', services: 'Aide aux démarches administratives' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: null, total_is_lower_bound: false });
  });

  it('when the search is "open now" around a point, then the total is counted in memory, exactly', async () => {
    const here = randomSpot();
    await makePlace(db, { at: eastOf(here, 0.2) });
    const res = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon, open_now: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.total_is_lower_bound).toBe(false);
    expect(res.body.total).toBe(res.body.items.length);
  });

  describe('with more than 1,000 places around one spot', () => {
    const crowd = randomSpot();
    beforeAll(async () => {
      const rows = Array.from({ length: 1005 }, (_, i) =>
        bulkRow({ latitude: crowd.lat + (i % 30) * 0.0005, longitude: crowd.lon + Math.floor(i / 30) * 0.0005 }),
      );
      await bulkLoadPlaces(db, rows);
    });

    it('when the API lists them around a point, then the in-memory count stops at 1000, a lower bound', async () => {
      const res = await request(app).get('/api/v1/places').query({ lat: crowd.lat, lon: crowd.lon, radius_km: 10 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 1000, total_is_lower_bound: true });
      expect(res.body.items).toHaveLength(20);
    });

    it('when the API lists them in a box (counted in SQL), then total is 1000, a lower bound', async () => {
      const res = await request(app)
        .get('/api/v1/places')
        .query({ bbox: boxAround(crowd, 0.1) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 1000, total_is_lower_bound: true });
    });

    it('when the search page lists them, then it says "plus de 1 000 lieux"', async () => {
      const res = await request(app).get('/').query({ lat: crowd.lat, lon: crowd.lon, radius_km: 10 });
      expect(res.status).toBe(200);
      expect(res.text.replace(/\s+/g, ' ')).toMatch(/Plus de 1 000 lieux à moins de 10 km/);
    });
  });
});
