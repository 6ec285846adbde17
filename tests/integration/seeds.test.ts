import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../server/opendata/import.service.js';
import { runSeeds } from '../../seeds/index.js';
import { createFreshDatabase } from '../support/fresh-database.js';

describe('seeds', () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  /** Drops the fresh database once it exists (nothing to drop if its creation failed). */
  let dropFresh = (): Promise<void> => Promise.resolve();
  let firstReport: ImportReport;
  const logs: string[] = [];

  beforeAll(async () => {
    fresh = await createFreshDatabase();
    dropFresh = () => fresh.drop();
    const result = await runSeeds(fresh.db, { log: (m) => logs.push(m), today: '2026-11-28' });
    firstReport = result.places as ImportReport;
  }, 180_000);
  afterAll(async () => {
    await dropFresh();
  });

  it('when seeded, then thousands of real places from PACA, Hinaura and data·inclusion are loaded', async () => {
    const bySource = await fresh.db('places').select('source').count('* as n').groupBy('source');
    const total = bySource.reduce((sum, row) => sum + Number(row.n), 0);
    expect(total).toBeGreaterThan(4000);
    expect(firstReport.inserted).toBe(total);
    expect(firstReport.rejected).toEqual([]);
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
    expect(firstReport.withoutCoordinates.length).toBeGreaterThan(0);
    const noCoordinates = await fresh.db('places').whereNull('latitude').count('* as n');
    expect(Number(noCoordinates[0].n)).toBe(firstReport.withoutCoordinates.length);
    const badHours = firstReport.fieldIssues.find((item) => item.issues.some((issue) => issue.field === 'horaires'));
    expect(badHours).toBeDefined();
    const stored = await fresh.db('places').where({ source_id: badHours!.sourceId }).first();
    expect(stored.horaires).toBeNull();
    expect(
      stored.import_issues.some(
        (issue: { field: string; value: unknown }) => issue.field === 'horaires' && issue.value,
      ),
    ).toBe(true);
    expect(logs.join('\n')).toMatch(/sans coordonnées/);
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
    expect(again.places).toBe('unchanged');
    await fresh.db('seed_runs').update({ checksum: 'an older file' });
    const reloaded = await runSeeds(fresh.db, { log: () => {}, today: '2026-11-29' });
    expect((reloaded.places as ImportReport).inserted).toBe(0);
    expect(await countAll()).toBe(before);
    expect(Number((await fresh.db('labels').count('* as n'))[0].n)).toBeGreaterThanOrEqual(23);
  });
});
