import { describe, expect, it } from 'vitest';
import { fileMappingSchema } from '../../../server/opendata/import/file-mapping.js';
import { createTestContext } from '../../support/context.js';
import { fixtureBytes, fixtureImporter } from './import-fixtures.js';

/** Each format the importer recognises from its content, read into the standard's model. */
describe('import: formats and encodings', () => {
  const { db, clock } = createTestContext();
  const importFixture = fixtureImporter(db, clock);
  const placeOf = (source: string, sourceId: string) => db('places').where({ source, source_id: sourceId }).first();

  it('when a standard v1 CSV has commas and a BOM, then every row is created with its fields and repairs', async () => {
    const report = await importFixture('standard-v1-virgules-bom.csv');
    expect(report).toMatchObject({ format: 'standard-v1', encoding: 'utf-8', read: 3, created: 3, rejected: 0 });
    const first = await placeOf('fixture-v1', 'fx-v1-1');
    expect(first).toMatchObject({
      nom: 'Espace numérique Zqfixture Comma',
      pivot: '12345678900011',
      telephone: '+33248000001',
      site_web: ['https://zqfixture.fr/?a=1&b=2'],
      services: [
        'Aide aux démarches administratives',
        'Maîtrise des outils numériques du quotidien',
        'Accès internet et matériel informatique',
      ],
      date_maj: '2024-05-02',
      location_precision: 'exact',
    });
    // The résumé over 280 characters: whole in the detail, shortened in the résumé.
    expect(first.presentation_resume.length).toBeLessThanOrEqual(280);
    expect(first.presentation_detail).toMatch(/^Un espace ouvert à tous/);
    const rules = report.repairs.map((r) => `${r.row}:${r.field}:${r.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        '1:telephone:numéro mis au format +33…',
        '1:site_web:adresse web réparée',
        '1:services:séparateurs « | » et « ; » mélangés : lus comme « | »',
        '1:formations_labels:défaut du motif du standard v1.0.2 : espace rétablie',
        '1:presentation_resume:résumé de plus de 280 caractères : texte entier placé dans le détail',
        '2:nom:entités HTML décodées',
        '2:horaires:horaires réécrits au format OpenStreetMap',
      ]),
    );
    const labels = await db('place_labels as pl')
      .join('labels as l', 'l.id', 'pl.label_id')
      .where('pl.place_id', first.id)
      .pluck('l.slug');
    expect(labels.length).toBe(2);
    const second = await placeOf('fixture-v1', 'fx-v1-2');
    expect(second).toMatchObject({ nom: 'Médiathèque Zqfixture & Cie', horaires: 'Tu 09:30-12:00' });
  });

  it('when a standard v1 CSV uses semicolons without BOM, then it is read the same way', async () => {
    const report = await importFixture('standard-v1-points-virgules.csv');
    expect(report).toMatchObject({ format: 'standard-v1', read: 2, created: 2 });
    expect(await placeOf('fixture-v1-semi', 'semi-fx-v1-2')).toMatchObject({ nom: 'Médiathèque Zqsemi & Cie' });
  });

  it('when the file is the standard in JSON, then it is read as such', async () => {
    const report = await importFixture('standard-v1.json');
    expect(report).toMatchObject({ format: 'standard-v1', read: 1, created: 1 });
    expect(await placeOf('fixture-json', 'fx-json-1')).toMatchObject({ courriels: ['bonjour@zqjson.fr'] });
  });

  it('when the file is in the older standard v0.1, then its values are mapped to v1', async () => {
    const report = await importFixture('standard-v0.1.json');
    expect(report).toMatchObject({ format: 'standard-v0.1', read: 1, created: 1 });
    expect(await placeOf('fixture-v0', 'fx-v0-1')).toMatchObject({
      services: [
        'Maîtrise des outils numériques du quotidien',
        'Accès internet et matériel informatique',
        'Insertion professionnelle via le numérique',
      ],
      publics_specifiquement_adresses: ['Jeunes'],
      prise_en_charge_specifique: ['Surdité', 'Langues étrangères (anglais)', 'Langues étrangères (autres)'],
      frais_a_charge: ['Gratuit sous condition'],
      modalites_accompagnement: ['Accompagnement individuel', 'Dans un atelier collectif'],
      courriels: ['zqvzero@exemple.fr'],
      telephone: '+33470000002',
    });
  });

  it('when the file is data·inclusion structures v0, then siret, hours, labels, dd/mm/yyyy are read', async () => {
    const report = await importFixture('data-inclusion-v0.json');
    expect(report).toMatchObject({ format: 'data-inclusion-v0', read: 1, created: 1 });
    expect(await placeOf('fixture-di0', 'fx-di0-1')).toMatchObject({
      pivot: '11122233300044',
      horaires: 'Mo-Fr 10:00-17:00',
      date_maj: '2022-09-21',
      courriels: ['contact@zqdizero.fr'],
      autres_formations_labels: ['Label local'],
    });
  });

  it('when the file is data·inclusion structures v1, then the description and the hours are read', async () => {
    const report = await importFixture('data-inclusion-v1.json');
    expect(report).toMatchObject({ format: 'data-inclusion-v1', read: 1, created: 1 });
    expect(await placeOf('fixture-di1', 'fx-di1-1')).toMatchObject({
      pivot: '44455566600077',
      horaires: 'Mo-Fr 09:00-18:00',
      presentation_detail: 'Un centre social avec un espace numérique ouvert à tous.',
    });
  });

  it('when the file has one hours column per day (France Services), then the hours become opening_hours', async () => {
    const report = await importFixture('france-services.csv', { source: 'fixture-fs' });
    expect(report).toMatchObject({ format: 'horaires-par-jour', read: 3, created: 3, rejected: 0 });
    expect(await placeOf('fixture-fs', 'fx-fs-1')).toMatchObject({
      nom: 'France services Zqfs',
      horaires: 'Mo,Tu 09:00-12:00,13:30-17:00; We 08:30-12:00; Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00',
      telephone: '+33248000005',
      itinerance: ['Fixe'],
    });
    expect(await placeOf('fixture-fs', 'fx-fs-2')).toMatchObject({
      horaires: 'Mo 09:30-16:30',
      itinerance: ['Itinérant'],
    });
    // A cell that is not hours ("sur rendez-vous") is reported; the place is kept without hours.
    expect((await placeOf('fixture-fs', 'fx-fs-3')).horaires).toBeNull();
    expect(report.repairs).toContainEqual(
      expect.objectContaining({ row: 3, field: 'horaires', value: 'sur rendez-vous' }),
    );
  });

  it('when a file is in Windows-1252, then it is detected and no mojibake reaches the database', async () => {
    const report = await importFixture('windows-1252.csv');
    expect(report).toMatchObject({ encoding: 'windows-1252', read: 1, created: 1 });
    const place = await placeOf('fixture-cp1252', 'fx-cp-1');
    expect(place).toMatchObject({ nom: "Cybercentre Zqcp de l'Élysée", commune: 'Orléans' });
    expect(place.latitude).toBeCloseTo(47.90111);
  });

  it('when --encoding forces UTF-8 on a Windows-1252 file, then the importer obeys (and the bytes show)', async () => {
    const report = await importFixture('windows-1252.csv', { encoding: 'utf-8', dryRun: true });
    expect(report.encoding).toBe('utf-8');
  });

  it('when a local format comes with a mapping, then its columns and transforms are read', async () => {
    const mapping = fileMappingSchema.parse(JSON.parse(fixtureBytes('format-local.mapping.json').toString('utf8')));
    const report = await importFixture('format-local.csv', { mapping });
    expect(report).toMatchObject({ format: 'correspondance', read: 1, created: 1, rejected: 0 });
    const place = await db('places').where({ source: 'fixture-local', nom: 'Atelier Zqlocal' }).first();
    expect(place).toMatchObject({
      adresse: '7 rue Zqlocal',
      code_postal: '87000',
      commune: 'Limoges',
      latitude: 45.83111,
      longitude: 1.25111,
      services: ['Accès internet et matériel informatique', 'Aide aux démarches administratives'],
      horaires: 'Mo 08:30-12:00,14:00-17:00; Tu 08:30-12:00; Th 08:30-12:00,14:00-17:00; Fr 08:30-12:00',
      date_maj: '2024-04-03',
    });
  });
});
