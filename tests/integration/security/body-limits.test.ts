import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { anonymousAgent, csrfToken } from '../../support/session.js';

describe('body types and sizes', () => {
  const { app } = createTestContext();

  it('when an API write sends JSON over 100 KB, then 413 as problem+json', async () => {
    const res = await request(app)
      .post('/api/v1/places')
      .type('json')
      .send(JSON.stringify({ nom: 'a'.repeat(101 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 413, title: 'La requête est trop volumineuse.' });
  });

  it('when a form over 512 KB is posted, then 413 as the HTML error page', async () => {
    const res = await request(app)
      .post('/connexion')
      .type('form')
      .send(`email=${'a'.repeat(513 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('La requête est trop volumineuse.');
  });

  it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x'])(
    'when a write sends a %s body, then 415 (problem+json under /api, a page elsewhere), before the CSRF check',
    async (type) => {
      const api = await request(app).post('/api/v1/places').set('Content-Type', type).send('x=1');
      expect(api.status).toBe(415);
      expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(api.body.status).toBe(415);
      const page = await request(app).post('/connexion').set('Content-Type', type).send('email=a');
      expect(page.status).toBe(415);
      expect(page.text).toContain('Ce type de contenu n’est pas accepté');
    },
  );

  it('when JSON comes in a charset the parser does not read (Latin-1), then 415 as problem+json', async () => {
    const res = await request(app)
      .post('/api/v1/places')
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{}');
    expect(res.status).toBe(415);
    expect(res.body.status).toBe(415);
  });

  it('when a form is posted with no body, then it is judged as an empty form (the CSRF check refuses it)', async () => {
    const agent = anonymousAgent(app);
    await csrfToken(agent);
    const res = await agent.post('/connexion');
    expect(res.status).toBe(403);
  });
});
