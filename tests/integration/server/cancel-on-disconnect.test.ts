import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cancelQueriesOnDisconnect } from '../../../server/db/cancel-on-disconnect.js';
import { outsideRequests } from '../../../server/shared/outside-requests.js';
import { createDb } from '../../../server/db/knex.js';
import { testConfig } from '../../support/context.js';

/** Polls until `check` holds, or fails after `deadlineMs` (no assertion on how long it took). */
async function eventually(check: () => Promise<boolean>, deadlineMs = 10_000) {
  const until = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('La condition attendue n’est jamais arrivée');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a query whose client has gone is cancelled', () => {
  const config = testConfig();
  // The app's pool, and apart from it the test's own look at PostgreSQL.
  const db = createDb(config.DATABASE_URL!, { min: 0, max: 2 });
  const observer = createDb(config.DATABASE_URL!, { min: 0, max: 1 });
  const marker = `slow_request_${Math.floor(Math.random() * 1e9)}`;
  const errors: unknown[] = [];

  const app = express();
  const disconnects = cancelQueriesOnDisconnect(db, (_message, error) => errors.push(error));
  app.use(disconnects.middleware);
  app.get('/slow', async (_req, res) => {
    // A query as slow as a search that sorts a million rows: 60 s unless cancelled.
    await db.raw(`SELECT pg_sleep(60), '${marker}'`);
    res.send('fini');
  });
  // One query for two requests, as the index's display reads share one (display-reads.ts).
  let shared: Promise<unknown> | undefined;
  app.get('/shared', async (_req, res) => {
    shared ??= outsideRequests(async () => {
      await db.raw(`SELECT pg_sleep(1), 'shared_${marker}'`);
    });
    await shared;
    res.send('fini');
  });
  app.use(disconnects.dropAnswersToGoneClients);
  const server = app.listen(0, '127.0.0.1');

  afterAll(async () => {
    server.close();
    await db.destroy();
    await observer.destroy();
  });

  const running = async () => {
    const result = await observer.raw<{ rows: unknown[] }>(
      `SELECT pid FROM pg_stat_activity
        WHERE state = 'active' AND query LIKE ? AND query NOT LIKE '%pg_stat_activity%'`,
      [`%${marker}%`],
    );
    return result.rows.length;
  };
  const pool = () => (db.client as { pool: { numUsed(): number } }).pool;

  it('when the client of a slow request disconnects, then its query stops and its connection is free', async () => {
    const { port } = server.address() as AddressInfo;
    const request = http.get({ host: '127.0.0.1', port, path: '/slow' });
    request.on('error', () => {});
    await eventually(async () => (await running()) === 1);
    expect(pool().numUsed()).toBe(1);

    request.destroy();

    await eventually(async () => (await running()) === 0 && pool().numUsed() === 0);
    expect(errors).toEqual([]);
  });

  it('when a query was cancelled for a client who left, then its connection never serves another request', async () => {
    const { port } = server.address() as AddressInfo;
    const request = http.get({ host: '127.0.0.1', port, path: '/slow' });
    request.on('error', () => {});
    await eventually(async () => (await running()) === 1);
    const [cancelledBackend] = (
      await observer.raw<{ rows: { pid: number }[] }>(
        `SELECT pid FROM pg_stat_activity
          WHERE state = 'active' AND query LIKE ? AND query NOT LIKE '%pg_stat_activity%'`,
        [`%${marker}%`],
      )
    ).rows;

    request.destroy();
    await eventually(async () => (await running()) === 0 && pool().numUsed() === 0);

    // A late cancel would hit whatever that backend runs next: the next query runs elsewhere.
    for (let i = 0; i < 3; i++) {
      const next = await db.raw<{ rows: { pid: number }[] }>('SELECT pg_backend_pid() AS pid');
      expect(next.rows[0].pid).not.toBe(cancelledBackend.pid);
    }
  });

  it('when a query shared by two requests runs outside both, then one client leaving does not cancel it', async () => {
    const { port } = server.address() as AddressInfo;
    const first = http.get({ host: '127.0.0.1', port, path: '/shared' });
    first.on('error', () => {});
    await eventually(async () => (await running()) === 1);
    const second = new Promise<{ status?: number; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/shared' }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode, body }));
        })
        .on('error', reject);
    });

    first.destroy();

    expect(await second).toEqual({ status: 200, body: 'fini' });
    expect(errors).toEqual([]);
  });
});
