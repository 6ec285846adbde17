import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext, fixedClock } from '../../support/context.js';
import { anonymousAgent, createUser, loginAs, postForm, TEST_PASSWORD } from '../../support/session.js';

const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;
const tokenOf = (link: string) => new URL(link).searchParams.get('jeton')!;

describe('password reset by e-mailed one-time link', () => {
  const clock = fixedClock('2026-12-01T10:00:00Z');
  const { app, db, mailer, settled } = createTestContext({ clock });

  it('when the link is used, then the password changes, other sessions end and the link cannot be reused', async () => {
    const user = await createUser(db);
    const elsewhere = await loginAs(app, user);
    const res = await postForm(anonymousAgent(app), '/mot-de-passe-oublie', { email: user.email });
    expect(res.status).toBe(200);
    await settled();
    const link = mailer.lastTo(user.email)!.link!;
    const agent = anonymousAgent(app);
    const form = await agent.get(pathOf(link));
    expect(form.status).toBe(200);
    expect(form.headers['referrer-policy']).toBe('same-origin');
    const done = await postForm(agent, '/mot-de-passe/nouveau', {
      jeton: tokenOf(link),
      password: 'tout-nouveau-secret',
      password_confirm: 'tout-nouveau-secret',
    });
    expect(done.status).toBe(303);
    expect((await elsewhere.get('/mon-espace')).status).toBe(302);
    await loginAs(app, { email: user.email, password: 'tout-nouveau-secret' });
    await expect(loginAs(app, user)).rejects.toThrow(/401/);
    const reuse = await postForm(anonymousAgent(app), '/mot-de-passe/nouveau', {
      jeton: tokenOf(link),
      password: 'encore-un-autre-secret',
      password_confirm: 'encore-un-autre-secret',
    });
    expect(reuse.status).toBe(400);
    expect(reuse.text).toContain('Ce lien ne fonctionne plus');
    expect((await anonymousAgent(app).get(pathOf(link))).status).toBe(400);
  });

  it('when the link is older than one hour, then it is refused', async () => {
    const user = await createUser(db);
    clock.set('2026-12-01T10:00:00Z');
    await postForm(anonymousAgent(app), '/mot-de-passe-oublie', { email: user.email });
    await settled();
    const link = mailer.lastTo(user.email)!.link!;
    clock.set('2026-12-01T11:01:00Z');
    const res = await postForm(anonymousAgent(app), '/mot-de-passe/nouveau', {
      jeton: tokenOf(link),
      password: 'tout-nouveau-secret',
      password_confirm: 'tout-nouveau-secret',
    });
    expect(res.status).toBe(400);
    clock.set('2026-12-01T10:00:00Z');
    await loginAs(app, user);
  });

  it('when an unknown address asks for a reset, then the answer is the same and nothing is sent', async () => {
    await settled();
    const before = mailer.messages.length;
    const res = await postForm(anonymousAgent(app), '/mot-de-passe-oublie', { email: 'inconnue@exemple.test' });
    await settled();
    expect(res.status).toBe(200);
    expect(res.text).toContain('Si un compte existe');
    expect(mailer.messages.length).toBe(before);
  });

  it('when pages and mails are produced, then no password and no token hash ever appears in a page', async () => {
    const user = await createUser(db);
    const res = await postForm(anonymousAgent(app), '/connexion', {
      email: user.email,
      password: 'mauvais-mot-de-passe-123',
    });
    expect(res.text).not.toContain('mauvais-mot-de-passe-123');
    const hashes = await db('account_tokens').where({ user_id: user.id }).pluck('token_hash');
    const page = await (await loginAs(app, user)).get('/mon-espace');
    for (const hash of hashes) expect(page.text).not.toContain(hash);
    expect(page.text).not.toContain(TEST_PASSWORD);
    const sessions = await db('sessions').whereRaw(`(sess->>'userId')::bigint = ?`, [user.id]);
    expect(sessions.length).toBeGreaterThan(0);
    for (const row of sessions) expect(JSON.stringify(row.sess)).not.toContain(TEST_PASSWORD);
  });
});

