/**
 * API benchmark, run on demand: `npm run bench` (optionally BENCH_SYNTHETIC=200000).
 * Starts its own embedded PostgreSQL in a temp folder (or uses DATABASE_URL), loads the real seeds plus
 * synthetic places spread over France, then times typical searches through the real HTTP stack.
 * Figures go to bench/results/api.json and api.md. Nothing here is asserted: it measures.
 */
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { startEmbeddedPostgres } from '../server/db/embedded.js';
import { createDb, type Db } from '../server/db/knex.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { runSeeds } from '../seeds/index.js';

const SYNTHETIC = Number(process.env.BENCH_SYNTHETIC ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

async function addSyntheticPlaces(db: Db, count: number) {
  const services = ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien', 'Insertion professionnelle via le numérique'];
  // One INSERT … SELECT generate_series: fast, and deterministic thanks to setseed.
  await db.raw('SELECT setseed(0.42)');
  await db.raw(
    `INSERT INTO places (source, source_id, nom, commune, code_postal, adresse, latitude, longitude, date_maj, services, frais_a_charge, horaires)
     SELECT 'bench', 'b' || g, 'Espace numérique ' || g, 'Commune ' || (g % 5000), lpad(((g % 95) + 1)::text, 2, '0') || '000',
            g || ' rue du Test', 42.3 + random() * 8.7, -4.5 + random() * 12.5, date '2026-01-01',
            ARRAY[(ARRAY[?, ?, ?]::text[])[1 + (g % 3)]], ARRAY['Gratuit'],
            CASE WHEN g % 4 = 0 THEN 'Mo-Fr 09:00-12:00,14:00-17:00; PH off' WHEN g % 4 = 1 THEN 'Tu-Sa 10:00-18:00' ELSE NULL END
     FROM generate_series(1, ?) AS g
     ON CONFLICT (source, source_id) DO NOTHING`,
    [...services, count],
  );
  await db.raw('ANALYZE places');
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  let stop = async () => {};
  let url = process.env.DATABASE_URL;
  let directory: string | undefined;
  if (!url) {
    directory = await mkdtemp(path.join(os.tmpdir(), 'epn-bench-'));
    await chmod(directory, 0o755);
    const embedded = await startEmbeddedPostgres({ directory: path.join(directory, 'pg'), port: 54400 + Math.floor(Math.random() * 500), databaseName: 'epn_bench' });
    url = embedded.connectionString;
    stop = embedded.stop;
  }
  const db = createDb(url);
  await migrateToLatest(db);
  let started = Date.now();
  await runSeeds(db, { log: () => {}, today: '2026-11-28' });
  const seedMs = Date.now() - started;
  started = Date.now();
  await addSyntheticPlaces(db, SYNTHETIC);
  const syntheticMs = Date.now() - started;
  const total = Number((await db('places').count('* as n'))[0].n);

  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-only-secret-'.padEnd(48, 'x') });
  const app = createApp({ config, db, log: () => {} });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const scenarios: Record<string, string> = {
    'nearest 20 around Marseille': '/api/v1/places?lat=43.2965&lon=5.3698',
    'nearest 20, sparse area, 5 km (fewer than 20 inside)': '/api/v1/places?lat=44.52&lon=3.5&radius_km=5',
    'nearest 20 + service filter': '/api/v1/places?lat=43.2965&lon=5.3698&services=Aide%20aux%20d%C3%A9marches%20administratives',
    'nearest 20 + label France Services, 300 km': '/api/v1/places?lat=45.76&lon=4.83&radius_km=300&labels=france-services',
    'nearest 20 open at Tuesday 10:00': '/api/v1/places?lat=48.8566&lon=2.3522&open_at=2026-12-01T10:00',
    'nearest 100 (max page)': '/api/v1/places?lat=43.2965&lon=5.3698&limit=100',
    'text search "mediatheque"': '/api/v1/places?q=mediatheque',
    'text search with typo "marseile"': '/api/v1/places?q=marseile',
    'bbox Bouches-du-Rhône': '/api/v1/places?bbox=4.2,43.1,5.8,43.9&limit=100',
    'place detail': '/api/v1/places/1',
  };
  const results: Record<string, { p50_ms: number; p95_ms: number; p99_ms: number; runs: number }> = {};
  for (const [name, pathname] of Object.entries(scenarios)) {
    for (let i = 0; i < 10; i++) await (await fetch(base + pathname)).arrayBuffer(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const res = await fetch(base + pathname);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 100) / 100;
    results[name] = { p50_ms: round(percentile(times, 50)), p95_ms: round(percentile(times, 95)), p99_ms: round(percentile(times, 99)), runs: RUNS };
  }
  const plan = (await db.raw(`EXPLAIN SELECT id FROM places p WHERE status = 'published' AND latitude IS NOT NULL
      ORDER BY ll_to_earth(p.latitude, p.longitude) <-> ll_to_earth(43.2965, 5.3698), p.id LIMIT 21`)).rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);

  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    places: total,
    seed_ms: seedMs,
    synthetic_places: SYNTHETIC,
    synthetic_insert_ms: syntheticMs,
    nearest_plan: plan,
    results,
  };
  await writeFile('bench/results/api.json', JSON.stringify(report, null, 2) + '\n');
  const lines = [`# API benchmark (${report.date.slice(0, 10)})`, '', `${total} places (real seeds + ${SYNTHETIC} synthetic), ${RUNS} sequential requests each over HTTP on loopback, ${report.machine.cpus} cores, Node ${process.version}.`, '', '| scenario | p50 ms | p95 ms | p99 ms |', '|---|---|---|---|'];
  for (const [name, r] of Object.entries(results)) lines.push(`| ${name} | ${r.p50_ms} | ${r.p95_ms} | ${r.p99_ms} |`);
  lines.push('', `Seeding the real data: ${seedMs} ms. Nearest-first plan:`, '', '```', ...plan, '```', '');
  await writeFile('bench/results/api.md', lines.join('\n'));
  console.log(lines.join('\n'));

  server.close();
  await db.destroy();
  await stop();
  if (directory) await rm(directory, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
