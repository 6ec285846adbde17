import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { csrfFrom } from '../../support/forms.js';
import { anonymousAgent, createUser, csrfToken, loginAs, postForm, TEST_PASSWORD } from '../../support/session.js';

const sidOf = (cookies: string[] | string | undefined) =>
  ([] as string[])
    .concat(cookies ?? [])
    .map((c) => /^epn\.sid=([^;]+)/.exec(c)?.[1])
    .find(Boolean);

describe('accounts: sign-up, verification, log-in, log-out', () => {
  const { app, db, mailer, settled } = createTestContext();

  const whenSomeoneSignsUp =
    'when someone signs up, then a verification link is e-mailed; ' +
    'the person who opens it chooses the password, is signed in, and the link works once';
  it(whenSomeoneSignsUp, async () => {
    const agent = anonymousAgent(app);
    const email = `nouvelle-${Date.now()}@exemple.test`;
    const res = await postForm(agent, '/inscription', {
      email,
      password: 'un-long-mot-de-passe',
      password_confirm: 'un-long-mot-de-passe',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Vérifiez votre boîte e-mail');
    await settled();
    const user = await db('users').where({ email }).first();
    expect(user.role).toBe('mediator');
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.email_verified_at).toBeNull();
    const link = mailer.lastTo(email)!.link!;
    const path = new URL(link).pathname + new URL(link).search;
    const form = await agent.get(path);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Confirmer mon adresse');
    const jeton = new URL(link).searchParams.get('jeton')!;
    const mismatch = await postForm(agent, '/compte/verifier', {
      jeton,
      password: 'un-long-mot-de-passe',
      password_confirm: 'un-autre-mot-de-passe',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Les deux mots de passe ne sont pas identiques.');
    const confirmed = await postForm(agent, '/compte/verifier', {
      jeton,
      password: 'un-long-mot-de-passe',
      password_confirm: 'un-long-mot-de-passe',
    });
    expect(confirmed.status).toBe(303);
    expect((await db('users').where({ email }).first()).email_verified_at).not.toBeNull();
    expect((await agent.get('/mon-espace')).text).toContain(email);
    expect((await agent.get(path)).status).toBe(400);
  });

  it('when the sign-up form is wrong, then French messages sit next to the fields and the e-mail is kept', async () => {
    const agent = anonymousAgent(app);
    const res = await postForm(agent, '/inscription', {
      email: 'pas-une-adresse',
      password: 'court',
      password_confirm: 'autre',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Adresse e-mail invalide.');
    expect(res.text).toContain('au moins 10 caractères');
    expect(res.text).toContain('value="pas-une-adresse"');
    expect(res.text).not.toContain('court');
  });

  it('when an address already has an account, then the page says the same and the owner is e-mailed', async () => {
    const user = await createUser(db);
    const res = await postForm(anonymousAgent(app), '/inscription', {
      email: user.email,
      password: 'un-long-mot-de-passe',
      password_confirm: 'un-long-mot-de-passe',
    });
    expect(res.status).toBe(200);
    await settled();
    expect(mailer.lastTo(user.email)!.subject).toContain('déjà un compte');
  });

  it('when a user logs in, then the header shows "Mon espace" and log-out ends the session', async () => {
    const user = await createUser(db);
    const agent = await loginAs(app, user);
    const space = await agent.get('/mon-espace');
    expect(space.status).toBe(200);
    expect(space.text).toContain(user.email);
    expect(space.text).toContain('href="/mon-espace"');
    expect(space.text).not.toContain('href="/connexion"');
    const out = await postForm(agent, '/deconnexion');
    expect(out.status).toBe(303);
    const after = await agent.get('/mon-espace');
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/connexion?retour=%2Fmon-espace');
  });

  it('when the password is wrong, then 401 with one message that does not say which part was wrong', async () => {
    const user = await createUser(db);
    const res = await postForm(anonymousAgent(app), '/connexion', {
      email: user.email,
      password: 'mauvais-mot-de-passe',
    });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Adresse e-mail ou mot de passe incorrect.');
    const unknown = await postForm(anonymousAgent(app), '/connexion', {
      email: 'personne@exemple.test',
      password: 'mauvais-mot-de-passe',
    });
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('Adresse e-mail ou mot de passe incorrect.');
  });

  it('when logging in, then the session id changes (no fixation); the cookie is HttpOnly, SameSite=Lax', async () => {
    const user = await createUser(db);
    const agent = await loginAs(app, user);
    const first = await agent.get('/mon-espace');
    expect(first.status).toBe(200);
    const token = await csrfToken(agent);
    const again = await agent
      .post('/connexion')
      .type('form')
      .send({ _csrf: token, email: user.email, password: TEST_PASSWORD });
    const before = sidOf(first.headers['set-cookie']);
    const after = sidOf(again.headers['set-cookie']);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const raw = ([] as string[]).concat(again.headers['set-cookie']).find((c) => c.startsWith('epn.sid='))!;
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    // The old session id no longer signs anyone in.
    const stale = await request(app)
      .get('/mon-espace')
      .set('Cookie', `epn.sid=${before ?? ''}`);
    expect(stale.status).toBe(302);
  });

  it('when a log-in asks to go back somewhere, then only a local path is followed', async () => {
    const user = await createUser(db);
    const agent = anonymousAgent(app);
    const local = await postForm(agent, '/connexion', {
      email: user.email,
      password: TEST_PASSWORD,
      retour: '/admin/utilisateurs',
    });
    expect(local.headers.location).toBe('/admin/utilisateurs');
    const evil = await postForm(anonymousAgent(app), '/connexion', {
      email: user.email,
      password: TEST_PASSWORD,
      retour: '//evil.example/',
    });
    expect(evil.headers.location).toBe('/mon-espace');
  });

  it('when a form is posted without its CSRF token or with a forged one, then 403 and nothing happens', async () => {
    const user = await createUser(db);
    const agent = anonymousAgent(app);
    await csrfFrom(agent, '/connexion');
    const missing = await agent.post('/connexion').type('form').send({ email: user.email, password: TEST_PASSWORD });
    expect(missing.status).toBe(403);
    const forged = await agent
      .post('/connexion')
      .type('form')
      .send({ _csrf: 'AAAAforgedAAAA', email: user.email, password: TEST_PASSWORD });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('Le formulaire a expiré');
    // A token from another browser (another cookie) is refused too.
    const other = await csrfToken(anonymousAgent(app));
    const stolen = await agent
      .post('/connexion')
      .type('form')
      .send({ _csrf: other, email: user.email, password: TEST_PASSWORD });
    expect(stolen.status).toBe(403);
    expect(sidOf(stolen.headers['set-cookie'])).toBeUndefined();
  });

  it('when a script posts to the API without a CSRF token, then 403 problem+json', async () => {
    const res = await request(app).post('/api/v1/places').send({ nom: 'x' });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.type).toContain('/csrf');
  });

  it('when the API is read, then CSRF does not get in the way and no session is created', async () => {
    const res = await request(app).get('/api/v1/labels');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('when any page is served, then security headers are there and the CSP forbids inline script', async () => {
    const res = await request(app).get('/connexion');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("script-src-attr 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>(?!\s*<\/script>)/);
  });
});
