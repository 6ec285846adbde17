/**
 * Memory and time of the open-data export, run on demand: `npm run bench:export`
 * (BENCH_EXPORT_SIZES=10000,100000 by default). Starts its own embedded PostgreSQL in a temp folder
 * (or uses DATABASE_URL — never the shared read-only benchmark database: this script migrates and
 * writes), fills it with the benchmark's synthetic places (bench/generate.ts) through the bulk path in
 * steps, and downloads /api/v1/export.csv, export.json and export.geojson through the real HTTP stack
 * at each size while sampling the process's memory. A streamed export keeps the peak flat whatever
 * the size. Results: bench/results/export.json. Nothing is asserted: it measures.
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
import { bulkLoadPlaces } from '../server/places/places.bulk.js';
import { seedLabels } from '../seeds/index.js';
import { generatePlaces } from './generate.js';

const SIZES = (process.env.BENCH_EXPORT_SIZES ?? '10000,100000').split(',').map(Number);

/**
 * `count` more synthetic places (the benchmark's generator: real communes, lists, hours, labels), through
 * the bulk path the benchmark itself uses (a former INSERT … SELECT through Knex hung here and never
 * produced a figure). Each step has its own seed, hence new ids.
 */
async function addPlaces(db: Db, count: number, seed: number) {
  await bulkLoadPlaces(db, generatePlaces({ count, seed, source: 'bench-export' }));
  await db.raw('ANALYZE places');
}

interface Download {
  bytes: number;
  ms: number;
  /** Highest RSS and heap seen (every 20 ms) above the start: garbage included. */
  peakRssMb: number;
  peakHeapMb: number;
  /**
   * Highest heap still in use right after a full collection (forced every 500 ms with --expose-gc):
   * what the export really holds. V8 lets garbage pile up to hundreds of MB before a major collection
   * when the heap limit allows it, so the raw peak says little about streaming.
   */
  peakLiveHeapMb: number | null;
  chunked: boolean;
}

/** Downloads a URL to nowhere while sampling memory; returns the peaks above the start. */
function download(url: string) {
  return new Promise<Download>((resolve, reject) => {
    const gc = global.gc;
    gc?.();
    const start = process.memoryUsage();
    let peakRss = start.rss;
    let peakHeap = start.heapUsed;
    let peakLive = start.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 20);
    const collector = gc
      ? setInterval(() => {
          gc();
          peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
        }, 500)
      : undefined;
    const started = performance.now();
    http
      .get(url, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => {
          clearInterval(sampler);
          clearInterval(collector);
          const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
          resolve({
            bytes,
            ms: Math.round(performance.now() - started),
            peakRssMb: mb(peakRss - start.rss),
            peakHeapMb: mb(peakHeap - start.heapUsed),
            peakLiveHeapMb: gc ? mb(peakLive - start.heapUsed) : null,
            chunked: res.headers['transfer-encoding'] === 'chunked' && res.headers['content-length'] === undefined,
          });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
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
    await seedLabels(db);
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
    for (const [step, size] of SIZES.entries()) {
      const started = performance.now();
      await addPlaces(db, size - loaded, step + 1);
      const loadMs = Math.round(performance.now() - started);
      loaded = size;
      const places = Number((await db('places').count('* as n'))[0].n);
      const csv = await download(`${base}/api/v1/export.csv`);
      const json = await download(`${base}/api/v1/export.json`);
      const geojson = await download(`${base}/api/v1/export.geojson`);
      results.push({ places, load_ms: loadMs, csv, json, geojson });
      const mo = (bytes: number) => (bytes / 1e6).toFixed(1);
      const line = (name: string, r: Download) =>
        `${name} : ${mo(r.bytes)} Mo en ${r.ms} ms, pic +${r.peakRssMb} Mo RSS / +${r.peakHeapMb} Mo tas ` +
        `/ +${r.peakLiveHeapMb ?? '?'} Mo tas vivant`;
      console.log(`${places} lieux — ${line('CSV', csv)} ; ${line('JSON', json)} ; ${line('GeoJSON', geojson)}.`);
    }
    server.close();
    await mkdir('bench/results', { recursive: true });
    await writeFile(
      'bench/results/export.json',
      `${JSON.stringify(
        { measured_at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, results },
        null,
        2,
      )}\n`,
    );
  } finally {
    await db.destroy();
    await stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  }
}

await main();
