import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishedPlaceBatches } from '../../../server/places/places.read.js';
import { createTestContext } from '../../support/context.js';
import { makePlace, northOf, randomSpot } from '../../support/factories.js';
import { boxAround, seedExportablePlaces } from './seeded-places.js';

const LICENCE_LINK = '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"';
const DATA_INCLUSION_DIR =
  process.env.DATA_INCLUSION_SCHEMAS ??
  path.resolve(import.meta.dirname, '../../../../shared/standard/data-inclusion/v1');
const readSchema = (name: string) => JSON.parse(readFileSync(path.join(DATA_INCLUSION_DIR, name), 'utf8'));

describe('open-data exports', () => {
  // 10:00 UTC on 1 December is 11:00 in Paris: the file is dated 2026-12-01.
  const { app, db } = createTestContext();
  let seeded: Awaited<ReturnType<typeof seedExportablePlaces>>;
  const csvIds = async (query: Record<string, string>) => {
    const res = await request(app).get('/api/v1/export.csv').query(query);
    expect(res.status).toBe(200);
    return parse<{ id: string }>(res.text, { columns: true }).map((row) => Number(row.id));
  };

  beforeAll(async () => {
    seeded = await seedExportablePlaces(db);
  });

  it('when the CSV is downloaded, then it streams chunked as a dated UTF-8 attachment under the licence', async () => {
    const res = await request(app).get('/api/v1/export.csv').query({ bbox: seeded.bbox });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="lieux-mediation-numerique-2026-12-01.csv"');
    expect(res.headers.link).toBe(LICENCE_LINK);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
  });

  it('when the export is filtered by a radius, then only places inside come, by id rather than distance', async () => {
    const ids = await csvIds({ lat: String(seeded.spot.lat), lon: String(seeded.spot.lon), radius_km: '10' });
    expect(ids).toEqual([seeded.full.id, seeded.minimal.id]);
  });

  it('when the export is filtered by fees, service or label, then they apply as in /api/v1/places', async () => {
    expect(await csvIds({ bbox: seeded.bbox, frais: 'Payant' })).toEqual([seeded.paying.id]);
    expect(await csvIds({ bbox: seeded.bbox, services: 'Aide aux démarches administratives' })).toEqual([
      seeded.full.id,
    ]);
    expect(await csvIds({ bbox: seeded.bbox, labels: 'conseillers-numeriques' })).toEqual([seeded.paying.id]);
  });

  it('when the export asks for places open at a time, then places closed or without hours are left out', async () => {
    // Saturday 5 December 2026, 11:00 in Paris: the full place (Sa 08:30-12:00) and the paying one (Sa 10:00-12:00).
    expect(await csvIds({ bbox: seeded.bbox, open_at: '2026-12-05T11:00' })).toEqual([
      seeded.full.id,
      seeded.paying.id,
    ]);
  });

  it.each([
    [{ limit: '10' }, 'limit'],
    [{ cursor: 'abc' }, 'cursor'],
    [{ lat: '43' }, 'lon'],
    [{ frais: 'Cher' }, 'frais'],
    [{ labels: 'label-qui-n-existe-pas' }, 'labels'],
  ])('when the export gets %j, then 400 problem+json names %s', async (query, field) => {
    const res = await request(app).get('/api/v1/export.csv').query(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field.split('.')[0])).toContain(field);
  });

  it('when the JSON export is downloaded, then it has the licence, generation date and standard records', async () => {
    const res = await request(app).get('/api/v1/export.json').query({ bbox: seeded.bbox });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('lieux-mediation-numerique-2026-12-01.json');
    expect(res.headers.link).toBe(LICENCE_LINK);
    expect(res.body.licence).toEqual({
      nom: 'Licence Ouverte 2.0 (Etalab)',
      url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    });
    expect(res.body.date_generation).toBe('2026-12-01T10:00:00.000Z');
    expect(res.body.standard.version).toBe('1.0.2');
    const full = res.body.lieux.find((r: { id: string }) => r.id === String(seeded.full.id));
    expect(full).toMatchObject({
      nom: 'Médiathèque « Les Mots », salle 2',
      modalites_accompagnement: 'Dans un atelier collectif|À distance',
      date_maj: '2026-04-02',
      latitude: seeded.spot.lat,
    });
    const minimal = res.body.lieux.find((r: { id: string }) => r.id === String(seeded.minimal.id));
    expect(minimal).not.toHaveProperty('telephone');
    expect(res.body.lieux).toHaveLength(3);
  });

  it('when GeoJSON is downloaded, then it is a FeatureCollection of points, the licence a foreign member', async () => {
    const res = await request(app).get('/api/v1/export.geojson').query({ bbox: seeded.bbox });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({
      type: 'FeatureCollection',
      licence: { url: expect.stringContaining('etalab') },
      date_generation: '2026-12-01T10:00:00.000Z',
    });
    const feature = body.features.find((f: { id: string }) => f.id === String(seeded.full.id));
    expect(feature.geometry).toEqual({ type: 'Point', coordinates: [seeded.spot.lon, seeded.spot.lat] });
    expect(feature.properties.nom).toBe('Médiathèque « Les Mots », salle 2');
  });

  it('when nothing matches, then each format is still a valid empty document', async () => {
    const empty = { bbox: boxAround({ lat: -89, lon: 179 }), q: 'aucun lieu ne porte ce nom zzqx' };
    expect((await request(app).get('/api/v1/export.json').query(empty)).body.lieux).toEqual([]);
    expect(JSON.parse((await request(app).get('/api/v1/export.geojson').query(empty)).text).features).toEqual([]);
    expect((await request(app).get('/api/v1/export/data-inclusion/services.json').query(empty)).body).toEqual([]);
    expect(parse((await request(app).get('/api/v1/export.csv').query(empty)).text)).toHaveLength(1);
  });

  it('when data·inclusion structures are downloaded, then they have v1 required fields, prefixed ids', async () => {
    const schema = readSchema('structure.json');
    const res = await request(app).get('/api/v1/export/data-inclusion/structures.json').query({ bbox: seeded.bbox });
    expect(res.status).toBe(200);
    expect(res.headers.link).toBe(LICENCE_LINK);
    expect(res.body).toHaveLength(3);
    for (const structure of res.body) {
      for (const field of schema.required) expect(structure[field], field).toBeTruthy();
      expect(Object.keys(structure).every((key) => key in schema.properties)).toBe(true);
      expect(structure.date_maj).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const full = res.body.find((s: { id: string }) => s.id === `epn-finder--${seeded.full.id}`);
    expect(full).toMatchObject({
      siret: '43493312300029',
      courriel: 'contact@example.org',
      site_web: 'https://example.org/',
    });
    expect(full.lien_source).toMatch(new RegExp(`^http://epn\\.test/lieux/${seeded.full.id}-`));
  });

  it('when data·inclusion services are downloaded, then thematiques, fees and modes use the v1 lists', async () => {
    const schema = readSchema('service.json');
    const res = await request(app).get('/api/v1/export/data-inclusion/services.json').query({ bbox: seeded.bbox });
    expect(res.status).toBe(200);
    for (const service of res.body) {
      for (const field of schema.required) expect(service[field], field).toBeTruthy();
      expect(Object.keys(service).every((key) => key in schema.properties)).toBe(true);
      for (const t of service.thematiques ?? []) expect(schema.$defs.Thematique.enum).toContain(t);
      for (const m of service.modes_accueil ?? []) expect(schema.$defs.ModeAccueil.enum).toContain(m);
      if (service.frais) expect(schema.$defs.Frais.enum).toContain(service.frais);
      expect(schema.$defs.TypeService.enum).toContain(service.type);
    }
    const full = res.body.find((s: { structure_id: string }) => s.structure_id === `epn-finder--${seeded.full.id}`);
    expect(full).toMatchObject({ frais: 'gratuit', modes_accueil: ['en-presentiel', 'a-distance'] });
    expect(full.thematiques.sort()).toEqual([
      'numerique--acceder-a-des-services-en-ligne',
      'numerique--acceder-a-une-connexion-internet',
    ]);
  });

  it('when the places span several batches, then the keyset loop yields each once, in id order', async () => {
    const spot = randomSpot();
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await makePlace(db, { at: northOf(spot, i) })).id);
    const seen: number[] = [];
    let batches = 0;
    const [minLon, minLat, maxLon, maxLat] = boxAround(spot).split(',').map(Number);
    for await (const batch of publishedPlaceBatches(db, { bbox: { minLon, minLat, maxLon, maxLat } }, 2)) {
      batches += 1;
      seen.push(...batch.places.map((p) => p.id));
    }
    expect(seen).toEqual([...made].sort((a, b) => a - b));
    expect(batches).toBe(3);
  });
});

