import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../../server/db/embedded.js';
import { runningPostmasterPid } from '../../../server/db/postmaster.js';
import {
  freePort,
  postgresProcesses,
  READY,
  spawnServer,
  stopAll,
  waitUntil,
  type ServerProcess,
} from '../../support/server-process.js';

/**
 * The compiled server against a PostgreSQL of its own that the test pauses (SIGSTOP: no error,
 * just silence, as a frozen host) and kills (SIGQUIT: `pg_ctl stop -m immediate`), then brings back.
 * The server must answer 503 quickly all along, and serve again by itself once the database is back.
 */
/** How long the database stays paused, or down, under traffic (the 10 s). */
const OUTAGE_MS = 10_000;
const ACQUIRE_TIMEOUT_MS = 2000;
const STATEMENT_TIMEOUT_MS = 2000;

interface Probe {
  path: string;
  status: number;
  ms: number;
  contentType: string;
  retryAfter: string | null;
  body: string;
}

async function probe(server: ServerProcess, target: string, accept = 'application/json'): Promise<Probe> {
  const started = performance.now();
  try {
    const res = await fetch(`${server.url}${target}`, { headers: { accept }, signal: AbortSignal.timeout(20_000) });
    const body = await res.text();
    return {
      path: target,
      status: res.status,
      ms: performance.now() - started,
      contentType: res.headers.get('content-type') ?? '',
      retryAfter: res.headers.get('retry-after'),
      body,
    };
  } catch {
    return { path: target, status: 0, ms: performance.now() - started, contentType: '', retryAfter: null, body: '' };
  }
}

