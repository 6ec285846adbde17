import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { anonymousAgent, createUser, csrfToken, loginAs } from '../../support/session.js';

describe('malformed cookies, static paths and bodies', () => {
  const { app, db } = createTestContext();

  it.each(['/', '/connexion', '/api/v1/places', '/labels'])(
    'when the CSRF cookie is badly percent-encoded, then %s still answers',
    async (path) => {
      const res = await request(app).get(path).set('Cookie', 'epn.csrf=%E0');
      expect(res.status).toBe(200);
    },
  );

  it('when a form is posted with a badly percent-encoded CSRF cookie, then 403 (expired form), not 500', async () => {
    const res = await request(app)
      .post('/connexion')
      .set('Cookie', 'epn.csrf=%E0; epn.sid=%E0')
      .type('form')
      .send({ _csrf: 'x', email: 'a@b.fr', password: 'x' });
    expect(res.status).toBe(403);
  });

  it.each(['/static/%E0.js', '/static/build/%E0%A4%A.css', '/static/%.js', '/static/%C0%AE%C0%AE/package.json'])(
    'when a static path is badly percent-encoded (%s), then 400 or 404, never 5xx',
    async (path) => {
      const res = await request(app).get(path).set('Accept-Encoding', 'gzip, br');
      expect([400, 404]).toContain(res.status);
    },
  );

  it('when a JSON body is nested 40,000 levels deep, then a 4xx answer, not a stack overflow', async () => {
    const deep = '['.repeat(40_000) + ']'.repeat(40_000);
    expect(deep.length).toBeLessThan(100 * 1024);
    const anonymous = await request(app).post('/api/v1/places').type('json').send(deep);
    expect(anonymous.status).toBeGreaterThanOrEqual(400);
    expect(anonymous.status).toBeLessThan(500);
    const agent = anonymousAgent(app);
    const token = await csrfToken(agent);
    const withToken = await agent
      .post('/connexion')
      .set('X-CSRF-Token', token)
      .type('json')
      .send(`{"email":${'['.repeat(40_000)}${']'.repeat(40_000)}}`);
    expect(withToken.status).toBeGreaterThanOrEqual(400);
    expect(withToken.status).toBeLessThan(500);
  });

  it('when a deep JSON body hides a NUL byte at the bottom, then 400 naming the field', async () => {
    const body = `{"a":${'['.repeat(5_000)}"x\\u0000"${']'.repeat(5_000)}}`;
    const res = await request(app).post('/api/v1/places').type('json').send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('a');
  });

  it('when a new place is proposed with no body at all, then the form is shown again (400), not 500', async () => {
    const agent = await loginAs(app, await createUser(db));
    const res = await agent.post('/mon-espace/nouveau-lieu').set('X-CSRF-Token', await csrfToken(agent));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Proposer un nouveau lieu');
  });
});