describe('the open-data page and the API document', () => {
  const { app } = createTestContext();

  it('when a visitor opens /donnees-ouvertes, then it explains the files, licence and filters in French', async () => {
    const res = await request(app).get('/donnees-ouvertes');
    expect(res.status).toBe(200);
    for (const href of [
      '/api/v1/export.csv',
      '/api/v1/export.json',
      '/api/v1/export.geojson',
      '/api/v1/export/data-inclusion/structures.json',
      '/api/v1/export/data-inclusion/services.json',
    ]) {
      expect(res.text).toContain(`href="${href}"`);
    }
    expect(res.text).toContain('Licence Ouverte 2.0');
    expect(res.text).toContain('radius_km=20&amp;frais=Gratuit');
  });

  it('when the API page is shown, then it lists the exports and its footer links to the open-data page', async () => {
    const res = await request(app).get('/api');
    expect(res.status).toBe(200);
    expect(res.text).toContain('/export.csv');
    expect(res.text).toMatch(/<footer[\s\S]*href="\/donnees-ouvertes"/);
  });

  it('when the OpenAPI document is read, then it lists the five exports with places filters, no paging', async () => {
    const res = await request(app).get('/api/v1/openapi.json');
    for (const p of [
      '/export.csv',
      '/export.json',
      '/export.geojson',
      '/export/data-inclusion/structures.json',
      '/export/data-inclusion/services.json',
    ]) {
      const names = res.body.paths[p].get.parameters.map((param: { name: string }) => param.name);
      expect(names).toContain('bbox');
      expect(names).not.toContain('cursor');
    }
  });
});
