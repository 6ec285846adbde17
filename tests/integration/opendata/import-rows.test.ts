import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImportFileReport } from '../../../server/opendata/import/import-file.service.js';
import { createPlaceWrites } from '../../../server/places/place-writes.service.js';
import { makeCommune, randomPostalCode, uniqueWord } from '../../support/communes.js';
import { createTestContext } from '../../support/context.js';
import { northOf, randomSpot } from '../../support/factories.js';
import { csvOf, fixtureBytes, fixtureImporter } from './import-fixtures.js';

const COLUMNS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'adresse',
  'latitude',
  'longitude',
  'telephone',
  'source',
  'date_maj',
  'services',
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string | number>>;

const accountedFor = (report: ImportFileReport) =>
  report.created + report.updated + report.unchanged + report.merged + report.rejected;

/** What happens to each row: created, updated, unchanged, merged or rejected, and nothing else. */
describe('import: the outcome of every row', () => {
  const { db, clock } = createTestContext();
  const importFixture = fixtureImporter(db, clock);
  const importRows = (rows: Row[], options: { source?: string; dryRun?: boolean } = {}) =>
    importFixture('lignes.csv', { bytes: csvOf(COLUMNS, rows), ...options });
  const aPlace = (overrides: Row = {}): Row => {
    const spot = randomSpot();
    return {
      id: randomUUID(),
      nom: `Espace ${uniqueWord()}`,
      commune: 'Bourges',
      code_postal: '18000',
      adresse: `1 rue ${uniqueWord()}`,
      latitude: spot.lat,
      longitude: spot.lon,
      source: `test-${uniqueWord()}`,
      date_maj: '2024-01-01',
      services: 'Aide aux démarches administratives',
      ...overrides,
    };
  };

  it('when rows break a rule, then each is rejected with its row, field, value and rule', async () => {
    // The fixture's own source, made unique: another test file imports it too.
    const source = `rejets-${uniqueWord()}`;
    const bytes = Buffer.from(fixtureBytes('rejets.csv').toString('utf8').replaceAll('fixture-rej', source));
    const report = await importFixture('rejets.csv', { bytes });
    expect(report).toMatchObject({ read: 5, created: 1, rejected: 4 });
    expect(accountedFor(report)).toBe(report.read);
    expect(report.rejections).toEqual([
      { row: 1, field: 'nom', value: null, rule: 'Champ obligatoire manquant.' },
      { row: 2, field: 'code_postal', value: '180', rule: 'Le code postal doit faire 5 chiffres.' },
      { row: 3, field: 'adresse', value: null, rule: 'Champ obligatoire manquant.' },
      { row: 5, field: 'id', value: 'fx-rej-4', rule: 'Identifiant en double dans le fichier.' },
    ]);
    expect(await db('places').where({ source }).pluck('source_id')).toEqual(['fx-rej-4']);
  });

  it('when the same file is imported twice, then the second run creates and updates nothing', async () => {
    const rows = [aPlace(), aPlace(), aPlace({ latitude: '', longitude: '' })];
    const first = await importRows(rows);
    expect(first).toMatchObject({ read: 3, created: 3 });
    const second = await importRows(rows);
    expect(second).toMatchObject({ read: 3, created: 0, updated: 0, merged: 0, unchanged: 3, rejected: 0 });
  });

  it('when a dry run is asked, then the counts are given and nothing is written', async () => {
    const row = aPlace();
    const report = await importRows([row], { dryRun: true });
    expect(report).toMatchObject({ created: 1, dryRun: true });
    expect(await db('places').where({ source_id: row.id }).first()).toBeUndefined();
  });

  it('when a newer date_maj comes, then it is updated (one revision); the same date changes nothing', async () => {
    const row = aPlace();
    await importRows([row]);
    const sameDate = await importRows([{ ...row, nom: `${String(row.nom)} bis` }]);
    expect(sameDate).toMatchObject({ unchanged: 1, updated: 0 });
    const newer = await importRows([{ ...row, nom: `${String(row.nom)} bis`, date_maj: '2024-06-01' }]);
    expect(newer).toMatchObject({ updated: 1 });
    const place = await db('places').where({ source_id: row.id }).first();
    expect(place).toMatchObject({ nom: `${String(row.nom)} bis`, date_maj: '2024-06-01', version: 2 });
    const revision = await db('place_revisions').where({ place_id: place.id }).first();
    expect(revision).toMatchObject({ kind: 'edit', section: 'import', author_role: 'system' });
    expect(revision.changes.nom).toEqual({ old: row.nom, new: `${String(row.nom)} bis` });
  });

  it('when a mediator edited the place after the file’s date, then the older record leaves the edit', async () => {
    const row = aPlace({ date_maj: '2026-06-01' });
    await importRows([row]);
    const place = await db('places').where({ source_id: row.id }).first();
    const writes = createPlaceWrites({ db, clock });
    await writes.saveFields(
      place.id,
      place.version,
      { nom: 'Nom corrigé par la médiatrice' },
      {
        author: { userId: null, role: 'mediator' },
        kind: 'edit',
      },
    );
    // The edit is dated 2026-12-01 (the test clock); the source's record of 2026-11-15 is older.
    const report = await importRows([{ ...row, nom: 'Nom de la source', date_maj: '2026-11-15' }]);
    expect(report).toMatchObject({ unchanged: 1, updated: 0 });
    expect((await db('places').where({ id: place.id }).first()).nom).toBe('Nom corrigé par la médiatrice');
  });

  it('when a row has no coordinates, then it is placed at its commune’s centre, flagged approximate', async () => {
    const spot = randomSpot();
    const commune = await makeCommune(db, {
      latitude: spot.lat,
      longitude: spot.lon,
      codesPostaux: [randomPostalCode()],
    });
    const row = aPlace({ latitude: '', longitude: '', commune: commune.nom, code_postal: commune.codesPostaux[0] });
    const report = await importRows([row]);
    expect(report).toMatchObject({ created: 1, placedAtCommune: 1 });
    expect(await db('places').where({ source_id: row.id }).first()).toMatchObject({
      latitude: spot.lat,
      longitude: spot.lon,
      location_precision: 'commune',
      code_insee: commune.insee,
    });
  });

  it('when another source has the same SIRET within 200 m, then the row is merged (gaps filled, alias)', async () => {
    const pivot = String(Date.now()).slice(-9) + '12345';
    const kept = aPlace({ pivot });
    await importRows([kept]);
    const near = northOf({ lat: Number(kept.latitude), lon: Number(kept.longitude) }, 0.05);
    const other = aPlace({
      pivot,
      nom: `Autre nom ${uniqueWord()}`,
      latitude: near.lat,
      longitude: near.lon,
      telephone: '0248000009',
    });
    const report = await importRows([other]);
    expect(report).toMatchObject({ read: 1, merged: 1, created: 0 });
    const place = await db('places').where({ source_id: kept.id }).first();
    expect(report.outcomes[0]).toMatchObject({ outcome: 'merged', placeId: place.id, detail: 'pivot' });
    expect(place.telephone).toBe('+33248000009');
    expect(await db('place_source_aliases').where({ source_id: other.id }).first()).toMatchObject({
      place_id: place.id,
      reason: 'pivot',
    });
    // Re-importing the merged row finds the same place through its alias.
    expect(await importRows([other])).toMatchObject({ unchanged: 1, created: 0, merged: 0 });
  });

  it('when another source names it alike within 200 m, then it is merged; 500 m away, a new place', async () => {
    const word = uniqueWord();
    const kept = aPlace({ nom: `Médiathèque ${word} de Bourges` });
    await importRows([kept]);
    const at = (km: number) => northOf({ lat: Number(kept.latitude), lon: Number(kept.longitude) }, km);
    const near = aPlace({
      nom: `MEDIATHEQUE ${word.toUpperCase()} - BOURGES`,
      latitude: at(0.1).lat,
      longitude: at(0.1).lon,
    });
    const far = aPlace({ nom: `Médiathèque ${word} de Bourges`, latitude: at(0.5).lat, longitude: at(0.5).lon });
    const report = await importRows([near, far]);
    expect(report).toMatchObject({ read: 2, merged: 1, created: 1 });
    expect(report.outcomes.map((o) => [o.sourceId, o.outcome, o.detail])).toEqual([
      [near.id, 'merged', 'nom-proche'],
      [far.id, 'created', ''],
    ]);
  });

  it('when one file holds the same place twice, then the first is created and the second merged into it', async () => {
    const first = aPlace();
    const near = northOf({ lat: Number(first.latitude), lon: Number(first.longitude) }, 0.03);
    const twin = aPlace({ nom: first.nom, latitude: near.lat, longitude: near.lon });
    const report = await importRows([first, twin]);
    expect(report).toMatchObject({ read: 2, created: 1, merged: 1 });
    const place = await db('places').where({ source_id: first.id }).first();
    expect(await db('place_source_aliases').where({ source_id: twin.id }).first()).toMatchObject({
      place_id: place.id,
    });
  });
});
