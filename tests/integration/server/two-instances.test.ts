import http from 'node:http';
import type net from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/knex.js';
import { bareTestApp } from '../../support/context.js';
import { createUser, postForm } from '../../support/session.js';

/**
 * Two instances of the app, each with its own pool and its own port, on one database: what a load
 * balancer in front of N instances sees. Nothing either needs may live in its process or on its disk.
 */
const LIMIT = 4;

interface Instance {
  url: string;
  db: Db;
  server: http.Server;
}

async function startInstance(): Promise<Instance> {
  // The same settings for both, as every instance of one deployment gets; limits low to reach them.
  const { app, db } = bareTestApp({
    config: { RATE_LIMIT_AUTH_PER_IP: String(LIMIT), RATE_LIMIT_AUTH_PER_ACCOUNT: String(LIMIT) },
    // One deployment: one counting scope (the tests' other contexts each count apart).
    rateLimitScope: 'two-instances-test',
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, db, server };
}

const sessionCookie = (setCookie: string[] | string | undefined) =>
  ([setCookie ?? []].flat().find((cookie) => cookie.startsWith('epn.sid=')) ?? '').split(';')[0];

describe('two instances on one database', () => {
  let first: Instance;
  let second: Instance;
  beforeAll(async () => {
    [first, second] = await Promise.all([startInstance(), startInstance()]);
  });
  afterAll(async () => {
    for (const instance of [first, second]) {
      await new Promise((resolve) => instance.server.close(resolve));
      await instance.db.destroy();
    }
  });

  const whenSignedInOnFirst =
    'when a mediator signs in on one instance, then the same cookie opens their space on the other';
  it(whenSignedInOnFirst, async () => {
    const user = await createUser(first.db);
    const login = await postForm(request.agent(first.url), '/connexion', {
      email: user.email,
      password: user.password,
    });
    expect(login.status).toBe(303);
    const cookie = sessionCookie(login.headers['set-cookie']);
    expect(cookie).toMatch(/^epn\.sid=/);

    const onSecond = await request(second.url).get('/mon-espace').set('Cookie', cookie);
    expect(onSecond.status).toBe(200);
    expect(onSecond.text).toContain(user.email);
    // Without the cookie the same page sends to the log-in form: the 200 above is the session's doing.
    const anonymous = await request(second.url).get('/mon-espace');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/connexion/);
  });

  const whenFailedLogInsAlternate =
    'when failed log-ins for one address alternate between the instances, ' +
    'then the limit counts them together: the attempt past it is refused on either';
  it(whenFailedLogInsAlternate, async () => {
    const user = await createUser(first.db);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < LIMIT + 2; attempt += 1) {
      const instance = attempt % 2 === 0 ? first : second;
      const res = await postForm(request.agent(instance.url), '/connexion', {
        email: user.email,
        password: 'pas-le-bon-mot-de-passe',
      });
      statuses.push(res.status);
    }
    // Counted per instance, each would have allowed LIMIT attempts: 2 × LIMIT before any 429.
    expect(statuses.slice(0, LIMIT)).not.toContain(429);
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  });
});
