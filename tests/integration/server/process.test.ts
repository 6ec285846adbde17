import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { acceptedConnections, freePort, READY, spawnServer, stopAll, waitUntil } from '../../support/server-process.js';

/**
 * The real server as production runs it: `npm run build`, then `node dist/server/main.js` in a
 * child process, stopped with real signals. Seeding stays off to keep these fast.
 */

// A failed test must not leave a server (and its PostgreSQL) behind: SIGTERM stops both.
afterAll(stopAll, 60_000);

async function answers(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

beforeAll(() => {
  // npm run build ran once in tests/support/global-setup.ts, before every test file.
  expect(existsSync('dist/server/main.js')).toBe(true);
});

describe('the compiled server on an external database (DATABASE_URL)', () => {
  it('when built with npm run build, then node dist/server/main.js serves /healthz, and SIGTERM exits 0', async () => {
    const server = await spawnServer({ DATABASE_URL: inject('databaseUrl') });
    await server.waitFor(READY);
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // One JSON line per request, the same id as the header.
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('"path":"/healthz"'));
    expect(JSON.parse(line!).reqId).toBe(res.headers.get('x-request-id'));
  }, 90_000);

  it('when the port is already taken, then the server exits non-zero with a French message naming it', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const busy = await spawnServer({ DATABASE_URL: inject('databaseUrl') }, port);
      const { code } = await busy.exited;
      expect(code).toBe(1);
      expect(busy.output()).toContain(`Le port ${port} est déjà utilisé`);
      expect(busy.output()).not.toMatch(READY);
    } finally {
      blocker.close();
    }
  }, 90_000);
});

describe('the compiled server on its embedded PostgreSQL', () => {
  let directory: string;
  let pgPort: number;
  const env = () => ({ DATA_DIR: path.join(directory, 'data'), EMBEDDED_PG_PORT: String(pgPort) });
  const embeddedUrl = () => `postgres://postgres:epn-local-only@127.0.0.1:${pgPort}/epn_finder`;
  const postmasterPid = () => path.join(directory, 'data', 'postgres', 'postmaster.pid');

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'epn-process-'));
    // PostgreSQL runs as the unprivileged postgres user when we are root: it must reach the folder.
    await chmod(directory, 0o755);
    pgPort = await freePort();
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** Twice the pool: half run their query (held by a lock), half wait for a connection. */
  const IN_FLIGHT = 20;
  const whenSIGTERMArrivesUnderLoad =
    `when SIGTERM arrives with ${IN_FLIGHT} slow requests in flight, ` +
    'then every one completes 200, the process exits 0 and the embedded PostgreSQL is stopped';
  it(
    whenSIGTERMArrivesUnderLoad,
    async () => {
      // A wait for a pool connection longer than the test's lock: those requests are slow, not refused.
      const server = await spawnServer({ ...env(), DB_POOL_MAX: '10', DB_ACQUIRE_TIMEOUT_MS: '20000' });
      await server.waitFor(READY, 120_000);
      // Requests held by a lock: they are in flight, waiting on the database, when the signal comes.
      const locker = new pg.Client({ connectionString: embeddedUrl() });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE places IN ACCESS EXCLUSIVE MODE');
      const slow = Array.from({ length: IN_FLIGHT }, (_, i) =>
        // Lists of places with no point, each its own (the same list asked at once is read once and
        // then kept in memory): a query per request.
        fetch(`http://127.0.0.1:${server.port}/api/v1/places?limit=1&code_postal=${75001 + i}`).then(
          async (res) => {
            await res.arrayBuffer();
            return res.status;
          },
          (error: unknown) => String(error),
        ),
      );
      // Watched from another connection: inside the locker's transaction pg_stat_activity is a frozen snapshot.
      const watcher = new pg.Client({ connectionString: embeddedUrl() });
      await watcher.connect();
      await waitUntil(
        async () =>
          (await watcher.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).rowCount! >= 10,
      );
      await watcher.end();
      // The other half wait for a pool connection: every one of them has reached the server.
      await waitUntil(async () => (await acceptedConnections(server.child.pid!, server.port)) >= IN_FLIGHT);
      const signalled = performance.now();
      server.child.kill('SIGTERM');
      await server.waitFor(/SIGTERM reçu/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await locker.query('COMMIT');
      await locker.end();
      const statuses = await Promise.all(slow);
      const exit = await server.exited;
      const dropped = statuses.filter((status) => status !== 200);
      console.info(
        `SIGTERM sous charge : ${IN_FLIGHT} requêtes en cours, ${dropped.length} perdues ; ` +
          `arrêt complet ${Math.round(performance.now() - signalled)} ms après le signal.`,
      );
      expect(dropped).toEqual([]);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(existsSync(postmasterPid())).toBe(false);
      expect(await answers(embeddedUrl())).toBe(false);
    },
    150_000,
  );

  const whenPreviousServerWasKilled =
    'when the previous server was killed with kill -9, ' +
    'then the next start adopts the orphaned PostgreSQL, says so, and stops it at shutdown';
  it(
    whenPreviousServerWasKilled,
    async () => {
      const first = await spawnServer(env());
      await first.waitFor(READY, 120_000);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(await answers(embeddedUrl())).toBe(true); // the orphan

      const second = await spawnServer(env());
      await second.waitFor(READY, 120_000);
      expect(second.output()).toMatch(/orphelin/);
      second.child.kill('SIGTERM');
      expect(await second.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(postmasterPid())).toBe(false);
      expect(await answers(embeddedUrl())).toBe(false);
    },
    150_000,
  );
});
