/**
 * The benchmark's database: an embedded PostgreSQL in a temp folder (or BENCH_DATABASE_URL), migrated,
 * seeded with the real reference data (labels, communes for the geocoder, the real places), then N
 * synthetic places through the bulk path. Only bench/ code uses this; the server never does.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../server/db/embedded.js';
import { createDb, type Db } from '../server/db/knex.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { bulkLoadPlaces, type BulkLoadReport } from '../server/places/places.bulk.js';
import { runSeeds } from '../seeds/index.js';
import { generatePlaces } from './generate.js';

export interface BenchDatabase {
  url: string;
  db: Db;
  stop(): Promise<void>;
}

/** `url` reuses an existing database (its synthetic rows are kept: the load is idempotent). */
export async function openBenchDatabase(
  url: string | undefined,
  log: (message: string) => void,
): Promise<BenchDatabase> {
  let stopEmbedded = async () => {};
  let directory: string | undefined;
  if (!url) {
    directory = await mkdtemp(path.join(os.tmpdir(), 'epn-bench-'));
    // The embedded server may run as the `postgres` user (when we are root): it must reach the folder.
    await chmod(directory, 0o755);
    const port = 54400 + Math.floor(Math.random() * 500);
    log(`PostgreSQL embarqué dans ${directory} (port ${port}).`);
    const embedded = await startEmbeddedPostgres({
      directory: path.join(directory, 'pg'),
      port,
      databaseName: 'epn_bench',
    });
    url = embedded.connectionString;
    stopEmbedded = () => embedded.stop();
  }
  const db = createDb(url);
  await migrateToLatest(db);
  return {
    url,
    db,
    async stop() {
      await db.destroy();
      await stopEmbedded();
      if (directory) await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface LoadTimings {
  seed_ms: number;
  copy_ms: number;
  insert_ms: number;
  analyze_ms: number;
  /** Each step after the COPY (the insert, each index build), in ms. */
  steps: Record<string, number>;
  load: BulkLoadReport;
  places_total: number;
}

/** Real seeds, then `count` generated places through the bulk path, then ANALYZE; each step timed. */
export async function loadBenchPlaces(
  db: Db,
  count: number,
  seed: number,
  log: (message: string) => void,
): Promise<LoadTimings> {
  const present = Number((await db('places').where({ source: 'bench' }).count('* as n'))[0].n);
  if (count > 0 && present >= count) {
    // A reused database (BENCH_DATABASE_URL) already holding the rows: a second idempotent load of
    // a million rows would take minutes and add nothing.
    log(`${present} lieux synthétiques déjà présents : chargement sauté.`);
    const placesTotal = Number((await db('places').count('* as n'))[0].n);
    return {
      seed_ms: 0,
      copy_ms: 0,
      insert_ms: 0,
      analyze_ms: 0,
      steps: {},
      load: { read: 0, inserted: 0, alreadyPresent: present, labelsLinked: 0 },
      places_total: placesTotal,
    };
  }
  let started = performance.now();
  await runSeeds(db, { log: () => {}, today: '2026-11-28' });
  const seedMs = performance.now() - started;
  log(`Données réelles chargées en ${Math.round(seedMs)} ms.`);

  started = performance.now();
  let copyMs = 0;
  const steps: Record<string, number> = {};
  const load = await bulkLoadPlaces(db, generatePlaces({ count, seed }), {
    onStaged: () => {
      copyMs = performance.now() - started;
    },
    onStep: (step, ms) => {
      steps[step] = Math.round(ms);
    },
  });
  const bulkMs = performance.now() - started;
  log(
    `${load.inserted} lieux synthétiques ajoutés (${load.alreadyPresent} déjà là, ${load.labelsLinked} labels) ` +
      `en ${Math.round(bulkMs)} ms (COPY ${Math.round(copyMs)} ms).`,
  );

  started = performance.now();
  await db.raw('ANALYZE places');
  await db.raw('ANALYZE place_labels');
  const analyzeMs = performance.now() - started;
  const placesTotal = Number((await db('places').count('* as n'))[0].n);
  return {
    seed_ms: Math.round(seedMs),
    copy_ms: Math.round(copyMs),
    insert_ms: Math.round(bulkMs - copyMs),
    analyze_ms: Math.round(analyzeMs),
    steps,
    load,
    places_total: placesTotal,
  };
}
