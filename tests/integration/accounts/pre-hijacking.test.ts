import request, { type Agent } from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { anonymousAgent, createUser, loginAs, postForm, TEST_PASSWORD } from '../../support/session.js';

const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;
const tokenOf = (link: string) => new URL(link).searchParams.get('jeton')!;
const OWNER_PASSWORD = 'le-vrai-mot-de-passe';

describe('confirming an address never hands the account to whoever created it (issue 11, defect 5)', () => {
  const { app, db, mailer, settled } = createTestContext();

  /** The owner opens the confirmation link in their own browser and does what the page asks. */
  async function ownerConfirms(link: string): Promise<Agent> {
    const owner = anonymousAgent(app);
    const page = await owner.get(pathOf(link));
    expect(page.status).toBe(200);
    if (page.text.includes('name="jeton"')) {
      const done = await postForm(owner, pathOf(link).split('?')[0], {
        jeton: tokenOf(link),
        password: OWNER_PASSWORD,
        password_confirm: OWNER_PASSWORD,
      });
      expect(done.status).toBe(303);
    }
    return owner;
  }

  const whenSomeoneSignsUpPlace =
    'when someone signs up with a place’s address and stays signed in, ' +
    'then the owner’s confirmation ends their session and they cannot take the place';
  it(whenSomeoneSignsUpPlace, async () => {
    const email = `accueil-${Date.now()}@mediatheque-essai.fr`;
    const place = await makePlace(db, { courriels: [email] });
    const intruder = anonymousAgent(app);
    await postForm(intruder, '/inscription', {
      email,
      password: 'mot-de-passe-intrus',
      password_confirm: 'mot-de-passe-intrus',
    });
    await settled();
    await postForm(intruder, '/connexion', { email, password: 'mot-de-passe-intrus' });

    const owner = await ownerConfirms(mailer.lastTo(email)!.link!);

    const claim = await postForm(intruder, `/mon-espace/lieux/${place.id}/demande`, {});
    expect([401, 403]).toContain(claim.status);
    expect(await db('place_managers').where({ place_id: place.id })).toEqual([]);
    expect((await intruder.get('/mon-espace')).status).toBe(302);
    // The password the intruder chose no longer opens the account.
    expect((await postForm(anonymousAgent(app), '/connexion', { email, password: 'mot-de-passe-intrus' })).status).toBe(
      401,
    );

    // The person who clicked is the one signed in, with the password they chose.
    expect((await owner.get('/mon-espace')).text).toContain(email);
    expect((await postForm(owner, `/mon-espace/lieux/${place.id}/demande`, {})).headers.location).toBe(
      `/mon-espace/lieux/${place.id}?message=gestion-acceptee`,
    );
    expect((await postForm(anonymousAgent(app), '/connexion', { email, password: OWNER_PASSWORD })).status).toBe(303);
  });

  it('when an unconfirmed account already had sessions, then confirming ends every one of them', async () => {
    const user = await createUser(db, { verified: false });
    const before = await loginAs(app, user);
    const resent = await postForm(before, '/compte/renvoyer-verification');
    expect(resent.status).toBe(303);
    await settled();
    await ownerConfirms(mailer.lastTo(user.email)!.link!);
    expect((await before.get('/mon-espace')).status).toBe(302);
    await expect(loginAs(app, user)).rejects.toThrow(/401/);
    expect((await db('users').where({ id: user.id }).first()).email_verified_at).not.toBeNull();
  });

  const whenConfirmationLinkOpened =
    'when the confirmation link is opened, ' +
    'then nothing is used up until the form is sent (mail scanners follow links)';
  it(whenConfirmationLinkOpened, async () => {
    const email = `scanner-${Date.now()}@exemple.test`;
    await postForm(anonymousAgent(app), '/inscription', {
      email,
      password: TEST_PASSWORD,
      password_confirm: TEST_PASSWORD,
    });
    await settled();
    const link = mailer.lastTo(email)!.link!;
    const first = await request(app).get(pathOf(link));
    expect(first.status).toBe(200);
    expect(first.headers['referrer-policy']).toBe('same-origin');
    expect((await request(app).get(pathOf(link))).status).toBe(200);
    expect((await db('users').where({ email }).first()).email_verified_at).toBeNull();
    await ownerConfirms(link);
    expect((await db('users').where({ email }).first()).email_verified_at).not.toBeNull();
    expect((await request(app).get(pathOf(link))).status).toBe(400);
  });

  const whenAddressNeverConfirmedSigns =
    'when an address that never confirmed signs up again, ' +
    'then a new confirmation link is sent (its owner can take it over)';
  it(whenAddressNeverConfirmedSigns, async () => {
    const user = await createUser(db, { verified: false });
    await postForm(anonymousAgent(app), '/inscription', {
      email: user.email,
      password: TEST_PASSWORD,
      password_confirm: TEST_PASSWORD,
    });
    await settled();
    expect(mailer.lastTo(user.email)!.link).toContain('/compte/verifier?jeton=');
  });
});
