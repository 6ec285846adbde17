import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { seedArticles } from '../server/articles/articles.seed.js';
import type { Db } from '../server/db/knex.js';
import { upsertLabel } from '../server/labels/labels.repository.js';
import { labelSchema } from '../server/labels/labels.schemas.js';
import { createFileImporter, type ImportFileReport } from '../server/opendata/import/import-file.service.js';
import { seedCommunes } from './communes.seed.js';
import { findSeedRun, recordSeedRun } from './seed-runs.repository.js';

const SEEDS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const seedFile = (name: string) => path.join(SEEDS_DIR, 'data', name);

export interface SeedOptions {
  log: (message: string) => void;
  today: string;
  /** One places file instead of the default ones (tests and benchmarks). */
  placesFile?: string;
}

/**
 * The directory's places, in this order, each through the import pipeline (the one of
 * `npm run import`): the first file that holds a place keeps it, later files' copies of it are merged
 * into it. `places.json` is the four datasets derived and cleaned by scripts/derive-seeds.ts; the
 * others are raw copies of the shared datasets, read in their own formats (see seeds/SOURCES.md).
 */
export const PLACE_SEED_FILES = [
  { file: 'places.json', source: 'epn-finder-seeds' },
  { file: 'places/conseillers-numeriques-permanences-v0.json', source: 'conseiller-numerique' },
  { file: 'places/france-services-2022-12-01.csv', source: 'france-services' },
  { file: 'places/hub-antilles.json', source: 'hub-antilles' },
] as const;

/** Recorded once every places file has been loaded in full: a start cut short finishes next time. */
export const PLACES_SEEDED_RUN = 'places:tous';

export interface PlaceFileSeed {
  file: string;
  report: ImportFileReport | 'unchanged';
}

/** Reference data (labels): refreshed at every run; tests load it too. */
export async function seedLabels(db: Db): Promise<void> {
  const labels = z.array(labelSchema).parse(JSON.parse(await readFile(seedFile('labels.json'), 'utf8')));
  await db.transaction(async (trx) => {
    for (const label of labels) await upsertLabel(trx, label);
  });
}

/** Loads reference data and the demo directory. Safe to run at every start: nothing is duplicated. */
export async function runSeeds(db: Db, options: SeedOptions): Promise<{ places: PlaceFileSeed[] }> {
  await seedLabels(db);
  // The blog's ten articles (seeds/articles/*.md), linked to the labels above.
  await seedArticles(db, path.join(SEEDS_DIR, 'articles'), {
    log: options.log,
    findSeedRun: (name) => findSeedRun(db, name),
    recordSeedRun: (name, checksum, report) => recordSeedRun(db, name, checksum, report),
  });
  // The offline geocoder's communes (issue 3), before the places: rows without coordinates use them.
  await seedCommunes(db, seedFile('communes.json'), options.log);

  const files = options.placesFile
    ? [{ path: options.placesFile, source: 'epn-finder-seeds' }]
    : PLACE_SEED_FILES.map((entry) => ({ path: seedFile(entry.file), source: entry.source }));
  const importer = createFileImporter({ db, clock: { now: () => new Date(`${options.today}T00:00:00Z`) } });
  const places: PlaceFileSeed[] = [];
  const checksums: string[] = [];
  for (const entry of files) {
    const name = path.basename(entry.path);
    const bytes = await readFile(entry.path);
    const checksum = createHash('sha256').update(bytes).digest('hex');
    checksums.push(checksum);
    const runName = `places:${name}`;
    if ((await findSeedRun(db, runName))?.checksum === checksum) {
      options.log(`Lieux déjà chargés depuis ${name} (inchangé).`);
      places.push({ file: name, report: 'unchanged' });
      continue;
    }
    const report = await importer.importFile(bytes, { fileName: name, source: entry.source });
    await recordSeedRun(db, runName, checksum, { ...report, outcomes: undefined, repairs: report.repairs.length });
    options.log(describeSeededFile(report));
    places.push({ file: name, report });
  }
  await recordSeedRun(db, PLACES_SEEDED_RUN, createHash('sha256').update(checksums.join()).digest('hex'), {
    files: places.map((p) => p.file),
  });
  return { places };
}

/** One file's line in the seeding log: the counts, then the rejections grouped by reason. */
export function describeSeededFile(report: ImportFileReport): string {
  const lines = [
    `Lieux (${report.file}, ${report.format}) : ${report.read} lus, ${report.created} créés, ` +
      `${report.merged} fusionnés avec un lieu existant, ${report.updated} mis à jour, ` +
      `${report.unchanged} inchangés, ${report.rejected} rejetés.`,
  ];
  const byRule = new Map<string, number>();
  for (const rejection of report.rejections) {
    const key = `${rejection.field} : ${rejection.rule}`;
    byRule.set(key, (byRule.get(key) ?? 0) + 1);
  }
  for (const [rule, count] of byRule) lines.push(`  rejet ${rule} (${count})`);
  if (report.placedAtCommune) lines.push(`  ${report.placedAtCommune} placés au centre de leur commune.`);
  if (report.setAside.length)
    lines.push(`  ${report.setAside.length} valeurs invalides mises de côté (gardées dans import_issues).`);
  return lines.join('\n');
}
