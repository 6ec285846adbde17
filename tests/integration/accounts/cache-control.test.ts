import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { createUser, loginAs } from '../../support/session.js';

describe('private pages are never cached (shared EPN computers)', () => {
  const { app, db } = createTestContext();

  it('when someone is signed in, then every page, public ones included, says Cache-Control: no-store', async () => {
    const place = await makePlace(db);
    const admin = await loginAs(app, await createUser(db, { role: 'admin' }));
    for (const path of [
      '/mon-espace',
      '/moderation',
      '/moderation/journal',
      '/admin/utilisateurs',
      `/mon-espace/lieux/${place.id}/general`,
      `/mon-espace/lieux/${place.id}/historique`,
      '/',
      `/lieux/${place.id}`,
    ]) {
      const res = await admin.get(path);
      expect(res.status, path).toBeLessThan(400);
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
  });

  it('when nobody is signed in, then account pages, token links and private areas still say no-store', async () => {
    const token = 'a'.repeat(43);
    for (const path of [
      '/connexion',
      '/inscription',
      '/mot-de-passe-oublie',
      `/mot-de-passe/nouveau?jeton=${token}`,
      `/compte/verifier?jeton=${token}`,
      '/mon-espace',
      '/moderation',
      '/admin/utilisateurs',
    ]) {
      const res = await request(app).get(path);
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
  });

  it('when an anonymous visitor reads a public page, then it is not marked no-store', async () => {
    const res = await request(app).get('/');
    expect(res.headers['cache-control'] ?? '').not.toContain('no-store');
  });
});
