/**
 * Memory and time of the open-data export, run on demand: `npm run bench:export`
 * (BENCH_EXPORT_SIZES=10000,100000 by default). Starts its own embedded PostgreSQL in a temp folder
 * (or uses DATABASE_URL), fills it with synthetic places in steps, and downloads /api/v1/export.csv and
 * export.geojson through the real HTTP stack at each size while sampling the process's memory.
 * A streamed export keeps the peak flat whatever the size. Results: bench/results/export-memory.json.
 * Nothing is asserted: it measures.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { startEmbeddedPostgres } from '../server/db/embedded.js';
import { createDb, type Db } from '../server/db/knex.js';
import { migrateToLatest } from '../server/db/migrate.js';

const SIZES = (process.env.BENCH_EXPORT_SIZES ?? '10000,100000').split(',').map(Number);

/** Places `from`..`to` (one INSERT … SELECT), with lists and hours so every column has work to do. */
async function addPlaces(db: Db, from: number, to: number) {
  await db.raw(
    `INSERT INTO places (source, source_id, nom, commune, code_postal, adresse, latitude, longitude, date_maj,
                         services, frais_a_charge, modalites_accompagnement, horaires, presentation_resume)
     SELECT 'bench', 'b' || g, 'Espace numérique « ' || g || ' »', 'Commune ' || (g % 5000),
            lpad(((g % 95) + 1)::text, 2, '0') || '000', g || ' rue du Test, bâtiment "B"',
            42.3 + (g % 8700) / 1000.0, -4.5 + (g % 12500) / 1000.0, date '2026-01-01',
            ARRAY['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien'],
            ARRAY['Gratuit'], ARRAY['Accompagnement individuel', 'Dans un atelier collectif'],
            'Mo-Fr 09:00-12:00,14:00-17:00; PH off',
            'Un lieu pour apprendre le numérique, avec des ateliers et de l’aide individuelle.'
     FROM generate_series(?::int, ?::int) AS g
     ON CONFLICT (source, source_id) DO NOTHING`,
    [from, to],
  );
  await db.raw('ANALYZE places');
}

/** Downloads a URL to nowhere while sampling RSS and heap every 20 ms; returns the peaks above the start. */
function download(url: string) {
  return new Promise<{ bytes: number; ms: number; peakRssMb: number; peakHeapMb: number; chunked: boolean }>(
    (resolve, reject) => {
      global.gc?.();
      const start = process.memoryUsage();
      let peakRss = start.rss;
      let peakHeap = start.heapUsed;
      const sampler = setInterval(() => {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakHeap = Math.max(peakHeap, now.heapUsed);
      }, 20);
      const started = performance.now();
      http
        .get(url, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on('end', () => {
            clearInterval(sampler);
            const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
            resolve({
              bytes,
              ms: Math.round(performance.now() - started),
              peakRssMb: mb(peakRss - start.rss),
              peakHeapMb: mb(peakHeap - start.heapUsed),
              chunked: res.headers['transfer-encoding'] === 'chunked' && res.headers['content-length'] === undefined,
            });
          });
          res.on('error', reject);
        })
        .on('error', reject);
    },
  );
}

async function main() {
  let stop = async () => {};
  let url = process.env.DATABASE_URL;
  let directory: string | undefined;
  if (!url) {
    directory = await mkdtemp(path.join(os.tmpdir(), 'epn-bench-export-'));
    await chmod(directory, 0o755);
    const embedded = await startEmbeddedPostgres({
      directory: path.join(directory, 'pg'),
      port: 54400 + Math.floor(Math.random() * 500),
      databaseName: 'epn_bench',
    });
    url = embedded.connectionString;
    stop = () => embedded.stop();
  }
  const db = createDb(url);
  try {
    await migrateToLatest(db);
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'bench-only-secret-'.padEnd(48, 'x'),
    });
    const app = createApp({ config, db, log: () => {} });
    const server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const results = [];
    let loaded = 0;
    for (const size of SIZES) {
      await addPlaces(db, loaded + 1, size);
      loaded = size;
      const places = Number((await db('places').count('* as n'))[0].n);
      const csv = await download(`${base}/api/v1/export.csv`);
      const geojson = await download(`${base}/api/v1/export.geojson`);
      results.push({ places, csv, geojson });
      const mo = (bytes: number) => (bytes / 1e6).toFixed(1);
      console.log(
        `${places} lieux — CSV : ${mo(csv.bytes)} Mo en ${csv.ms} ms, ` +
          `pic +${csv.peakRssMb} Mo RSS / +${csv.peakHeapMb} Mo tas ; ` +
          `GeoJSON : ${mo(geojson.bytes)} Mo en ${geojson.ms} ms, pic +${geojson.peakRssMb} Mo RSS.`,
      );
    }
    server.close();
    await mkdir('bench/results', { recursive: true });
    await writeFile(
      'bench/results/export-memory.json',
      `${JSON.stringify({ measured_at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
    );
  } finally {
    await db.destroy();
    await stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  }
}

await main();
