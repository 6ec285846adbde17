/**
 * Does an answer's time tell whether an address has an account? (issue 11, defect 10)
 * `npx tsx bench/account-timing.ts` (BENCH_RUNS=200 by default): starts its own embedded PostgreSQL
 * in a temp folder (or uses DATABASE_URL), then times, through the real HTTP stack, a password reset
 * request and a sign-up for a known address and for unknown ones, alternating. E-mails go to an
 * in-memory mailer (an SMTP server would only widen a difference made before the answer).
 * Figures go to bench/results/account-timing.json. Nothing is asserted: it measures.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createAfterResponse } from '../server/accounts/after-response.js';
import { hashPassword } from '../server/accounts/passwords.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { startEmbeddedPostgres } from '../server/db/embedded.js';
import { createDb } from '../server/db/knex.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createMemoryMailer } from '../server/mail/mailer.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)];

async function main() {
  let directory: string | undefined;
  let url = process.env.DATABASE_URL;
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  if (!url) {
    directory = await mkdtemp(path.join(os.tmpdir(), 'epn-bench-accounts-'));
    await chmod(directory, 0o755);
    embedded = await startEmbeddedPostgres({
      directory: path.join(directory, 'data'),
      port: 54000 + Math.floor(Math.random() * 900),
      databaseName: 'epn_bench',
    });
    url = embedded.connectionString;
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_AUTH_PER_IP: '1000000',
    RATE_LIMIT_AUTH_PER_ACCOUNT: '1000000',
  });
  const db = createDb(url, { min: 0, max: 10 });
  await migrateToLatest(db);
  const known = `connue-${Date.now()}@exemple.test`;
  await db('users').insert({
    email: known,
    password_hash: await hashPassword('un-mot-de-passe-connu'),
    role: 'mediator',
    email_verified_at: new Date(),
  });
  const afterResponse = createAfterResponse(() => {});
  const app = createApp({ config, db, mailer: createMemoryMailer(), log: () => {}, afterResponse });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // One CSRF cookie and token, as a browser would have.
  const page = await fetch(`${base}/mot-de-passe-oublie`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (token === undefined) throw new Error('no CSRF token in the /mot-de-passe-oublie page');
  const post = async (route: string, fields: Record<string, string>) => {
    const started = performance.now();
    const res = await fetch(`${base}${route}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, ...fields }),
    });
    await res.arrayBuffer();
    const elapsed = performance.now() - started;
    await afterResponse.settled();
    return elapsed;
  };

  const results: Record<string, { known: number[]; unknown: number[] }> = {
    reset: { known: [], unknown: [] },
    signup: { known: [], unknown: [] },
  };
  const password = { password: 'un-mot-de-passe-long', password_confirm: 'un-mot-de-passe-long' };
  for (let i = 0; i < RUNS; i += 1) {
    results.reset.known.push(await post('/mot-de-passe-oublie', { email: known }));
    results.reset.unknown.push(
      await post('/mot-de-passe-oublie', { email: `inconnue-${i}-${Date.now()}@exemple.test` }),
    );
    results.signup.known.push(await post('/inscription', { email: known, ...password }));
    results.signup.unknown.push(
      await post('/inscription', { email: `nouvelle-${i}-${Date.now()}@exemple.test`, ...password }),
    );
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([action, { known: k, unknown: u }]) => [
      action,
      {
        runs: RUNS,
        knownMedianMs: Number(median(k).toFixed(2)),
        unknownMedianMs: Number(median(u).toFixed(2)),
        knownP90Ms: Number(p90(k).toFixed(2)),
        unknownP90Ms: Number(p90(u).toFixed(2)),
      },
    ]),
  );
  console.log(JSON.stringify(summary, null, 2));
  const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  await mkdir(out, { recursive: true });
  await writeFile(
    path.join(out, 'account-timing.json'),
    `${JSON.stringify({ date: new Date().toISOString(), ...summary }, null, 2)}\n`,
  );

  await new Promise((resolve) => server.close(resolve));
  await db.destroy();
  await embedded?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
