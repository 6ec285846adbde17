import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { seedArticles } from '../server/articles/articles.seed.js';
import type { Db } from '../server/db/knex.js';
import { upsertLabel } from '../server/labels/labels.repository.js';
import { labelSchema } from '../server/labels/labels.schemas.js';
import { importPlaces, type ImportReport } from '../server/opendata/import.service.js';
import { seedCommunes } from './communes.seed.js';
import { findSeedRun, recordSeedRun } from './seed-runs.repository.js';

const SEEDS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const seedFile = (name: string) => path.join(SEEDS_DIR, 'data', name);

export interface SeedOptions {
  log: (message: string) => void;
  today: string;
  /** Another places file (tests and benchmarks); defaults to seeds/data/places.json. */
  placesFile?: string;
}

/** Reference data (labels): refreshed at every run; tests load it too. */
export async function seedLabels(db: Db): Promise<void> {
  const labels = z.array(labelSchema).parse(JSON.parse(await readFile(seedFile('labels.json'), 'utf8')));
  await db.transaction(async (trx) => {
    for (const label of labels) await upsertLabel(trx, label);
  });
}

/** Loads reference data and the demo directory. Safe to run at every start: nothing is duplicated. */
export async function runSeeds(db: Db, options: SeedOptions): Promise<{ places: ImportReport | 'unchanged' }> {
  await seedLabels(db);
  // The blog's ten articles (seeds/articles/*.md), linked to the labels above.
  await seedArticles(db, path.join(SEEDS_DIR, 'articles'), {
    log: options.log,
    findSeedRun: (name) => findSeedRun(db, name),
    recordSeedRun: (name, checksum, report) => recordSeedRun(db, name, checksum, report),
  });
  // The offline geocoder's communes (issue 3).
  await seedCommunes(db, seedFile('communes.json'), options.log);

  const placesFile = options.placesFile ?? seedFile('places.json');
  const content = await readFile(placesFile, 'utf8');
  const checksum = createHash('sha256').update(content).digest('hex');
  const runName = `places:${path.basename(placesFile)}`;
  const previous = await findSeedRun(db, runName);
  if (previous?.checksum === checksum) {
    options.log(`Lieux déjà chargés depuis ${path.basename(placesFile)} (inchangé).`);
    return { places: 'unchanged' };
  }
  const records = z.array(z.record(z.string(), z.unknown())).parse(JSON.parse(content));
  const report = await importPlaces(db, records, { today: options.today });
  await recordSeedRun(db, runName, checksum, report);
  options.log(describeReport(path.basename(placesFile), report));
  return { places: report };
}

export function describeReport(file: string, report: ImportReport): string {
  const lines = [
    `Lieux (${file}) : ${report.read} lus, ${report.inserted} ajoutés, ` +
      `${report.alreadyPresent} déjà présents, ${report.rejected.length} rejetés.`,
    `  ${report.withoutCoordinates.length} sans coordonnées (chargés, absents des recherches par distance).`,
    `  ${report.fieldIssues.length} avec des valeurs invalides mises de côté (gardées dans import_issues) :`,
  ];
  for (const item of report.fieldIssues.slice(0, 10)) {
    lines.push(`    - ${item.sourceId} : ${item.issues.map((i) => `${i.field} (${i.message})`).join(' ; ')}`);
  }
  if (report.fieldIssues.length > 10) lines.push(`    … et ${report.fieldIssues.length - 10} autres.`);
  for (const item of report.rejected) {
    lines.push(`  rejeté ${item.sourceId} : ${item.issues.map((i) => `${i.field} (${i.message})`).join(' ; ')}`);
  }
  return lines.join('\n');
}
