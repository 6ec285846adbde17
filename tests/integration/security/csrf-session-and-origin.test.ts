import request, { type Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { anonymousAgent, createUser, csrfToken, TEST_PASSWORD } from '../../support/session.js';

const cookieOf = (res: Response, name: string) => {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
  return header ? header.slice(name.length + 1).split(';')[0] : undefined;
};
const tokenOf = (res: Response) => /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '';

describe('CSRF tokens belong to one session, and other sites cannot post', () => {
  const { app, db } = createTestContext();

  /** Signs in through the real form, keeping the cookies by hand, as a browser would. */
  async function signIn(email: string) {
    const page = await request(app).get('/connexion');
    const login = await request(app)
      .post('/connexion')
      .set('Cookie', `epn.csrf=${cookieOf(page, 'epn.csrf') ?? ''}`)
      .type('form')
      .send({ _csrf: tokenOf(page), email, password: TEST_PASSWORD });
    expect(login.status).toBe(303);
    const session = { sid: cookieOf(login, 'epn.sid')!, nonce: cookieOf(login, 'epn.csrf')! };
    const cookie = `epn.sid=${session.sid}; epn.csrf=${session.nonce}`;
    const form = await request(app).get('/mot-de-passe-oublie').set('Cookie', cookie);
    return { ...session, cookie, token: tokenOf(form) };
  }
  const isSignedIn = async (cookie: string) =>
    (await request(app).get('/mon-espace').set('Cookie', cookie).redirects(0)).status === 200;

  it('when a signed-in person posts with their own token, then it is accepted (log-out works)', async () => {
    const person = await signIn((await createUser(db)).email);
    const res = await request(app)
      .post('/deconnexion')
      .set('Cookie', person.cookie)
      .type('form')
      .send({ _csrf: person.token });
    expect(res.status).toBe(303);
    expect(await isSignedIn(person.cookie)).toBe(false);
  });

  const whenAttackerPlantsTheirOwn =
    'when an attacker plants their own CSRF cookie and token on a signed-in person (cookie tossing), ' +
    'then 403 and nothing happens';
  it(whenAttackerPlantsTheirOwn, async () => {
    const attacker = await signIn((await createUser(db)).email);
    const victim = await signIn((await createUser(db)).email);
    const tossed = `epn.sid=${victim.sid}; epn.csrf=${attacker.nonce}`;
    const res = await request(app)
      .post('/deconnexion')
      .set('Cookie', tossed)
      .type('form')
      .send({ _csrf: attacker.token });
    expect(res.status).toBe(403);
    expect(await isSignedIn(victim.cookie)).toBe(true);
  });

  it('when a token made before log-in is sent after it, then 403 (the token is tied to the new session)', async () => {
    const user = await createUser(db);
    const page = await request(app).get('/connexion');
    const anonymousToken = tokenOf(page);
    const login = await request(app)
      .post('/connexion')
      .set('Cookie', `epn.csrf=${cookieOf(page, 'epn.csrf') ?? ''}`)
      .type('form')
      .send({ _csrf: anonymousToken, email: user.email, password: TEST_PASSWORD });
    const sid = cookieOf(login, 'epn.sid');
    // Keep the old nonce too: only the session differs from when the token was made.
    const res = await request(app)
      .post('/deconnexion')
      .set('Cookie', `epn.sid=${sid ?? ''}; epn.csrf=${cookieOf(page, 'epn.csrf') ?? ''}`)
      .type('form')
      .send({ _csrf: anonymousToken });
    expect(res.status).toBe(403);
  });

  describe('Origin and Referer', () => {
    async function loginPost(headers: Record<string, string>) {
      const user = await createUser(db);
      const agent = anonymousAgent(app);
      const token = await csrfToken(agent);
      const post = agent.post('/connexion').type('form');
      for (const [name, value] of Object.entries(headers)) post.set(name, value);
      return post.send({ _csrf: token, email: user.email, password: TEST_PASSWORD });
    }

    it.each([
      ['Origin from another site', { Origin: 'https://pirate.example' }],
      ['Origin of a sibling subdomain', { Origin: 'http://evil.epn.test' }],
      ['the same host on another port', { Origin: 'http://epn.test:8080' }],
      ['an opaque Origin (null)', { Origin: 'null' }],
      ['no Origin and a Referer from another site', { Referer: 'https://pirate.example/formulaire.html' }],
      [
        'an Origin from another site, even with a Referer of ours',
        { Origin: 'https://pirate.example', Referer: 'http://epn.test/connexion' },
      ],
    ])('when a form is posted with %s, then 403 in French and no session', async (_case, headers) => {
      const res = await loginPost(headers);
      expect(res.status).toBe(403);
      expect(res.text).toMatch(/autre site/);
      expect(cookieOf(res, 'epn.sid')).toBeUndefined();
    });

    it.each([
      ['our Origin (PUBLIC_BASE_URL)', { Origin: 'http://epn.test' }],
      ['no Origin and our Referer', { Referer: 'http://epn.test/connexion?suite=/mon-espace' }],
      ['neither Origin nor Referer (privacy settings): the session-bound token decides', {}],
    ])('when a form is posted with %s and a valid token, then it is accepted', async (_case, headers) => {
      const res = await loginPost(headers);
      expect(res.status).toBe(303);
    });

    it('when the API is read from another site, then the Origin does not matter (reads are not checked)', async () => {
      const res = await request(app).get('/api/v1/places').set('Origin', 'https://pirate.example');
      expect(res.status).toBe(200);
    });

    it('when a script on another site posts to the API, then 403 problem+json', async () => {
      const res = await request(app).post('/api/v1/places').set('Origin', 'https://pirate.example').send({});
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });
  });
});
