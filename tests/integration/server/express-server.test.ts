import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { createExpressServer } from '../../../server/http/express-server.js';
import { bareTestApp } from '../../support/context.js';

async function listening(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: http.Server) => new Promise((resolve) => server.close(resolve));

describe('the HTTP server of an Express app', () => {
  it('when a request arrives, then it is already made with the app’s prototypes, before Express sees it', async () => {
    const app = express();
    app.get('/', (req, res) => {
      res.json({ query: req.query, header: req.get('x-asked'), ip: req.ip });
    });
    const server = createExpressServer(app);
    const seen: boolean[] = [];
    // Runs before the app's own listener: what Node made, not what Express turned it into.
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      seen.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
      seen.push(req instanceof http.IncomingMessage, res instanceof http.ServerResponse);
    });
    const base = await listening(server);
    try {
      const answer = await fetch(`${base}/?ville=Lyon`, { headers: { 'x-asked': 'oui' } });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ query: { ville: 'Lyon' }, header: 'oui', ip: '127.0.0.1' });
      expect(seen).toEqual([true, true, true, true]);
    } finally {
      await close(server);
    }
  });

  it('when requests with bodies follow each other on one connection, then each is read and answered', async () => {
    const app = express();
    app.use(express.json());
    app.post('/echo', (req, res) => {
      res.status(201).set('X-Seen', String(req.body.n)).json(req.body);
    });
    const server = createExpressServer(app);
    const base = await listening(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const n of [1, 2, 3]) {
        const answer = await new Promise<{ status?: number; seen?: string; body: string }>((resolve, reject) => {
          const body = JSON.stringify({ n, text: 'é'.repeat(50_000) });
          const ask = http.request(`${base}/echo`, {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          });
          ask.on('response', (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode, seen: res.headers['x-seen'] as string, body: text }));
          });
          ask.on('error', reject);
          ask.end(body);
        });
        expect(answer.status).toBe(201);
        expect(answer.seen).toBe(String(n));
        expect(JSON.parse(answer.body)).toEqual({ n, text: 'é'.repeat(50_000) });
      }
    } finally {
      agent.destroy();
      await close(server);
    }
  });

  describe('with the whole application', () => {
    const { app, db } = bareTestApp();
    const server = createExpressServer(app);
    afterAll(async () => {
      await close(server);
      await db.destroy();
    });

    it('when the API and a page are asked, then they answer as with Node’s own server, bad input too', async () => {
      const base = await listening(server);
      const labels = await fetch(`${base}/api/v1/labels`);
      expect(labels.status).toBe(200);
      const bad = await fetch(`${base}/api/v1/places?lat=91&lon=2`);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const page = await fetch(`${base}/articles`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html lang="fr"');
    });
  });
});
