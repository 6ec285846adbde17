/**
 * How long `npm run backup` and `npm run restore` take (issue 11, "Figures to report"), through the
 * real command-line programs (dist/server/*-cli.js, as `npm run` starts them), on two databases:
 * the seeded one (the real datasets) and the same plus 100,000 synthetic places (bench/generate.ts
 * through `bulkLoadPlaces`). Each backup is restored into a new empty database of the same server.
 *
 * `npx tsx bench/backup.ts [--places 100000]`, under `flock /tmp/epn-tests.lock` on a shared machine.
 * Uses an embedded PostgreSQL of its own in a temp folder (never the shared benchmark database:
 * it writes places). Figures go to bench/results/backup.json.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDatabaseIfMissing } from '../server/db/embedded.js';
import { loadBenchPlaces, openBenchDatabase } from './database.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results', 'backup.json');

interface Measure {
  database: string;
  places: number;
  rows: number;
  backup_seconds: number;
  backup_megabytes: number;
  restore_seconds: number;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  for (const file of await readdir(folder)) total += (await stat(path.join(folder, file))).size;
  return total;
}

/** One of the programs, as `npm run backup|restore` runs it once built: its wall time, start-up included. */
async function timeCli(program: 'backup-cli' | 'restore-cli', folder: string, databaseUrl: string): Promise<number> {
  const started = performance.now();
  await run(process.execPath, ['--enable-source-maps', `dist/server/${program}.js`, folder], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
  });
  return performance.now() - started;
}

async function measure(label: string, url: string, work: string, index: number): Promise<Measure> {
  const folder = path.join(work, `backup-${index}`);
  const backupMs = await timeCli('backup-cli', folder, url);
  const target = new URL(url);
  target.pathname = `/epn_restore_${index}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  await createDatabaseIfMissing(admin.toString(), `epn_restore_${index}`);
  const restoreMs = await timeCli('restore-cli', folder, target.toString());
  const manifest = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')) as {
    tables: { name: string; rows: number }[];
  };
  const result: Measure = {
    database: label,
    places: manifest.tables.find((t) => t.name === 'places')?.rows ?? 0,
    rows: manifest.tables.reduce((sum, t) => sum + t.rows, 0),
    backup_seconds: seconds(backupMs),
    backup_megabytes: Math.round((await folderBytes(folder)) / 1e5) / 10,
    restore_seconds: seconds(restoreMs),
  };
  console.log(`${label} : ${JSON.stringify(result)}`);
  await rm(folder, { recursive: true, force: true });
  return result;
}

async function main() {
  const placesArg = process.argv.indexOf('--places');
  const synthetic = placesArg > 0 ? Number(process.argv[placesArg + 1]) : 100_000;
  await run(process.execPath, ['scripts/build-server.mjs', '--if-stale'], { cwd: ROOT });
  const work = await mkdtemp(path.join(os.tmpdir(), 'epn-bench-backup-'));
  const bench = await openBenchDatabase(undefined, (message) => console.log(message));
  try {
    await loadBenchPlaces(bench.db, 0, 42, (message) => console.log(message));
    const measures = [await measure('seeded', bench.url, work, 1)];
    await loadBenchPlaces(bench.db, synthetic, 42, (message) => console.log(message));
    measures.push(await measure(`seeded + ${synthetic} synthetic places`, bench.url, work, 2));
    await mkdir(path.dirname(RESULTS), { recursive: true });
    const report = { date: new Date().toISOString(), cpus: os.cpus().length, measures };
    await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Écrit : ${path.relative(ROOT, RESULTS)}`);
  } finally {
    await bench.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
