import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Db } from '../../../server/db/knex.js';
import { insertPlacesIfAbsent } from '../../../server/places/place-writes.repository.js';
import { createMapService } from '../../../server/places/map.api.js';
import { systemClock } from '../../../server/shared/clock.js';
import { describe, expect, it } from 'vitest';
import { askedAgain } from '../../support/asked-again.js';
import { createTestContext } from '../../support/context.js';
import { aloneSpot, eastOf, makePlace, northOf, randomSpot } from '../../support/factories.js';

interface Feature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { cluster: boolean; point_count?: number; id?: number; nom?: string; url?: string };
}

/** A read of places' names: the map's own query, or the index's display rows. */
const isNameRead = (sql: string) =>
  sql.includes('LEFT JOIN places p ON p.id = ANY') || sql.includes('FROM places p WHERE p.id = ANY');

const placesIn = (features: Feature[]) =>
  features.reduce((sum, f) => sum + (f.properties.cluster ? (f.properties.point_count ?? 0) : 1), 0);

/** A box of `km` kilometres on each side of a spot, as "W,S,E,N". */
const boxAround = (at: { lat: number; lon: number }, km: number) =>
  [eastOf(at, -km).lon, northOf(at, -km).lat, eastOf(at, km).lon, northOf(at, km).lat].join(',');

/** `count` places on a grid of about `km` kilometres around a spot, inserted in one statement. */
async function gridAround(db: Db, at: { lat: number; lon: number }, count: number, km: number) {
  const side = Math.ceil(Math.sqrt(count));
  const { id: firstId, ...model } = await makePlace(db, { at });
  const rows = Array.from({ length: count - 1 }, (_, k) => {
    const i = k + 1;
    const spot = eastOf(northOf(at, ((i % side) / side - 0.5) * km), (Math.floor(i / side) / side - 0.5) * km);
    return { ...model, sourceId: randomUUID(), nom: `Lieu de la grille ${i}`, latitude: spot.lat, longitude: spot.lon };
  });
  const ids = [firstId, ...(await insertPlacesIfAbsent(db, rows)).values()];
  return db('places').whereIn('id', ids).select<{ id: number; nom: string }[]>('id', 'nom');
}

