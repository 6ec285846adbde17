/**
 * The load benchmark of issue 10, on demand and never in `npm test`:
 *   npm run bench -- --places 10000|100000|1000000 [--duration 10] [--warmup 3] [--connections 50] [--only text]
 * An embedded PostgreSQL in a temp folder (or BENCH_DATABASE_URL), migrated, the real seeds plus N
 * generated places through the bulk path; then, in one run and against the same rows: Express hello
 * (the framework's ceiling), the minimal Express + pg nearest-20 endpoint, and every request of the
 * issue's table against the application in production mode (a child process; BENCH_SERVER_COMMAND or
 * --server-command, default the compiled build `node dist/server/main.js`, which `npm run bench`
 * builds first). autocannon, warm-up then measure.
 * Results: bench/results/<N>.json and <N>.md. Nothing is asserted here: it measures.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadBenchPlaces, openBenchDatabase } from './database.js';
import { benchOptions, productionNodeFlags, type BenchOptions } from './options.js';
import { measureOverload, type OverloadResult } from './overload.js';
import { samplePeak, startServer, type RunningServer } from './processes.js';
import { markdownReport, withRatios, type BenchReport, type ScenarioResult } from './report.js';
import { buildScenarios, type Scenario, type Target } from './scenarios.js';
import { seededRandom } from './generate.js';

/** The scenarios also offered twice the throughput they sustained (see overload.ts). */
const OVERLOADED = ['nearest 20', 'text search q='];
const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const log = (message: string) => console.log(message);

function hammer(server: RunningServer, scenario: Scenario, options: BenchOptions, seconds: number) {
  let next = 0;
  return autocannon({
    url: server.url,
    connections: options.connections,
    duration: seconds,
    timeout: 10,
    headers: scenario.headers,
    requests: [
      {
        setupRequest: (request) => ({ ...request, path: scenario.paths[next++ % scenario.paths.length] }),
      },
    ],
  });
}

/**
 * Today a query keeps running after its client has gone (issue 10): the requests still in flight when
 * a scenario ends would slow the next one. Wait until a cheap request answers quickly again.
 */
async function settle(server: RunningServer, readyPath: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const started = performance.now();
    await fetch(server.url + readyPath)
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
    if (performance.now() - started < 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function measure(
  server: RunningServer,
  scenario: Scenario,
  options: BenchOptions,
  readyPath: string,
): Promise<ScenarioResult> {
  if (options.warmup > 0) {
    await hammer(server, scenario, options, options.warmup);
    await settle(server, readyPath);
  }
  const rss = samplePeak(() => server.rssMb());
  const result = await hammer(server, scenario, options, options.duration);
  const non2xx: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith('2')) non2xx[status] = (stats as { count: number }).count;
  }
  const outcome: ScenarioResult = {
    name: scenario.name,
    target: scenario.target,
    requests_per_s: Math.round(result.requests.average * 10) / 10,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    non_2xx: non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    rss_peak_mb: rss.stop(),
  };
  await settle(server, readyPath);
  log(
    `  ${scenario.name}: ${outcome.requests_per_s} req/s, p50 ${outcome.p50_ms} ms, p99 ${outcome.p99_ms} ms` +
      (Object.keys(non2xx).length ? `, non-2xx ${JSON.stringify(non2xx)}` : '') +
      (outcome.errors ? `, ${outcome.errors} errors` : '') +
      (outcome.requests === 0 ? `, none finished within ${options.duration} s` : ''),
  );
  return outcome;
}

/** A sample of synthetic places, drawn with the seed, for the place page and detail scenarios. */
async function samplePlaces(
  db: import('../server/db/knex.js').Db,
  seed: number,
): Promise<{ id: number; nom: string }[]> {
  const { max } = (await db('places').max('id as max').first()) as { max: number };
  const random = seededRandom(seed);
  const ids = Array.from({ length: 2000 }, () => 1 + Math.floor(random() * max));
  const rows = await db('places').select('id', 'nom').whereIn('id', ids).where('status', 'published');
  return rows.map((row: { id: unknown; nom: string }) => ({ id: Number(row.id), nom: row.nom }));
}

async function main() {
  const options = benchOptions(process.argv.slice(2), process.env);
  const database = await openBenchDatabase(options.databaseUrl, log);
  const servers: RunningServer[] = [];
  try {
    const load = await loadBenchPlaces(database.db, options.places, options.seed, log);
    const scenarios = buildScenarios(await samplePlaces(database.db, options.seed)).filter(
      (s) => s.target !== 'app' || !options.only || s.name.includes(options.only),
    );

    const commands: Record<Target, { command: string; env: Record<string, string>; ready: string }> = {
      hello: {
        command: `node ${productionNodeFlags} --import tsx bench/hello-server.ts`,
        env: { NODE_ENV: 'production' },
        ready: '/',
      },
      minimal: {
        command: `node ${productionNodeFlags} --import tsx bench/minimal-server.ts`,
        env: { NODE_ENV: 'production', DATABASE_URL: database.url },
        ready: '/nearest?lat=48.85&lon=2.35',
      },
      app: {
        command: options.serverCommand,
        env: {
          NODE_ENV: 'production',
          DATABASE_URL: database.url,
          SEED_ON_START: 'false',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'error',
          SESSION_SECRET: 'bench-only-session-secret-'.padEnd(48, 'x'),
        },
        ready: '/api/v1/places?lat=48.85&lon=2.35',
      },
    };

    const results: ScenarioResult[] = [];
    const overload: OverloadResult[] = [];
    let appRssAtRest = 0;
    let appStartupMs = 0;
    let appRssPeak = 0;
    for (const target of ['hello', 'minimal', 'app'] as Target[]) {
      const { command, env, ready } = commands[target];
      log(`${target} : ${command}`);
      const server = await startServer(command, env, ready);
      servers.push(server);
      if (target === 'app') {
        appRssAtRest = server.rssMb();
        appStartupMs = server.startupMs;
        log(`  started in ${appStartupMs} ms (index load included), RSS ${appRssAtRest} MB`);
      }
      for (const scenario of scenarios.filter((s) => s.target === target))
        results.push(await measure(server, scenario, options, ready));
      // Twice the sustained load: one in-memory read (CPU-bound) and one PostgreSQL-bound.
      for (const scenario of scenarios.filter((s) => target === 'app' && OVERLOADED.includes(s.name))) {
        const sustained = results.find((r) => r.name === scenario.name)?.requests_per_s ?? 0;
        const outcome = await measureOverload(server, scenario, sustained, options);
        log(`  overload ${scenario.name}: ${JSON.stringify(outcome)}`);
        overload.push(outcome);
        await settle(server, ready);
      }
      if (target === 'app')
        appRssPeak = Math.max(0, ...results.filter((r) => r.target === 'app').map((r) => r.rss_peak_mb));
      await server.stop();
      servers.pop();
    }

    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memory_gb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      settings: {
        places: options.places,
        seed: options.seed,
        connections: options.connections,
        warmup_s: options.warmup,
        duration_s: options.duration,
        server_command: options.serverCommand,
      },
      load,
      app_startup_ms: appStartupMs,
      app_rss_at_rest_mb: appRssAtRest,
      app_rss_peak_mb: appRssPeak,
      results: withRatios(results),
      overload,
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(path.join(RESULTS_DIR, `${options.places}.json`), JSON.stringify(report, null, 2) + '\n');
    const markdown = markdownReport(report);
    await writeFile(path.join(RESULTS_DIR, `${options.places}.md`), markdown);
    log(`\n${markdown}`);
  } finally {
    for (const server of servers) await server.stop();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
