import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { createDb } from '../../../server/db/knex.js';
import { createMemoryMailer } from '../../../server/mail/mailer.js';
import { createTestContext, fixedClock, testConfig } from '../../support/context.js';
import { captureLogs } from '../../support/log-capture.js';
import { createUser, postForm } from '../../support/session.js';

describe('request logs', () => {
  const { db } = createTestContext();
  const appLogging = (config: Record<string, string> = {}) => {
    const capture = captureLogs();
    const app = createApp({
      config: testConfig(config),
      db,
      clock: fixedClock('2026-12-01T10:00:00Z'),
      mailer: createMemoryMailer(),
      logger: capture.logger,
    });
    return { app, text: () => capture.text(), lines: () => capture.lines() };
  };

  const whenRequestAnswered =
    'when a request is answered, then it leaves one JSON line with the request id sent back as X-Request-Id, ' +
    'method, path, status and duration';
  it(whenRequestAnswered, async () => {
    const { app, lines } = appLogging();
    const res = await request(app).get('/healthz');
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const logged = lines().filter((line) => line.reqId === id);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ req: { method: 'GET', path: '/healthz' }, res: { status: 200 } });
    expect(typeof logged[0].durationMs).toBe('number');
  });

  const whenLevelError =
    'when the level is error, then an answered request writes nothing, and a failed one its line at level error';
  it(whenLevelError, async () => {
    const capture = captureLogs('error');
    const deadDb = createDb('postgres://nobody:nothing@127.0.0.1:1/none');
    const app = createApp({ config: testConfig(), db: deadDb, mailer: createMemoryMailer(), logger: capture.logger });
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect(capture.lines()).toEqual([]);
    const failed = await request(app).get('/api/v1/labels');
    await deadDb.destroy();
    expect(failed.status).toBe(503);
    const line = capture.lines().find((logged) => logged.reqId === failed.headers['x-request-id'] && logged.res);
    expect(line).toMatchObject({ level: 50, req: { method: 'GET', path: '/api/v1/labels' }, res: { status: 503 } });
  });

  it('when the caller sends a well-formed X-Request-Id, then it is kept; a malformed one is replaced', async () => {
    const { app } = appLogging();
    expect((await request(app).get('/healthz').set('X-Request-Id', 'proxy-42.abc')).headers['x-request-id']).toBe(
      'proxy-42.abc',
    );
    // Replaced by a new UUID (which may itself hold the letters "bad": it is hexadecimal).
    const replaced = (await request(app).get('/healthz').set('X-Request-Id', 'bad id\twith spaces')).headers[
      'x-request-id'
    ];
    expect(replaced).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('when someone logs in, then no cookie, CSRF token, password or e-mail address reaches the log', async () => {
    const { app, text, lines } = appLogging();
    const user = await createUser(db);
    const agent = request.agent(app);
    const res = await postForm(agent, '/connexion', { email: user.email, password: user.password });
    expect(res.status).toBe(303);
    const cookies = [res.headers['set-cookie']]
      .flat()
      .filter(Boolean)
      .map((cookie) => cookie.split(';')[0].split('=')[1]);
    const written = text();
    expect(lines().some((line) => (line.req as { method?: string } | undefined)?.method === 'POST')).toBe(true);
    expect(written).not.toContain(user.email);
    expect(written).not.toContain(user.password);
    for (const cookie of cookies) expect(written).not.toContain(cookie);
    expect(written).not.toMatch(/_csrf=[^&[]/);
    expect(written.toLowerCase()).not.toContain('cookie');
  });

  it('when the database cannot be reached, then 503 and its cause is logged with the request id', async () => {
    // A route that reads the database, on an app whose pool cannot connect: the one error handler logs it.
    const deadDb = createDb('postgres://nobody:nothing@127.0.0.1:1/none');
    const capture = captureLogs();
    const { logger } = capture;
    const lines = () => capture.lines();
    const app = createApp({ config: testConfig(), db: deadDb, mailer: createMemoryMailer(), logger });
    const res = await request(app).get('/api/v1/labels');
    await deadDb.destroy();
    expect(res.status).toBe(503);
    const errors = lines().filter(
      (line) => line.level === 40 && line.cause && line.reqId === res.headers['x-request-id'],
    );
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('TRUST_PROXY', () => {
  const { db } = createTestContext();
  const productionApp = (trustProxy?: string) => {
    const capture = captureLogs();
    const config = testConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}),
    });
    return {
      app: createApp({
        config,
        db,
        clock: fixedClock('2026-12-01T10:00:00Z'),
        mailer: createMemoryMailer(),
        logger: capture.logger,
      }),
      text: () => capture.text(),
      lines: () => capture.lines(),
    };
  };

  it('when a proxy that TRUST_PROXY names forwards HTTPS, then log-in sets the secure session cookie', async () => {
    const { app } = productionApp('loopback');
    const user = await createUser(db);
    // Secure cookies: a cookie jar would not send them back over the test's plain HTTP, so by hand.
    const page = await request(app).get('/connexion').set('X-Forwarded-Proto', 'https');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const cookies = [page.headers['set-cookie']]
      .flat()
      .filter(Boolean)
      .map((cookie) => cookie.split(';')[0]);
    const res = await request(app)
      .post('/connexion')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookies.join('; '))
      .type('form')
      .send({ _csrf: csrf, email: user.email, password: user.password });
    expect(res.status).toBe(303);
    expect([res.headers['set-cookie']].flat().join(',')).toMatch(/epn\.sid=.*Secure/);
  });

  const whenProxyNotTrusted =
    'when the proxy is not trusted (TRUST_PROXY=false), ' +
    'then the request counts as plain HTTP and the log says why log-in will set no cookie';
  it(whenProxyNotTrusted, async () => {
    const { app, lines } = productionApp('false');
    const res = await request(app).get('/connexion').set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(200);
    const warning = lines().find((line) => line.level === 40);
    expect(String(warning?.msg)).toContain('TRUST_PROXY');
  });
});