describe('abuse limits (low limits, this file only)', () => {
  const { app, db } = createTestContext({
    config: { RATE_LIMIT_AUTH_PER_IP: '4', RATE_LIMIT_AUTH_PER_ACCOUNT: '3' },
  });

  const whenAccountGetsTooMany =
    'when one account gets too many failed log-ins from one connection, ' +
    'then that connection gets 429 with a French message, even for the right password';
  it(whenAccountGetsTooMany, async () => {
    const user = await createUser(db);
    for (let i = 0; i < 3; i += 1) {
      expect(
        (await postForm(anonymousAgent(app), '/connexion', { email: user.email, password: 'mauvais-mot-de-passe' }))
          .status,
      ).toBe(401);
    }
    const blocked = await postForm(anonymousAgent(app), '/connexion', { email: user.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Trop de tentatives pour ce compte');
  });

  it('when one IP signs up too often, then 429', async () => {
    let last = 0;
    for (let i = 0; i < 6; i += 1) {
      last = (await postForm(anonymousAgent(app), '/inscription', { email: 'x' })).status;
    }
    expect(last).toBe(429);
  });
});

describe('abuse limits count each action on its own (low limits)', () => {
  const { app, db, mailer, settled } = createTestContext({
    config: { RATE_LIMIT_AUTH_PER_IP: '4', RATE_LIMIT_AUTH_PER_ACCOUNT: '3' },
  });

  const whenPeopleSignSuccessfullyMany =
    'when people sign in successfully many times from one EPN (one IP), ' +
    'then they are never blocked: only failures count';
  it(whenPeopleSignSuccessfullyMany, async () => {
    const user = await createUser(db);
    for (let i = 0; i < 8; i += 1) {
      expect(
        (await postForm(anonymousAgent(app), '/connexion', { email: user.email, password: TEST_PASSWORD })).status,
      ).toBe(303);
    }
  });

  const whenSomeoneFailsLogAccount =
    'when someone fails to log in to an account many times, ' +
    'then its owner can still ask for a reset and receives the link';
  it(whenSomeoneFailsLogAccount, async () => {
    const victim = await createUser(db);
    for (let i = 0; i < 4; i += 1)
      await postForm(anonymousAgent(app), '/connexion', { email: victim.email, password: 'mauvais-mot-de-passe' });
    expect(
      (await postForm(anonymousAgent(app), '/connexion', { email: victim.email, password: TEST_PASSWORD })).status,
    ).toBe(429);
    const reset = await postForm(anonymousAgent(app), '/mot-de-passe-oublie', { email: victim.email });
    expect(reset.status).toBe(200);
    await settled();
    expect(mailer.lastTo(victim.email)?.link).toContain('/mot-de-passe/nouveau?jeton=');
  });
});

describe('reset requests for one address beyond its limit', () => {
  const { app, db, mailer, settled } = createTestContext({
    config: { RATE_LIMIT_AUTH_PER_IP: '10', RATE_LIMIT_AUTH_PER_ACCOUNT: '3' },
  });

  const whenAddressGetsMoreReset =
    'when an address gets more reset requests than its limit, ' +
    'then the answer is the same (no 429) and no more e-mail is sent';
  it(whenAddressGetsMoreReset, async () => {
    const user = await createUser(db);
    const answers = [];
    for (let i = 0; i < 5; i += 1)
      answers.push(await postForm(anonymousAgent(app), '/mot-de-passe-oublie', { email: user.email }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[4].text).toContain('Vérifiez votre boîte e-mail');
    await settled();
    expect(mailer.messages.filter((m) => m.to === user.email)).toHaveLength(3);
    // The latest link received still works: nobody can keep the owner from resetting.
    const link = mailer.lastTo(user.email)!.link!;
    expect((await request(app).get(pathOf(link))).status).toBe(200);
  });
});

describe('roles: requireRole', () => {
  const { app, db } = createTestContext();

  it('when the admins’ page is asked, then anonymous → 302 to log-in, mediator → 403, admin → 200', async () => {
    const anonymous = await anonymousAgent(app).get('/admin/utilisateurs');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/connexion?retour=%2Fadmin%2Futilisateurs');
    const mediator = await loginAs(app, await createUser(db, { role: 'mediator' }));
    expect((await mediator.get('/admin/utilisateurs')).status).toBe(403);
    const admin = await loginAs(app, await createUser(db, { role: 'admin' }));
    expect((await admin.get('/admin/utilisateurs')).status).toBe(200);
  });

  it('when an admin promotes a user, then the role changes and the decision is in the audit log', async () => {
    const target = await createUser(db);
    const admin = await createUser(db, { role: 'admin' });
    const anonymous = await postForm(anonymousAgent(app), `/admin/utilisateurs/${target.id}/role`, { role: 'admin' });
    expect(anonymous.status).toBe(401);
    const mediator = await postForm(await loginAs(app, await createUser(db)), `/admin/utilisateurs/${target.id}/role`, {
      role: 'admin',
    });
    expect(mediator.status).toBe(403);
    expect((await db('users').where({ id: target.id }).first()).role).toBe('mediator');
    const res = await postForm(await loginAs(app, admin), `/admin/utilisateurs/${target.id}/role`, {
      role: 'moderator',
    });
    expect(res.status).toBe(303);
    expect((await db('users').where({ id: target.id }).first()).role).toBe('moderator');
    const audit = await db('audit_log')
      .where({ subject_type: 'user', subject_id: String(target.id) })
      .first();
    expect(audit.actor_id).toBe(admin.id);
    expect(audit.details).toEqual({ from: 'mediator', to: 'moderator' });
  });
});

describe('sessions expire', () => {
  const clock = fixedClock('2026-12-01T10:00:00Z');
  const { app, db } = createTestContext({ clock, config: { SESSION_ABSOLUTE_HOURS: '8' } });

  const whenSessionOlderThanSESSION =
    'when a session is older than SESSION_ABSOLUTE_HOURS, then it no longer signs anyone in, however active it was';
  it(whenSessionOlderThanSESSION, async () => {
    const agent = await loginAs(app, await createUser(db));
    clock.set('2026-12-01T17:00:00Z');
    expect((await agent.get('/mon-espace')).status).toBe(200);
    clock.set('2026-12-01T18:01:00Z');
    expect((await agent.get('/mon-espace')).status).toBe(302);
  });
});

describe('cookies in production', () => {
  const { app, db } = createTestContext({ config: { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(48) } });

  it('when served behind HTTPS in production, then the session and CSRF cookies are Secure', async () => {
    const user = await createUser(db);
    const agent = anonymousAgent(app);
    const page = await agent.get('/connexion').set('X-Forwarded-Proto', 'https');
    expect([page.headers['set-cookie']].flat().join(',')).toMatch(/epn\.csrf=[^;]+;.*Secure/i);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    // The test agent talks plain HTTP, so it would not send Secure cookies back: send it by hand.
    const csrfCookie = /epn\.csrf=[^;]+/.exec([page.headers['set-cookie']].flat().join(','))![0];
    const res = await request(app)
      .post('/connexion')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ _csrf: token, email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    const sid = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('epn.sid='))!;
    expect(sid).toMatch(/Secure/i);
    expect(sid).toMatch(/HttpOnly/i);
    expect(sid).toMatch(/SameSite=Lax/i);
    expect(res.headers['strict-transport-security']).toContain('max-age=');
  });
});
