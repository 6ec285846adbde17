import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPlaceWrites } from '../../../server/places/place-writes.service.js';
import { createTestContext } from '../../support/context.js';
import { makePlace, northOf, randomSpot } from '../../support/factories.js';
import { createUser, loginAs } from '../../support/session.js';

const COMPLETE = {
  horaires: 'Mo-Fr 09:00-12:00',
  telephone: '+33442000000',
  courriels: ['contact@exemple.fr'],
  siteWeb: ['https://exemple.fr'],
  presentationResume: 'Aide au numérique',
  presentationDetail: 'Un espace ouvert à tous, avec six ordinateurs.',
  services: ['Aide aux démarches administratives'],
  publicsSpecifiquementAdresses: ['Seniors'],
  modalitesAcces: ['Se présenter'],
  modalitesAccompagnement: ['Accompagnement individuel'],
  fraisACharge: ['Gratuit'],
  dateMaj: '2026-11-20',
};

const qualityOf = async (db: ReturnType<typeof createTestContext>['db'], id: number) =>
  Number((await db('places').where({ id }).first('quality')).quality);

describe('the quality score, stored with each place', () => {
  const { app, db, clock } = createTestContext();
  const writes = createPlaceWrites({ db, clock });

  it('when a place is inserted, then its score is stored with it', async () => {
    const complete = await makePlace(db, { ...COMPLETE });
    const empty = await makePlace(db, { at: null, dateMaj: '2020-01-01' });
    expect(await qualityOf(db, complete.id)).toBe(100);
    expect(await qualityOf(db, empty.id)).toBe(0);
  });

  it('when a mediator fills in the hours, then the stored score rises in the same write', async () => {
    const place = await makePlace(db, { ...COMPLETE, horaires: null });
    expect(await qualityOf(db, place.id)).toBe(80);
    const result = await writes.saveFields(
      place.id,
      1,
      { horaires: 'Mo-Fr 09:00-12:00' },
      { author: { userId: null, role: 'mediator' }, kind: 'edit' },
    );
    expect(result.status).toBe('saved');
    expect(await qualityOf(db, place.id)).toBe(100);
  });

  it('when an old record is confirmed as still true, then it scores as fresh', async () => {
    const place = await makePlace(db, { ...COMPLETE, dateMaj: '2023-01-10' });
    expect(await qualityOf(db, place.id)).toBe(85);
    await writes.markVerified(place.id, { author: { userId: null, role: 'mediator' } });
    expect(await qualityOf(db, place.id)).toBe(100);
  });

  it('when the API is asked for min_quality=80, then only places scoring at least 80 come back', async () => {
    const here = randomSpot();
    const good = await makePlace(db, { ...COMPLETE, at: northOf(here, 0.1) });
    const poor = await makePlace(db, { at: northOf(here, 0.2) });
    const all = await request(app).get(`/api/v1/places?lat=${here.lat}&lon=${here.lon}&radius_km=2`);
    expect(all.body.items.map((i: { id: number }) => i.id)).toEqual([good.id, poor.id]);
    const filtered = await request(app).get(
      `/api/v1/places?lat=${here.lat}&lon=${here.lon}&radius_km=2&min_quality=80`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.map((i: { id: number }) => i.id)).toEqual([good.id]);
    const csv = await request(app).get(`/api/v1/export.csv?lat=${here.lat}&lon=${here.lon}&radius_km=2&min_quality=80`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(good.nom);
    expect(csv.text).not.toContain(poor.nom);
  });

  it('when min_quality is out of range or not a number, then 400 with a French message', async () => {
    const res = await request(app).get('/api/v1/places?min_quality=101');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('Le score de qualité va de 0 à 100.');
    expect((await request(app).get('/api/v1/places?min_quality=bien')).status).toBe(400);
  });

  it('when the OpenAPI document is read, then min_quality is listed for /places and the exports', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json')).body as {
      paths: Record<string, { get: { parameters: { name: string }[] } }>;
    };
    for (const path of ['/places', '/export.csv']) {
      expect(doc.paths[path].get.parameters.map((p) => p.name)).toContain('min_quality');
    }
  });
});

describe('the moderators’ quality dashboard', () => {
  const { app, db } = createTestContext();

  const worstFirst =
    'when a moderator filters on a département, then its places come worst first, each saying what is missing';
  it(worstFirst, async () => {
    const corse = { codePostal: '20290', codeInsee: '2B999', commune: 'Essai-en-Corse' };
    const good = await makePlace(db, { ...COMPLETE, ...corse, nom: `Bon lieu ${Date.now()}` });
    const poor = await makePlace(db, {
      ...COMPLETE,
      ...corse,
      horaires: null,
      courriels: [],
      nom: `Lieu à compléter ${Date.now()}`,
    });
    const agent = await loginAs(app, await createUser(db, { role: 'moderator' }));
    const res = await agent.get('/moderation/qualite?departement=2B');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Qualité des données — département 2B');
    const poorAt = res.text.indexOf(poor.nom);
    const goodAt = res.text.indexOf(good.nom);
    expect(poorAt).toBeGreaterThan(-1);
    expect(goodAt).toBeGreaterThan(poorAt);
    const poorRow = res.text.slice(poorAt, goodAt);
    expect(poorRow).toContain('Horaires (−20)');
    expect(poorRow).toContain('E-mail (−5)');
    expect(res.text).toContain(`href="/lieux/${poor.id}-`);
    expect(res.text).toMatch(/Excellente \(90 et plus\) : [1-9]\d* lieux/);
  });

  it('when a mediator opens the dashboard, then 403; anonymous, then the sign-in page', async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'mediator' }));
    expect((await agent.get('/moderation/qualite')).status).toBe(403);
    const anonymous = await request(app).get('/moderation/qualite');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/connexion/);
  });

  it('when the département is malformed, then 400', async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect((await agent.get('/moderation/qualite?departement=abc')).status).toBe(400);
  });
});
