import request, { type Agent } from 'supertest';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../server/accounts/accounts.repository.js';
import { createTestContext, fixedClock } from '../../support/context.js';
import { createUser, postForm, TEST_PASSWORD } from '../../support/session.js';

const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;
const tokenOf = (link: string) => new URL(link).searchParams.get('jeton')!;

describe('a flood of wrong passwords never locks the owner out (issue 11, defect 2)', () => {
  const clock = fixedClock('2026-12-01T10:00:00Z');
  const { app, db, mailer, settled } = createTestContext({
    clock,
    config: { RATE_LIMIT_AUTH_PER_IP: '8', RATE_LIMIT_AUTH_PER_ACCOUNT: '3' },
  });
  // The requests below come from several addresses, as through a reverse proxy on this machine.
  app.set('trust proxy', 'loopback');
  let lastIp = 0;
  /** A browser at a new public address (TEST-NET ranges). */
  const newVisitor = (): Agent => request.agent(app).set('X-Forwarded-For', `203.0.113.${(lastIp += 1)}`);
  const visitorAt = (ip: string): Agent => request.agent(app).set('X-Forwarded-For', ip);

  const whenTenAddressesEachSend =
    'when ten addresses each send a wrong password for one account, ' +
    'then its owner still signs in from another address';
  it(whenTenAddressesEachSend, async () => {
    const owner = await createUser(db);
    for (let i = 0; i < 10; i += 1) {
      expect(
        (await postForm(newVisitor(), '/connexion', { email: owner.email, password: 'mauvais-mot-de-passe' })).status,
      ).toBe(401);
    }
    const res = await postForm(visitorAt('198.51.100.20'), '/connexion', {
      email: owner.email,
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/mon-espace');
  });

  const whenOneAddressKeepsGuessing =
    'when one address keeps guessing one account, then that pair is stopped (429), ' +
    'but neither the owner elsewhere nor the address for another account';
  it(whenOneAddressKeepsGuessing, async () => {
    const target = await createUser(db);
    const other = await createUser(db);
    const guesser = '198.51.100.30';
    for (let i = 0; i < 3; i += 1) {
      expect(
        (await postForm(visitorAt(guesser), '/connexion', { email: target.email, password: 'mauvais-mot-de-passe' }))
          .status,
      ).toBe(401);
    }
    const blocked = await postForm(visitorAt(guesser), '/connexion', { email: target.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Trop de tentatives pour ce compte');
    expect(blocked.text).toContain('lien de connexion');
    // Letter case does not make another account.
    expect(
      (await postForm(visitorAt(guesser), '/connexion', { email: target.email.toUpperCase(), password: 'x' })).status,
    ).toBe(429);
    expect(
      (await postForm(visitorAt(guesser), '/connexion', { email: other.email, password: TEST_PASSWORD })).status,
    ).toBe(303);
    expect(
      (await postForm(visitorAt('198.51.100.31'), '/connexion', { email: target.email, password: TEST_PASSWORD }))
        .status,
    ).toBe(303);
  });

  it('when one address fails too often over many accounts, then it is stopped whatever the account', async () => {
    const ip = '198.51.100.40';
    for (let i = 0; i < 8; i += 1) {
      const someone = await createUser(db);
      expect(
        (await postForm(visitorAt(ip), '/connexion', { email: someone.email, password: 'mauvais-mot-de-passe' }))
          .status,
      ).toBe(401);
    }
    const fresh = await createUser(db);
    const res = await postForm(visitorAt(ip), '/connexion', { email: fresh.email, password: TEST_PASSWORD });
    expect(res.status).toBe(429);
    expect(res.text).toContain('Trop de tentatives depuis votre connexion');
  });

  it('when the owner asks for a sign-in link, then it signs them in once, and only its hash is stored', async () => {
    const owner = await createUser(db);
    const page = await request(app).get('/connexion');
    expect(page.text).toContain('href="/connexion/lien"');
    expect(page.text).toContain('Recevoir un lien de connexion');
    const asked = await postForm(newVisitor(), '/connexion/lien', { email: owner.email });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Vérifiez votre boîte e-mail');
    await settled();
    const link = mailer.lastTo(owner.email)!.link!;
    expect(link).toContain('/connexion/lien/ouvrir?jeton=');
    const stored = await db('account_tokens').where({ user_id: owner.id, purpose: 'sign_in' }).first();
    expect(stored.token_hash).toBe(hashToken(tokenOf(link)));
    expect(JSON.stringify(stored)).not.toContain(tokenOf(link));

    const browser = newVisitor();
    // Opening the link (as a mail scanner would) uses nothing: a button does.
    const opened = await browser.get(pathOf(link));
    expect(opened.status).toBe(200);
    expect(opened.headers['referrer-policy']).toBe('same-origin');
    expect((await browser.get(pathOf(link))).status).toBe(200);
    const signedIn = await postForm(browser, '/connexion/lien/ouvrir', { jeton: tokenOf(link) });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/mon-espace');
    expect((await browser.get('/mon-espace')).text).toContain(owner.email);

    const again = await postForm(newVisitor(), '/connexion/lien/ouvrir', { jeton: tokenOf(link) });
    expect(again.status).toBe(400);
    expect(again.text).toContain('Ce lien ne fonctionne plus');
  });

  it('when a sign-in link is older than 15 minutes, then it is refused', async () => {
    const owner = await createUser(db);
    clock.set('2026-12-01T10:00:00Z');
    await postForm(newVisitor(), '/connexion/lien', { email: owner.email });
    await settled();
    const link = mailer.lastTo(owner.email)!.link!;
    clock.set('2026-12-01T10:16:00Z');
    const late = await postForm(newVisitor(), '/connexion/lien/ouvrir', { jeton: tokenOf(link) });
    clock.set('2026-12-01T10:00:00Z');
    expect(late.status).toBe(400);
  });

  const whenAddressWithoutAccountAsks =
    'when an address without an account asks for a sign-in link, then the answer is the same and nothing is sent';
  it(whenAddressWithoutAccountAsks, async () => {
    const before = mailer.messages.length;
    const res = await postForm(newVisitor(), '/connexion/lien', { email: `personne-${Date.now()}@exemple.test` });
    await settled();
    expect(res.status).toBe(200);
    expect(res.text).toContain('Si un compte existe');
    expect(mailer.messages.length).toBe(before);
  });

  const whenFloodSignLinkRequests =
    'when a flood of sign-in link requests targets one address, ' +
    'then the answer stays the same and the latest link received works';
  it(whenFloodSignLinkRequests, async () => {
    const owner = await createUser(db);
    const answers = [];
    for (let i = 0; i < 5; i += 1)
      answers.push((await postForm(newVisitor(), '/connexion/lien', { email: owner.email })).status);
    await settled();
    expect(answers).toEqual([200, 200, 200, 200, 200]);
    expect(mailer.messages.filter((m) => m.to === owner.email)).toHaveLength(3);
    const link = mailer.lastTo(owner.email)!.link!;
    expect((await postForm(newVisitor(), '/connexion/lien/ouvrir', { jeton: tokenOf(link) })).status).toBe(303);
  });
});
