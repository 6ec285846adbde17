import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFileReport } from '../../server/opendata/import/import-file.service.js';
import { runSeeds, type PlaceFileSeed } from '../../seeds/index.js';
import { createFreshDatabase } from '../support/fresh-database.js';

describe('seeds', () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  /** Drops the fresh database once it exists (nothing to drop if its creation failed). */
  let dropFresh = (): Promise<void> => Promise.resolve();
  let firstReports: ImportFileReport[];
  const reportsOf = (places: PlaceFileSeed[]) =>
    places.map((p) => p.report).filter((r): r is ImportFileReport => r !== 'unchanged');
  const logs: string[] = [];

  beforeAll(async () => {
    fresh = await createFreshDatabase();
    dropFresh = () => fresh.drop();
    const result = await runSeeds(fresh.db, { log: (m) => logs.push(m), today: '2026-11-28' });
    firstReports = reportsOf(result.places);
  }, 180_000);
  afterAll(async () => {
    await dropFresh();
  });

  it('when seeded, then every shared dataset is loaded, the same place in several files merged into one', async () => {
    const total = Number((await fresh.db('places').count('* as n'))[0].n);
    expect(firstReports.map((r) => r.file)).toEqual([
      'places.json',
      'conseillers-numeriques-permanences-v0.json',
      'france-services-2022-12-01.csv',
      'hub-antilles.json',
    ]);
    // About nine thousand distinct places out of twelve thousand rows.
    expect(total).toBeGreaterThan(8500);
    for (const report of firstReports)
      expect(report.created + report.updated + report.unchanged + report.merged + report.rejected).toBe(report.read);
    expect(firstReports.reduce((sum, r) => sum + r.created, 0)).toBe(total);
    expect(firstReports.reduce((sum, r) => sum + r.merged, 0)).toBeGreaterThan(500);
    const franceServices = firstReports[2];
    // The rows of the France Services list without an address are rejected, with their reason.
    expect(franceServices.rejections.every((r) => r.rule === 'Champ obligatoire manquant.')).toBe(true);
    expect(logs.join('\n')).toMatch(
      /france-services-2022-12-01\.csv, horaires-par-jour\) : 2683 lus, \d+ créés, \d+ fusionnés/,
    );
    const martigues = await fresh
      .db('places')
      .where({ source_id: 'dora-3d647b3a-a5b6-41f8-8374-ba37c1ff1746' })
      .first();
    expect(martigues).toMatchObject({
      nom: 'Accueil individuel en accès libre',
      commune: 'Martigues',
      code_postal: '13500',
    });
  });

  it('when places lack coordinates or carry invalid values, then the seed reports them, keeps the rest', async () => {
    const placedAtCommune = firstReports.reduce((sum, r) => sum + r.placedAtCommune, 0);
    expect(placedAtCommune).toBeGreaterThan(0);
    const approximate = await fresh.db('places').where({ location_precision: 'commune' }).count('* as n');
    expect(Number(approximate[0].n)).toBeGreaterThanOrEqual(placedAtCommune);
    const badHours = firstReports[0].setAside.find((issue) => issue.field === 'horaires');
    expect(badHours).toBeDefined();
    // The invalid value is not stored, the place is. (A place may carry the issue and valid hours
    // brought later by another row for it: every such place is read, in no particular order.)
    const withHoursIssue = await fresh
      .db('places')
      .whereRaw('import_issues @> \'[{"field": "horaires"}]\'')
      .select<{ horaires: string | null; nom: string }[]>('horaires', 'nom');
    expect(withHoursIssue.some((place) => place.horaires === null && place.nom !== '')).toBe(true);
    expect(logs.join('\n')).toMatch(/valeurs invalides mises de côté/);
  });

  const whenLabelsSeeded =
    'when the labels are seeded, then NetPublic, ' +
    'Cyber-base and every dispositif and formation label of the standard exist';
  it(whenLabelsSeeded, async () => {
    const slugs = (await fresh.db('labels').select('slug')).map((row) => row.slug);
    expect(slugs).toEqual(
      expect.arrayContaining([
        'netpublic',
        'cyber-base',
        'france-services',
        'conseillers-numeriques',
        'aidants-connect',
      ]),
    );
    expect(slugs.length).toBeGreaterThanOrEqual(2 + 11 + 10);
    const linked = await fresh
      .db('place_labels as pl')
      .join('labels as l', 'l.id', 'pl.label_id')
      .where('l.slug', 'france-services')
      .count('* as n');
    expect(Number(linked[0].n)).toBeGreaterThan(100);
  });

  it('when seeding runs again, then nothing is duplicated, even when the file has changed', async () => {
    const countAll = async () => Number((await fresh.db('places').count('* as n'))[0].n);
    const before = await countAll();
    const again = await runSeeds(fresh.db, { log: () => {}, today: '2026-11-29' });
    expect(again.places.every((p) => p.report === 'unchanged')).toBe(true);
    await fresh.db('seed_runs').update({ checksum: 'an older file' });
    const reloaded = reportsOf((await runSeeds(fresh.db, { log: () => {}, today: '2026-11-29' })).places);
    expect(reloaded).toHaveLength(4);
    for (const report of reloaded) expect(report).toMatchObject({ created: 0, updated: 0, merged: 0 });
    expect(await countAll()).toBe(before);
    expect(Number((await fresh.db('labels').count('* as n'))[0].n)).toBeGreaterThanOrEqual(23);
  });
});
