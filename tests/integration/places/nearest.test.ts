import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { eastOf, makePlace, northOf, randomSpot } from '../../support/factories.js';

/** Written independently of the app's code, on purpose: the test's own haversine. */
function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const r = 6371.0088;
  const rad = Math.PI / 180;
  const s =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(s));
}

describe('GET /api/v1/places near a point', () => {
  const { app, db } = createTestContext();

  it('when a visitor searches near a point, then places come nearest first with their distance', async () => {
    const here = randomSpot();
    const spots = [12, 0.4, 7, 3.3, 25].map((km, i) => (i % 2 ? eastOf(here, km) : northOf(here, km)));
    for (const at of spots) await makePlace(db, { at });

    const res = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon, radius_km: 26 });

    expect(res.status).toBe(200);
    const distances = res.body.items.map((item: { distance_km: number }) => item.distance_km);
    expect(res.body.items.length).toBeGreaterThanOrEqual(5); // other files' places may lie near a random spot
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    for (const item of res.body.items) {
      const expected = haversineKm(here, { lat: item.latitude, lon: item.longitude });
      expect(item.distance_km).toBeCloseTo(expected, 2);
    }
    expect(distances[0]).toBeCloseTo(0.4, 1);
  });

  it('when no radius is given, then only places within 30 km come back', async () => {
    const here = randomSpot();
    const inside = await makePlace(db, { at: northOf(here, 29.5) });
    const outside = await makePlace(db, { at: northOf(here, 30.5) });
    const res = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon });
    // Other files' places may lie within 30 km of this random spot: only this test's two are checked.
    const ids = res.body.items.map((i: { id: number }) => i.id);
    expect(ids).toContain(inside.id);
    expect(ids).not.toContain(outside.id);
    expect(res.body.items.every((i: { distance_km: number }) => i.distance_km <= 30)).toBe(true);
  });

  it('when a radius is given, then places beyond it are left out; the radius matches the distance shown', async () => {
    const here = randomSpot();
    const mine: number[] = [];
    for (const km of [1, 4.9, 5.1, 80]) mine.push((await makePlace(db, { at: eastOf(here, km) })).id);
    // Other test files' places are scattered over the globe: only this test's four are counted.
    const ours = (items: { id: number }[]) => items.map((item) => item.id).filter((id) => mine.includes(id));
    const res = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon, radius_km: 5 });
    expect(ours(res.body.items)).toEqual(mine.slice(0, 2));
    expect(res.body.items.every((i: { distance_km: number }) => i.distance_km <= 5)).toBe(true);

    const wide = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon, radius_km: 300 });
    expect(ours(wide.body.items)).toEqual(mine);
  });

  it('when a place has no coordinates, then it never appears in a search by distance', async () => {
    const here = randomSpot();
    const located = await makePlace(db, { at: northOf(here, 1), nom: 'Avec coordonnées' });
    const unlocated = await makePlace(db, { at: null, nom: 'Sans coordonnées' });
    const res = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon });
    // Other files' places may lie within 30 km of this random spot: only this test's two are checked.
    const ids = res.body.items.map((i: { id: number }) => i.id);
    expect(ids).toContain(located.id);
    expect(ids).not.toContain(unlocated.id);
  });

  it('when a place is hidden, then it is not listed and its record answers 404', async () => {
    const here = randomSpot();
    const hidden = await makePlace(db, { at: northOf(here, 1), status: 'hidden' });
    const res = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon });
    expect(res.body.items).toHaveLength(0);
    const detail = await request(app).get(`/api/v1/places/${hidden.id}`);
    expect(detail.status).toBe(404);
  });
});