/** Waves of requests (probe, API, page) for `durationMs`, a few in parallel: what a load balancer and visitors send. */
async function trafficDuring(server: ServerProcess, durationMs: number): Promise<Probe[]> {
  const results: Probe[] = [];
  const until = Date.now() + durationMs;
  const worker = async () => {
    while (Date.now() < until) {
      results.push(
        ...(await Promise.all([
          probe(server, '/readyz'),
          probe(server, '/api/v1/labels'),
          probe(server, '/lieux/999999999-lieu-inconnu', 'text/html'),
        ])),
      );
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return results;
}

/** The figure the issue asks for: what /readyz answered during the outage, and its slowest answer. */
function readinessDuring(results: Probe[]): string {
  const readiness = results.filter((r) => r.path === '/readyz');
  const statuses = [...new Set(readiness.map((r) => r.status))].join('/');
  return `/readyz ${readiness.length}× ${statuses}, au plus ${Math.round(slowest(readiness))} ms`;
}

/** Time from now until the probe and an API read both answer 200 again. */
async function secondsToRecover(server: ServerProcess): Promise<number> {
  const started = performance.now();
  await waitUntil(
    async () =>
      (await probe(server, '/readyz')).status === 200 && (await probe(server, '/api/v1/labels')).status === 200,
    30_000,
  );
  return (performance.now() - started) / 1000;
}

function expectFastUnavailable(results: Probe[], slowestAllowedMs: number) {
  expect(results.length).toBeGreaterThan(0);
  for (const result of results) {
    expect({ path: result.path, status: result.status }).toEqual({ path: result.path, status: 503 });
    expect(result.ms).toBeLessThan(slowestAllowedMs);
    expect(result.retryAfter).toMatch(/^\d+$/);
  }
  for (const result of results.filter((r) => r.path === '/readyz')) expect(result.ms).toBeLessThan(2000);
  for (const result of results.filter((r) => r.path.startsWith('/api/'))) {
    expect(result.contentType).toContain('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ status: 503, type: expect.stringContaining('unavailable') });
  }
  for (const result of results.filter((r) => r.path.startsWith('/lieux/'))) {
    expect(result.contentType).toContain('text/html');
    expect(result.body).toContain('momentanément indisponible');
  }
}

/**
 * Stops the postmaster first, so it forks no new backend, then its children, then looks again for
 * a backend forked just before it stopped: one left running would still answer a query.
 */
async function pauseDatabase(postmasterPid: number): Promise<number[]> {
  const paused = new Set<number>();
  for (let look = 0; look < 3; look++) {
    for (const pid of await postgresProcesses(postmasterPid)) {
      if (paused.has(pid)) continue;
      process.kill(pid, 'SIGSTOP');
      paused.add(pid);
    }
  }
  return [...paused];
}

const slowest = (results: Probe[]) => Math.max(...results.map((r) => r.ms));

describe('the compiled server when its database stops answering', () => {
  let directory: string;
  let port: number;
  let database: EmbeddedDatabase;
  let server: ServerProcess;
  const startDatabase = () =>
    startEmbeddedPostgres({
      directory: path.join(directory, 'pg'),
      port,
      databaseName: 'epn_outage',
      restartIfItDies: false,
    });

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'epn-outage-'));
    await chmod(directory, 0o755);
    // A port the system says is free now (a random one in the ephemeral range may be some socket's).
    port = await freePort();
    database = await startDatabase();
    server = await spawnServer({
      DATABASE_URL: database.connectionString,
      DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
      STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    await server.waitFor(READY, 120_000);
  }, 180_000);

  afterAll(async () => {
    await stopAll();
    await database.stop();
    await rm(directory, { recursive: true, force: true });
  }, 60_000);

  const whenPaused =
    'when the database is paused (no answer at all), then /readyz says 503 within 2 s, ' +
    'API and pages answer 503 with Retry-After within a few seconds, and service resumes by itself';
  it(
    whenPaused,
    async () => {
      expect((await probe(server, '/api/v1/labels')).status).toBe(200);
      const pids = await pauseDatabase((await runningPostmasterPid(path.join(directory, 'pg')))!);
      let results: Probe[];
      try {
        results = await trafficDuring(server, OUTAGE_MS);
      } finally {
        for (const pid of pids) process.kill(pid, 'SIGCONT');
      }
      const recovery = await secondsToRecover(server);
      console.log(
        `Base en pause ${OUTAGE_MS / 1000} s : ${results.length} requêtes, ` +
          `la plus lente ${Math.round(slowest(results))} ms ; ` +
          `${readinessDuring(results)} ; service revenu ${recovery.toFixed(2)} s après la reprise.`,
      );
      // The slowest: a query already sent when the pause began waits for the client-side guard.
      expectFastUnavailable(results, STATEMENT_TIMEOUT_MS + 1000 + ACQUIRE_TIMEOUT_MS);
      expect(recovery).toBeLessThan(5);
    },
    60_000,
  );

  const whenKilled =
    'when the database is killed (immediate shutdown) and restarted, then every request meanwhile ' +
    'answers 503 at once, and the same server process serves again within seconds of its return';
  it(
    whenKilled,
    async () => {
      expect((await probe(server, '/api/v1/labels')).status).toBe(200);
      const postmaster = (await runningPostmasterPid(path.join(directory, 'pg')))!;
      process.kill(postmaster, 'SIGQUIT');
      await waitUntil(async () => (await runningPostmasterPid(path.join(directory, 'pg'))) === undefined, 10_000);
      const results = await trafficDuring(server, OUTAGE_MS);
      database = await startDatabase();
      const recovery = await secondsToRecover(server);
      console.log(
        `Base tuée ${OUTAGE_MS / 1000} s puis relancée : ${results.length} requêtes pendant l’arrêt, la plus lente ` +
          `${Math.round(slowest(results))} ms ; ${readinessDuring(results)} ; ` +
          `service revenu ${recovery.toFixed(2)} s après le redémarrage.`,
      );
      // "At once": none waits for a pool connection (ACQUIRE_TIMEOUT_MS). Alone this is ~80 ms at most;
      // a full CI run on two busy cores once stalled one answer to 1,028 ms, against a bound of 1,000.
      expectFastUnavailable(results, ACQUIRE_TIMEOUT_MS);
      expect(recovery).toBeLessThan(5);
      expect(server.child.exitCode).toBeNull(); // no restart of Node
    },
    90_000,
  );
});

describe('the compiled server on its embedded PostgreSQL, when that PostgreSQL dies', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'epn-outage-embedded-'));
    await chmod(directory, 0o755);
  }, 180_000);
  afterAll(async () => {
    await stopAll();
    await rm(directory, { recursive: true, force: true });
  }, 60_000);

  const whenPostmasterKilled =
    'when its PostgreSQL is killed with kill -9, then the server starts it again, says so in the log, ' +
    'serves again, and still stops it at shutdown';
  it(
    whenPostmasterKilled,
    async () => {
      const pgPort = await freePort();
      const dataDirectory = path.join(directory, 'data', 'postgres');
      const server = await spawnServer({ DATA_DIR: path.join(directory, 'data'), EMBEDDED_PG_PORT: String(pgPort) });
      await server.waitFor(READY, 120_000);
      const first = (await runningPostmasterPid(dataDirectory))!;
      process.kill(first, 'SIGKILL');
      const killedAt = performance.now();
      await server.waitFor(/s’est arrêté sans qu’on le lui demande/, 10_000);
      await server.waitFor(/PostgreSQL embarqué redémarré/, 30_000);
      const recovery = await secondsToRecover(server);
      console.log(
        `PostgreSQL embarqué tué (kill -9) : service revenu ${((performance.now() - killedAt) / 1000).toFixed(2)} s ` +
          `après (dernier contrôle ${recovery.toFixed(2)} s).`,
      );
      const second = await runningPostmasterPid(dataDirectory);
      expect(second).toBeDefined();
      expect(second).not.toBe(first);

      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(await runningPostmasterPid(dataDirectory)).toBeUndefined();
    },
    120_000,
  );
});
