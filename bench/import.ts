/**
 * Import speed, run on demand: `npm run bench:import` (BENCH_IMPORT_ROWS=100000 by default).
 * Writes BENCH_IMPORT_ROWS synthetic places (bench/generate.ts: real communes, real hours and
 * services) as a standard v1 CSV, then imports it twice through the same pipeline as
 * `npm run import` into a fresh embedded PostgreSQL (or BENCH_DATABASE_URL) holding the labels and
 * the communes: the first run creates (or merges) every row, the second finds them all unchanged.
 * Reports rows per second for both. Results: bench/results/import.json. Nothing is asserted.
 */
import { stringify } from 'csv-stringify/sync';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileImporter } from '../server/opendata/import/import-file.service.js';
import { systemClock } from '../server/shared/clock.js';
import { seedCommunes } from '../seeds/communes.seed.js';
import { seedFile, seedLabels } from '../seeds/index.js';
import { openBenchDatabase } from './database.js';
import { generatePlaces } from './generate.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'import.json');
const log = (message: string) => process.stderr.write(`${message}\n`);

const COLUMNS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'latitude',
  'longitude',
  'typologie',
  'telephone',
  'courriels',
  'horaires',
  'source',
  'date_maj',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'modalites_acces',
  'modalites_accompagnement',
];

function standardCsv(count: number): Buffer {
  const lines: unknown[][] = [];
  for (const row of generatePlaces({ count, source: 'bench-import' })) {
    lines.push([
      row.sourceId,
      row.pivot,
      row.nom,
      row.commune,
      row.codePostal,
      row.codeInsee,
      row.adresse,
      row.latitude,
      row.longitude,
      row.typologie.join('|'),
      row.telephone,
      row.courriels.join('|'),
      row.horaires,
      row.source,
      row.dateMaj,
      row.services.join('|'),
      row.publicsSpecifiquementAdresses.join('|'),
      row.priseEnChargeSpecifique.join('|'),
      row.fraisACharge.join('|'),
      row.modalitesAcces.join('|'),
      row.modalitesAccompagnement.join('|'),
    ]);
  }
  return Buffer.from(stringify(lines, { header: true, columns: COLUMNS }));
}

const database = await openBenchDatabase(process.env.BENCH_DATABASE_URL, log);
try {
  await seedLabels(database.db);
  await seedCommunes(database.db, seedFile('communes.json'), log);
  const bytes = standardCsv(ROWS);
  log(`${ROWS} lignes au standard v1 (${(bytes.length / 1e6).toFixed(1)} Mo).`);
  const importer = createFileImporter({ db: database.db, clock: systemClock });
  const runs = [];
  for (const name of ['premier import', 'second import (idempotent)']) {
    const started = performance.now();
    const report = await importer.importFile(bytes, { fileName: 'bench.csv' });
    const seconds = (performance.now() - started) / 1000;
    const { read, created, updated, unchanged, merged, rejected } = report;
    const run = {
      name,
      seconds: Math.round(seconds * 10) / 10,
      rows_per_second: Math.round(read / seconds),
      read,
      created,
      updated,
      unchanged,
      merged,
      rejected,
    };
    log(JSON.stringify(run));
    runs.push(run);
  }
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(
    RESULTS,
    `${JSON.stringify({ date: new Date().toISOString(), rows: ROWS, node: process.version, runs }, null, 2)}\n`,
  );
  log(`Résultats : ${RESULTS}`);
} finally {
  await database.stop();
}
