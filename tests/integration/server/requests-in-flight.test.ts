import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { limitRequestsInFlight } from '../../../server/http/requests-in-flight.js';
import { bareTestApp } from '../../support/context.js';

describe('requests in flight, bounded', () => {
  // Two requests at once, and a single pooled connection the test can hold.
  const { app, db } = bareTestApp({ config: { MAX_REQUESTS_IN_FLIGHT: '2' }, poolMax: 1, acquireTimeoutMs: 10_000 });
  const server = app.listen(0, '127.0.0.1');
  let base = '';
  beforeAll(() => {
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await db.destroy();
  });

  const whenTwoReadsAreInFlight =
    'when as many reads as allowed are in flight, then another read gets 503 with Retry-After at once, ' +
    'problem+json on the API and a French page elsewhere; probes, static files and writes are not turned away';
  it(whenTwoReadsAreInFlight, async () => {
    const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
    const held = await client.acquireConnection();
    // Two reads that wait for the held connection: both in flight.
    const waiting = [fetch(`${base}/api/v1/labels`), fetch(`${base}/api/v1/labels`)];
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = performance.now();
      const api = await request(server).get('/api/v1/labels');
      expect(performance.now() - started).toBeLessThan(1000);
      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toBe('1');
      expect(api.headers['content-type']).toContain('application/problem+json');
      expect(api.body).toMatchObject({ status: 503, detail: expect.stringContaining('trop de demandes') });

      const page = await request(server).get('/articles').set('Accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.text).toContain('trop de demandes');

      expect((await request(server).get('/healthz')).status).toBe(200);
      expect((await request(server).get('/static/css/site.css')).status).toBe(200);
      // A write is never turned away for load: it goes on to its own checks (here the CSRF one).
      const write = await request(server).post('/connexion').type('form').send({ email: 'a@b.fr' });
      expect(write.status).not.toBe(503);
    } finally {
      await client.releaseConnection(held);
    }
    expect((await Promise.all(waiting)).map((response) => response.status)).toEqual([200, 200]);
    // The reads done: the next one is served.
    expect((await request(server).get('/api/v1/labels')).status).toBe(200);
  });
});

describe('an answer already started', () => {
  // One request at once; `/stream` sends its head and a first chunk, then waits to be let go.
  let letGo = () => {};
  const app = express();
  app.use(limitRequestsInFlight(1, () => {}));
  app.get('/stream', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('début\n');
    letGo = () => res.end('fin\n');
  });
  app.get('/read', (_req, res) => res.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  afterAll(() => server.close());

  it('when a download has started and its reader is slow, then it no longer counts against other reads', async () => {
    const { port } = server.address() as AddressInfo;
    const download = await fetch(`http://127.0.0.1:${port}/stream`);
    expect(download.status).toBe(200);
    expect((await request(server).get('/read')).status).toBe(200);
    letGo();
    expect(await download.text()).toBe('début\nfin\n');
  });
});
