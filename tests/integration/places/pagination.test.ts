import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { bulkLoadPlaces } from '../../../server/places/places.bulk.js';
import { searchPlaces } from '../../../server/places/places.repository.js';
import { bulkRow } from '../../support/bulk-rows.js';
import { aloneSpot, eastOf, makePlace, randomSpot } from '../../support/factories.js';

describe('GET /api/v1/places pagination', () => {
  const { app, db } = createTestContext();

  async function readAll(query: Record<string, unknown>, onEachPage?: () => Promise<void>) {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const res = await request(app)
        .get('/api/v1/places')
        .query({ ...query, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { id: number }) => i.id));
      cursor = res.body.next_cursor ?? undefined;
      if (!cursor) break;
      await onEachPage?.();
    }
    return seen;
  }

  it('when reading page after page near a point, then every place comes once, nearest first', async () => {
    const here = randomSpot();
    const made = [];
    for (let i = 0; i < 23; i++) made.push(await makePlace(db, { at: eastOf(here, 0.1 + i * 0.2) }));
    const ids = await readAll({ lat: here.lat, lon: here.lon, limit: 5 });
    expect(ids).toEqual(made.map((p) => p.id));
  });

  it('when places are added between two pages, then no place is repeated or skipped', async () => {
    const here = randomSpot();
    const made = [];
    for (let i = 0; i < 12; i++) made.push(await makePlace(db, { at: eastOf(here, 1 + i) }));
    let added = 0;
    const ids = await readAll({ lat: here.lat, lon: here.lon, limit: 4 }, async () => {
      // A place nearer than every page read so far, and one farther than everything.
      await makePlace(db, { at: eastOf(here, 0.01 + added * 0.001) });
      await makePlace(db, { at: eastOf(here, 25 + added) });
      added++;
    });
    expect(new Set(ids).size).toBe(ids.length);
    for (const place of made) expect(ids).toContain(place.id);
  });

  it('when several places share the same spot, then the order among them is still stable across pages', async () => {
    const here = randomSpot();
    const made = [];
    for (let i = 0; i < 9; i++) made.push(await makePlace(db, { at: here }));
    const ids = await readAll({ lat: here.lat, lon: here.lon, radius_km: 1, limit: 2 });
    expect(ids).toEqual(made.map((p) => p.id).sort((a, b) => a - b));
  });

  it('when reading a text search page after page, then every match comes once, ties in id order', async () => {
    const token = `Quillebeuf${Math.floor(Math.random() * 1e6)}`;
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await makePlace(db, { nom: `Médiathèque ${token}` }));
    const ids = await readAll({ q: `mediatheque ${token.toLowerCase()}`, limit: 2 });
    expect(ids).toEqual(made.map((p) => p.id).sort((a, b) => a - b));
  });

  it('when paginating by name without a point, then pages follow alphabetical order', async () => {
    const here = randomSpot();
    const bbox = [here.lon - 0.01, here.lat - 0.01, here.lon + 0.01, here.lat + 0.01].join(',');
    for (const nom of ['Éole', 'Zèbre', 'abeille', 'Mairie', 'Bibliothèque']) await makePlace(db, { at: here, nom });
    const res1 = await request(app).get('/api/v1/places').query({ bbox, limit: 3 });
    const res2 = await request(app).get('/api/v1/places').query({ bbox, limit: 3, cursor: res1.body.next_cursor });
    const names = [...res1.body.items, ...res2.body.items].map((i: { nom: string }) => i.nom);
    expect(names).toEqual(['abeille', 'Bibliothèque', 'Mairie', 'Zèbre', 'Éole']);
    expect(res2.body.next_cursor).toBeNull();
  });

  const manyInABox =
    'when a box holds thousands of places, then the name order walks the name index and gives ' +
    'the same pages as the spatial form';
  it(manyInABox, async () => {
    const corner = aloneSpot(2);
    const rows = Array.from({ length: 5200 }, (_, i) =>
      bulkRow({
        nom: `Lieu ${String(5200 - i).padStart(4, '0')} ${i % 3 === 0 ? 'Été' : 'hiver'}`,
        latitude: corner.lat + (i % 80) * 0.001,
        longitude: corner.lon + Math.floor(i / 80) * 0.001,
      }),
    );
    await bulkLoadPlaces(db, rows);
    const box = {
      minLon: corner.lon - 0.0005,
      minLat: corner.lat - 0.0005,
      maxLon: corner.lon + 0.1,
      maxLat: corner.lat + 0.1,
    };
    const pageOf = async (bboxHoldsMany: boolean, after?: { key: string | number; id: number }) =>
      searchPlaces(db, { bbox: box, bboxHoldsMany }, { mode: 'name', limit: 50, after });
    let after: { key: string | number; id: number } | undefined;
    for (let page = 0; page < 3; page++) {
      const dense = await pageOf(true, after);
      const spatial = await pageOf(false, after);
      expect(dense.map((p) => p.id)).toEqual(spatial.map((p) => p.id));
      const last = dense.at(-1)!;
      after = { key: last.sortKey, id: last.id };
    }
    // Through the API (the index counts the box: over 5,000), pages in alphabetical order.
    const bbox = [box.minLon, box.minLat, box.maxLon, box.maxLat].join(',');
    const first = await request(app).get('/api/v1/places').query({ bbox, limit: 3 });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { nom: string }) => i.nom)).toEqual([
      rows[5199].nom,
      rows[5198].nom,
      rows[5197].nom,
    ]);
  });

  it('when a cursor is tampered with or belongs to another kind of search, then 400 names cursor', async () => {
    const bad = await request(app).get('/api/v1/places').query({ cursor: 'not-a-cursor' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('cursor');

    const here = randomSpot();
    for (let i = 0; i < 3; i++) await makePlace(db, { at: eastOf(here, i + 1) });
    const near = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon, limit: 1 });
    const mixed = await request(app).get('/api/v1/places').query({ cursor: near.body.next_cursor });
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors[0].field).toBe('cursor');
  });
});
