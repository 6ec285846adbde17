import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { createDb } from '../../../server/db/knex.js';
import { purgeEndedWindows } from '../../../server/http/rate-limit.repository.js';
import { createMemoryMailer } from '../../../server/mail/mailer.js';
import { placePath } from '../../../server/places/places.mapping.js';
import { REPORTS_PER_EMAIL } from '../../../server/reports/reports.limits.js';
import { fixedClock, testConfig } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { csrfFrom } from '../../support/forms.js';
import { createUser, postForm } from '../../support/session.js';

/**
 * Issue 11 (faults): abuse limits hold across instances. Two apps built on one database, as two
 * servers behind a load balancer, share their counters; in process memory each would allow the
 * limit once more.
 */
describe('abuse limits count across app instances (counters in PostgreSQL)', () => {
  const config = testConfig({
    RATE_LIMIT_AUTH_PER_IP: '4',
    RATE_LIMIT_AUTH_PER_ACCOUNT: '3',
    RATE_LIMIT_REPORTS_PER_IP: '100000',
  });
  const clock = fixedClock('2026-12-01T10:00:00Z');
  const scope = randomUUID();
  const databases = [
    createDb(config.DATABASE_URL!, { min: 0, max: 2 }),
    createDb(config.DATABASE_URL!, { min: 0, max: 2 }),
  ];
  const [first, second] = databases.map((db) =>
    createApp({ config, db, clock, mailer: createMemoryMailer(), log: () => {}, rateLimitScope: scope }),
  );
  const db = databases[0];
  afterAll(async () => {
    for (const each of databases) await each.destroy();
  });

  it('when failed log-ins from one IP are spread over two instances, then the limit counts them together', async () => {
    const user = await createUser(db);
    for (const app of [first, second, first, second]) {
      expect(
        (
          await postForm(request.agent(app), '/connexion', {
            email: `x-${randomUUID()}@exemple.test`,
            password: 'mauvais',
          })
        ).status,
      ).toBe(401);
    }
    expect(
      (await postForm(request.agent(first), '/connexion', { email: user.email, password: 'mauvais' })).status,
    ).toBe(429);
    expect(
      (await postForm(request.agent(second), '/connexion', { email: user.email, password: 'mauvais' })).status,
    ).toBe(429);
  });

  it('when sign-ups from one IP are spread over two instances, then the fifth is refused', async () => {
    const statuses = [];
    for (const app of [first, second, first, second, first]) {
      statuses.push((await postForm(request.agent(app), '/inscription', { email: 'pas-une-adresse' })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
  });

  const whenReportsEMailAddress =
    'when reports with one e-mail address are spread over two instances, ' +
    'then the per-address limit counts them together';
  it(whenReportsEMailAddress, async () => {
    const place = await makePlace(db);
    const email = `visiteur-${randomUUID()}@exemple.fr`;
    const report = async (app: typeof first) => {
      const agent = request.agent(app);
      const csrf = await csrfFrom(agent, placePath(place));
      return agent
        .post(`/lieux/${place.id}/signalement`)
        .type('form')
        .send({ _csrf: csrf, category: 'autre', message: 'Un message de test.', email });
    };
    for (let i = 0; i < REPORTS_PER_EMAIL; i += 1) expect((await report(i % 2 ? first : second)).status).toBe(303);
    expect((await report(first)).status).toBe(429);
    expect((await report(second)).status).toBe(429);
  });

  it('when the window has passed, then counting starts again and ended windows are purged', async () => {
    clock.set('2026-12-01T10:00:00Z');
    for (let i = 0; i < 5; i += 1)
      await postForm(request.agent(first), '/mot-de-passe-oublie', { email: 'pas-une-adresse' });
    expect((await postForm(request.agent(second), '/mot-de-passe-oublie', { email: 'pas-une-adresse' })).status).toBe(
      429,
    );
    clock.set('2026-12-01T10:16:00Z');
    expect((await postForm(request.agent(second), '/mot-de-passe-oublie', { email: 'pas-une-adresse' })).status).toBe(
      400,
    );
    const purged = await purgeEndedWindows(db, scope, clock.now());
    expect(purged).toBeGreaterThan(0);
    expect(
      await db('rate_limit_counters').where({ scope }).where('expires_at', '<', clock.now()).count('* as n').first(),
    ).toEqual({ n: 0 });
    clock.set('2026-12-01T10:00:00Z');
  });

  it('when counters are stored, then no e-mail address or IP appears in the table', async () => {
    const email = `trace-${randomUUID()}@exemple.test`;
    await postForm(request.agent(first), '/connexion', { email, password: 'mauvais' });
    const keys = await db('rate_limit_counters').where({ scope }).pluck('key');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toContain(email);
    }
  });
});
