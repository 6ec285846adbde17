import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createFileImporter } from '../../../server/opendata/import/import-file.service.js';
import { createTestContext } from '../../support/context.js';
import { makeLabel, randomSpot } from '../../support/factories.js';

/** The two keys our seeds add to the standard (label slugs, 'commune' precision), through the import pipeline. */
describe('importing records with the seeds’ extensions to the standard', () => {
  const { app, db, clock } = createTestContext();
  const importer = createFileImporter({ db, clock });
  const base = () => ({
    id: randomUUID(),
    source: 'import-test',
    nom: `Espace numérique ${randomUUID().slice(0, 8)}`,
    commune: 'Limoges',
    code_postal: '87000',
    adresse: '1 place de la Mairie',
  });
  const importRecords = (records: Record<string, unknown>[]) =>
    importer.importFile(Buffer.from(JSON.stringify(records)), { fileName: 'lieux.json' });

  it('when a record names label slugs beyond the standard, then the place holds those labels', async () => {
    const label = await makeLabel(db, { kind: 'label_historique' });
    const record = {
      ...base(),
      latitude: 45.83,
      longitude: 1.26,
      labels: [label.slug],
      dispositif_programmes_nationaux: 'France Services',
    };
    const report = await importRecords([record]);
    expect(report.created).toBe(1);
    const place = await db('places').where({ source: 'import-test', source_id: record.id }).first();
    const res = await request(app).get(`/api/v1/places/${place.id}`);
    expect(res.body.labels.map((l: { slug: string }) => l.slug).sort()).toEqual([label.slug, 'france-services'].sort());
  });

  it('when a label slug is unknown, then the place is loaded and the slug is set aside and reported', async () => {
    const spot = randomSpot();
    const record = { ...base(), latitude: spot.lat, longitude: spot.lon, labels: ['no-such-label'] };
    const report = await importRecords([record]);
    expect(report.created).toBe(1);
    expect(report.setAside).toEqual([
      { row: 1, field: 'labels', value: 'no-such-label', rule: 'Label inconnu du référentiel.' },
    ]);
  });

  it('when coordinates are the commune’s centre, then the API says the position is approximate', async () => {
    const spot = randomSpot();
    const record = { ...base(), latitude: spot.lat, longitude: spot.lon, location_precision: 'commune' };
    await importRecords([record]);
    const res = await request(app).get('/api/v1/places').query({ lat: spot.lat, lon: spot.lon, radius_km: 1 });
    expect(res.body.items[0].location_precision).toBe('commune');
  });

  it('when the place is later moved, then the position becomes exact; when coordinates go, the flag goes', async () => {
    const spot = randomSpot();
    const record = { ...base(), latitude: spot.lat, longitude: spot.lon, location_precision: 'commune' };
    await importRecords([record]);
    const where = { source: 'import-test', source_id: record.id };
    await db('places')
      .where(where)
      .update({ latitude: spot.lat + 0.001 });
    expect((await db('places').where(where).first()).location_precision).toBe('exact');
    await db('places').where(where).update({ latitude: null, longitude: null });
    expect((await db('places').where(where).first()).location_precision).toBeNull();
  });
});
