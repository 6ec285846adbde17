import { randomInt } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace, northOf, randomSpot } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';
import { makeArticle } from '../articles/article-factory.js';

/** Places of their own in Corse-du-Sud (2A), a commune of their own, so that the list shows them. */
const inOwnCommune = () => ({ codePostal: '20000', codeInsee: `2A${randomInt(100, 999)}`, commune: 'Essai' });
const uniquePivot = () => `${randomInt(10_000_000, 99_999_999)}${randomInt(100_000, 999_999)}`;
const uniquePhone = () => `+336${randomInt(10_000_000, 99_999_999)}`;

describe('duplicate places: candidates, merge with 301, distinct, undo', () => {
  const { app, db } = createTestContext();

  async function moderator() {
    return loginAs(app, await createUser(db, { role: 'moderator' }));
  }

  const candidates =
    'when places share a SIRET, a similar name nearby or a phone in a commune, ' +
    'then each pair is proposed with its reasons';
  it(candidates, async () => {
    const pivot = uniquePivot();
    const siretA = await makePlace(db, { ...inOwnCommune(), pivot, nom: `Cyber-base Alpha ${pivot}` });
    const siretB = await makePlace(db, { ...inOwnCommune(), pivot, nom: `Maison France Services ${pivot}` });
    const here = randomSpot();
    const nameA = await makePlace(db, { ...inOwnCommune(), at: here, nom: `Médiathèque Jean Jaurès ${pivot}` });
    const nameB = await makePlace(db, {
      ...inOwnCommune(),
      at: northOf(here, 0.05),
      nom: `Mediatheque Jean-Jaures ${pivot}`,
    });
    const far = await makePlace(db, {
      ...inOwnCommune(),
      at: northOf(here, 2),
      nom: `Médiathèque Jean Jaurès ${pivot}`,
    });
    const commune = inOwnCommune();
    const phone = uniquePhone();
    const phoneA = await makePlace(db, { ...commune, telephone: phone, nom: `Espace numérique ${pivot}` });
    const phoneB = await makePlace(db, { ...commune, telephone: phone, nom: `Point info ${pivot}` });

    const page = await (await moderator()).get('/moderation/doublons?departement=2A');
    expect(page.status).toBe(200);
    const pairText = (a: { id: number }, b: { id: number }) => {
      const at = page.text.indexOf(`/moderation/doublons/${a.id}/${b.id}"`);
      expect(at, `pair ${a.id}/${b.id}`).toBeGreaterThan(-1);
      return page.text.slice(at, page.text.indexOf('</li>', at));
    };
    expect(pairText(siretA, siretB)).toContain('Même SIRET');
    expect(pairText(siretA, siretB)).toContain('Score : 60 / 100');
    expect(pairText(nameA, nameB)).toMatch(/Nom semblable à \d+ %, à (5\d|4\d) m/);
    expect(pairText(phoneA, phoneB)).toContain('Même téléphone dans la même commune');
    expect(page.text).not.toContain(`/moderation/doublons/${nameA.id}/${far.id}"`);
    expect(page.text).not.toContain(`/moderation/doublons/${nameB.id}/${far.id}"`);
  });

  const merge =
    'when a moderator merges a pair, then the chosen fields stay, labels and article links are united, ' +
    'and the old address answers 301; undoing puts everything back';
  it(merge, async () => {
    const [labelA, labelB] = [await makeLabel(db), await makeLabel(db)];
    const a = await makePlace(db, {
      ...inOwnCommune(),
      horaires: 'Mo 09:00-12:00',
      telephone: '+33442000000',
      labels: [labelA.slug],
    });
    const b = await makePlace(db, {
      ...inOwnCommune(),
      horaires: 'Tu 14:00-18:00',
      courriels: ['accueil@exemple.fr'],
      labels: [labelB.slug],
    });
    const article = await makeArticle(db, { places: [b.id] });
    const agent = await moderator();
    const side = await agent.get(`/moderation/doublons/${a.id}/${b.id}`);
    expect(side.status).toBe(200);
    expect(side.text).toContain('Mo 09:00-12:00');
    expect(side.text).toContain('Tu 14:00-18:00');

    const res = await postForm(agent, `/moderation/doublons/${a.id}/${b.id}/fusion`, {
      garder: 'a',
      version_a: 1,
      version_b: 1,
      champ_horaires: 'b',
      champ_courriels: 'b',
      champ_telephone: 'a',
    });
    expect(res.status).toBe(303);
    const mergeId = Number(/fusion=(\d+)/.exec(res.headers.location)![1]);

    const kept = await db('places').where({ id: a.id }).first();
    expect(kept).toMatchObject({ horaires: 'Tu 14:00-18:00', telephone: '+33442000000', status: 'published' });
    expect(kept.courriels).toEqual(['accueil@exemple.fr']);
    const labels = await db('place_labels').where({ place_id: a.id }).pluck('label_id');
    expect(labels.map(Number).sort()).toEqual([labelA.id, labelB.id].map(Number).sort());
    expect((await db('article_places').where({ article_id: article.id }).pluck('place_id')).map(Number)).toEqual([
      a.id,
    ]);
    const merged = await db('places').where({ id: b.id }).first();
    expect(merged.status).toBe('merged');
    expect(Number(merged.merged_into_id)).toBe(a.id);

    for (const path of [`/lieux/${b.id}`, `/lieux/${b.id}-ancien-nom`]) {
      const old = await request(app).get(path);
      expect(old.status, path).toBe(301);
      expect(old.headers.location).toMatch(new RegExp(`^/lieux/${a.id}-`));
    }
    const api = await request(app).get(`/api/v1/places/${b.id}`);
    expect(api.status).toBe(301);
    expect(api.headers.location).toBe(`/api/v1/places/${a.id}`);
    const audit = await db('audit_log')
      .where({ action: 'place.merged', subject_id: String(a.id) })
      .first();
    expect(audit).toBeTruthy();

    // Undo: both places as they were, the article back on the restored place.
    const undo = await postForm(agent, `/moderation/fusions/${mergeId}/annuler`);
    expect(undo.status).toBe(303);
    const restoredKept = await db('places').where({ id: a.id }).first();
    expect(restoredKept.horaires).toBe('Mo 09:00-12:00');
    expect(restoredKept.courriels).toEqual([]);
    expect((await db('place_labels').where({ place_id: a.id }).pluck('label_id')).map(Number)).toEqual([labelA.id]);
    expect(await db('places').where({ id: b.id }).first()).toMatchObject({ status: 'published', merged_into_id: null });
    expect((await request(app).get(`/lieux/${b.id}`)).status).toBe(301); // to its own canonical slug
    expect((await request(app).get(`/api/v1/places/${b.id}`)).status).toBe(200);
    expect((await db('article_places').where({ article_id: article.id }).pluck('place_id')).map(Number)).toEqual([
      b.id,
    ]);
    expect((await postForm(agent, `/moderation/fusions/${mergeId}/annuler`)).status).toBe(409);
  });

  it('when a pair is marked distinct, then it is never proposed again', async () => {
    const pivot = uniquePivot();
    const a = await makePlace(db, { ...inOwnCommune(), pivot });
    const b = await makePlace(db, { ...inOwnCommune(), pivot });
    const agent = await moderator();
    const pairLink = `/moderation/doublons/${a.id}/${b.id}"`;
    expect((await agent.get('/moderation/doublons?departement=2A')).text).toContain(pairLink);
    const res = await postForm(agent, `/moderation/doublons/${a.id}/${b.id}/distincts`);
    expect(res.status).toBe(303);
    expect((await agent.get('/moderation/doublons?departement=2A')).text).not.toContain(pairLink);
    // Asked the other way round, it is the same pair.
    await postForm(agent, `/moderation/doublons/${b.id}/${a.id}/distincts`);
    expect(await db('place_duplicate_dismissals').where({ place_a_id: a.id, place_b_id: b.id })).toHaveLength(1);
  });

  it('when a mediator opens the duplicates or posts a merge, then 403 and nothing changes', async () => {
    const a = await makePlace(db, { ...inOwnCommune() });
    const b = await makePlace(db, { ...inOwnCommune() });
    const agent = await loginAs(app, await createUser(db, { role: 'mediator' }));
    expect((await agent.get('/moderation/doublons')).status).toBe(403);
    expect((await agent.get(`/moderation/doublons/${a.id}/${b.id}`)).status).toBe(403);
    const res = await postForm(agent, `/moderation/doublons/${a.id}/${b.id}/fusion`, {
      garder: 'a',
      version_a: 1,
      version_b: 1,
    });
    expect(res.status).toBe(403);
    expect((await postForm(agent, `/moderation/doublons/${a.id}/${b.id}/distincts`)).status).toBe(403);
    expect((await db('places').where({ id: b.id }).first()).status).toBe('published');
    const anonymous = await request(app).get('/moderation/doublons');
    expect(anonymous.status).toBe(302);
  });

  it('when a merge is posted without the CSRF token, then 403 and nothing changes', async () => {
    const a = await makePlace(db, { ...inOwnCommune() });
    const b = await makePlace(db, { ...inOwnCommune() });
    const agent = await moderator();
    const res = await agent
      .post(`/moderation/doublons/${a.id}/${b.id}/fusion`)
      .type('form')
      .send({ garder: 'a', version_a: '1', version_b: '1' });
    expect(res.status).toBe(403);
    expect((await db('places').where({ id: b.id }).first()).status).toBe('published');
  });

  it('when one of the places changed since the page was opened, then 409 and nothing is merged', async () => {
    const a = await makePlace(db, { ...inOwnCommune() });
    const b = await makePlace(db, { ...inOwnCommune() });
    const agent = await moderator();
    const res = await postForm(agent, `/moderation/doublons/${a.id}/${b.id}/fusion`, {
      garder: 'a',
      version_a: 1,
      version_b: 2,
    });
    expect(res.status).toBe(409);
    expect((await db('places').where({ id: b.id }).first()).status).toBe('published');
  });
});