describe('GET /api/v1/map: every place of a box, as clusters and single places', () => {
  const { app, db, placeIndex } = createTestContext();

  it('when a box holds a few places, then clusters and singles add up to them, singles with id and nom', async () => {
    const here = randomSpot();
    const made = await gridAround(db, here, 12, 2);
    const res = await request(app)
      .get('/api/v1/map')
      .query({ bbox: boxAround(here, 3), zoom: 16 });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('FeatureCollection');
    expect(placesIn(res.body.features)).toBe(12);
    const singles = (res.body.features as Feature[]).filter((f) => !f.properties.cluster);
    expect(singles.length).toBeGreaterThan(0);
    for (const single of singles) {
      const place = made.find((p) => p.id === single.properties.id);
      expect(single.properties.nom).toBe(place?.nom);
    }
  });

  it('when places and clusters are shown, then coordinates have six decimals, a place its own', async () => {
    const here = randomSpot();
    const place = await makePlace(db, { at: { lat: 45.123457, lon: 4.765432 } });
    const made = await gridAround(db, here, 30, 3);
    for (const [bbox, zoom] of [
      [boxAround(here, 5), 10],
      [boxAround(here, 5), 16],
      [boxAround({ lat: 45.123457, lon: 4.765432 }, 0.05), 18],
    ] as const) {
      const res = await request(app).get('/api/v1/map').query({ bbox, zoom });
      const features = res.body.features as Feature[];
      expect(features.length).toBeGreaterThan(0);
      for (const { geometry } of features) {
        for (const degrees of geometry.coordinates) expect(Math.round(degrees * 1e6) / 1e6).toBe(degrees);
      }
      if (zoom !== 18) continue;
      const alone = features.find((f) => f.properties.id === place.id);
      expect(alone?.geometry.coordinates).toEqual([4.765432, 45.123457]);
    }
    expect(made).toHaveLength(30);
  });

  it('when the map is zoomed out over the same places, then they come as clusters with their counts', async () => {
    const here = aloneSpot(0, { polar: true });
    await gridAround(db, here, 12, 2);
    const res = await request(app)
      .get('/api/v1/map')
      .query({ bbox: boxAround(here, 20), zoom: 8 });
    const clusters = (res.body.features as Feature[]).filter((f) => f.properties.cluster);
    expect(clusters.length).toBeGreaterThan(0);
    expect(placesIn(res.body.features)).toBe(12);
  });

  it('when a box holds over 500 places, then at any zoom 500 features at most add up to all', async () => {
    const here = aloneSpot(1, { polar: true });
    await gridAround(db, here, 620, 3);
    // Other test files share the database and may have a few places in so wide a box (and a cluster
    // astride its edge counts or not by its centre): every zoom counts at least these 620.
    for (const zoom of [3, 8, 12, 15, 17, 20, 22]) {
      const res = await request(app)
        .get('/api/v1/map')
        .query({ bbox: boxAround(here, 2.5), zoom });
      expect(res.status).toBe(200);
      expect(res.body.features.length).toBeLessThanOrEqual(500);
      expect(placesIn(res.body.features)).toBeGreaterThanOrEqual(620);
    }
  });

  it('when the whole world is asked at a high zoom, then it still answers with 500 features at most', async () => {
    const res = await request(app).get('/api/v1/map').query({ bbox: '-180,-90,180,90', zoom: 22 });
    expect(res.status).toBe(200);
    expect(res.body.features.length).toBeLessThanOrEqual(500);
  });

  it('when a place is added, then the next map of its box shows it', async () => {
    const here = randomSpot();
    await request(app)
      .get('/api/v1/map')
      .query({ bbox: boxAround(here, 5), zoom: 14 });
    const place = await makePlace(db, { at: here });
    const res = await request(app)
      .get('/api/v1/map')
      .query({ bbox: boxAround(here, 5), zoom: 14 });
    expect(res.body.features.map((f: Feature) => f.properties.id)).toContain(place.id);
  });

  it('when the same view is asked again and nothing changed, then it is answered from memory', async () => {
    const here = randomSpot();
    await gridAround(db, here, 30, 2);
    let namesRead = 0;
    const countNameReads = (query: { sql: string }) => {
      if (isNameRead(query.sql)) namesRead++;
    };
    const view = async () => {
      const res = await request(app)
        .get('/api/v1/map')
        .query({ bbox: boxAround(here, 5), zoom: 15 });
      expect(res.status).toBe(200);
      return { text: res.text, etag: res.headers.etag };
    };
    await placeIndex.start();
    db.on('query', countNameReads);
    try {
      const { before, again } = await askedAgain(placeIndex, view, { beforeAgain: () => (namesRead = 0) });
      expect(again).toEqual(before);
      expect(placesIn(JSON.parse(again.text).features)).toBe(30);
      expect(namesRead).toBe(0);
      // The kept answer's ETag is the one first sent: a browser that has it gets 304, no body.
      const revalidated = await request(app)
        .get('/api/v1/map')
        .query({ bbox: boxAround(here, 5), zoom: 15 })
        .set('If-None-Match', again.etag)
        .set('Accept-Encoding', 'br, gzip');
      expect(revalidated.status).toBe(304);
      // No body, so no encoding: a cache that holds another encoding's bytes keeps their label.
      expect(revalidated.headers['content-encoding']).toBeUndefined();
    } finally {
      db.off('query', countNameReads);
    }
  });

  it('when browsers ask a kept view, then each gets it in brotli or gzip as it accepts, the same map', async () => {
    const here = randomSpot();
    await gridAround(db, here, 40, 2);
    const view = (encoding: string) =>
      request(app)
        .get('/api/v1/map')
        .query({ bbox: boxAround(here, 5), zoom: 16 })
        .set('Accept-Encoding', encoding);
    await placeIndex.start();
    const { before, again } = await askedAgain(placeIndex, async () => {
      const [plain, gzip, br] = await Promise.all([view('identity'), view('gzip'), view('br, gzip')]);
      return { plain, gzip, br };
    });
    for (const answers of [before, again]) {
      expect(answers.plain.headers['content-encoding']).toBeUndefined();
      expect(answers.gzip.headers['content-encoding']).toBe('gzip');
      expect(answers.br.headers['content-encoding']).toBe('br');
      for (const res of [answers.gzip, answers.br]) {
        expect(res.headers.vary).toMatch(/Accept-Encoding/i);
        expect(res.body).toEqual(answers.plain.body);
      }
    }
    expect(placesIn(again.plain.body.features)).toBe(40);
  });

  it('when a large index serves its previous clusters while rebuilding, then that answer is not kept', async () => {
    // Every index counts as large here: after a change, the previous clusters answer until the rebuild.
    const map = createMapService({
      db,
      index: placeIndex,
      publicBaseUrl: 'http://localhost',
      clock: systemClock,
      freshVersion: async () => {
        await placeIndex.freshen(placeIndex.freshnessTicket());
        return placeIndex.version;
      },
      clusterRebuild: { rebuildInlineUpTo: 0, rebuildDelayMs: 50 },
    });
    try {
      await placeIndex.start();
      const here = randomSpot();
      const bbox = {
        minLon: here.lon - 0.05,
        minLat: here.lat - 0.05,
        maxLon: here.lon + 0.05,
        maxLat: here.lat + 0.05,
      };
      const idsShown = async () =>
        (JSON.parse(String((await map.viewportJson(bbox, 16)).body)) as { features: Feature[] }).features.map(
          (f) => f.properties.id,
        );
      await idsShown();
      const place = await makePlace(db, { at: here });
      // Once the rebuild has run, the next view shows the place (the stale one was never kept).
      let shown = await idsShown();
      for (let attempt = 0; attempt < 100 && !shown.includes(place.id); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        shown = await idsShown();
      }
      expect(shown).toContain(place.id);
    } finally {
      map.stop();
    }
  });

  it('when the map moves over places it has just shown, then their names are not read again', async () => {
    const here = randomSpot();
    const made = await gridAround(db, here, 12, 1);
    let namesRead = 0;
    const countNameReads = (query: { sql: string }) => {
      if (isNameRead(query.sql)) namesRead++;
    };
    const namesIn = async (bbox: string) => {
      const res = await request(app).get('/api/v1/map').query({ bbox, zoom: 18 });
      expect(res.status).toBe(200);
      const singles = (res.body.features as Feature[]).filter((f) => !f.properties.cluster);
      return new Map(singles.map((f) => [f.properties.id, f.properties.nom]));
    };
    await placeIndex.start();
    expect(await namesIn(boxAround(here, 2))).toEqual(new Map(made.map((p) => [p.id, p.nom])));
    db.on('query', countNameReads);
    try {
      // Panned a little: another view, the same places in it.
      const moved = await namesIn(boxAround(eastOf(here, 0.2), 2));
      expect(moved).toEqual(new Map(made.map((p) => [p.id, p.nom])));
      expect(namesRead).toBe(0);
    } finally {
      db.off('query', countNameReads);
    }
  });

  it('when a place shown on a view kept in memory is renamed, then the next view shows the new name', async () => {
    const here = randomSpot();
    const place = await makePlace(db, { at: here, nom: 'Ancien nom sur la carte' });
    const namesShown = async () => {
      const res = await request(app)
        .get('/api/v1/map')
        .query({ bbox: boxAround(here, 1), zoom: 16 });
      return (res.body.features as Feature[]).map((f) => f.properties.nom);
    };
    expect(await namesShown()).toContain('Ancien nom sur la carte');
    expect(await namesShown()).toContain('Ancien nom sur la carte');
    // Plain SQL, as another instance or any other path would write it.
    await db('places').where({ id: place.id }).update({ nom: 'Nouveau nom sur la carte' });
    expect(await namesShown()).toContain('Nouveau nom sur la carte');
  });

  it.each([
    ['bbox', { zoom: '5' }],
    ['bbox', { bbox: '1,2,3', zoom: '5' }],
    ['bbox', { bbox: '5,44,4,45', zoom: '5' }],
    ['bbox', { bbox: 'a,b,c,d', zoom: '5' }],
    ['bbox', { bbox: '-200,0,0,10', zoom: '5' }],
    ['zoom', { bbox: '-5,41,10,51' }],
    ['zoom', { bbox: '-5,41,10,51', zoom: 'far' }],
    ['zoom', { bbox: '-5,41,10,51', zoom: '23' }],
    ['zoom', { bbox: '-5,41,10,51', zoom: '2.5' }],
    ['foo', { bbox: '-5,41,10,51', zoom: '5', foo: 'bar' }],
  ])('when %s is wrong (%j), then 400 problem+json names it', async (field, query) => {
    const res = await request(app).get('/api/v1/map').query(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
