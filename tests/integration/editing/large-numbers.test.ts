import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';

// PostgreSQL `integer` stops at 2 147 483 647: one more used to reach the database and answer 500.
const TOO_BIG = '2147483648';

describe('ids and versions beyond PostgreSQL integers', () => {
  const { app, db } = createTestContext();

  const whenMediatorPostsVersionRevision =
    'when a mediator posts a version, a revision or a label id of 2147483648, ' +
    'then 400 (never 500) and nothing changes';
  it(whenMediatorPostsVersionRevision, async () => {
    const place = await makePlace(db);
    const user = await createUser(db);
    await db('place_managers').insert({
      place_id: place.id,
      user_id: user.id,
      status: 'approved',
      method: 'moderator',
    });
    const agent = await loginAs(app, user);
    const general = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: TOO_BIG,
      nom: 'Nouveau nom',
      adresse: '1 rue',
      complement_adresse: '',
      code_postal: '13500',
      commune: 'Martigues',
      latitude: '43.4',
      longitude: '5.05',
    });
    expect(general.status).toBe(400);
    expect(general.text).toContain('rechargez la page');
    expect(
      (await postForm(agent, `/mon-espace/lieux/${place.id}/historique/1/retablir`, { version: TOO_BIG })).status,
    ).toBe(400);
    expect(
      (await postForm(agent, `/mon-espace/lieux/${place.id}/historique/${TOO_BIG}/retablir`, { version: '1' })).status,
    ).toBe(400);
    expect((await postForm(agent, `/mon-espace/lieux/${place.id}/labels`, { add: TOO_BIG })).status).toBe(400);
    expect((await postForm(agent, `/mon-espace/lieux/${place.id}/general`, { version: '1e400' })).status).toBe(400);
    expect((await agent.get(`/mon-espace/lieux/${TOO_BIG}`)).status).toBe(400);
    expect((await agent.get(`/mon-espace/lieux/${TOO_BIG}/demande`)).status).toBe(400);
    expect((await agent.get(`/lieux/${TOO_BIG}-lieu`)).status).toBeLessThan(500);
    expect((await db('places').where({ id: place.id }).first()).version).toBe(1);
  });

  it('when the largest integer is used, then it is simply not found', async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect((await agent.get('/mon-espace/lieux/2147483647')).status).toBe(404);
  });

  it('when a moderator or an admin posts an id or a version of 2147483648, then 400 (never 500)', async () => {
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect((await postForm(moderator, `/moderation/demandes/${TOO_BIG}`, { decision: 'accept' })).status).toBe(400);
    expect((await postForm(moderator, `/moderation/propositions/${TOO_BIG}`, { decision: 'accept' })).status).toBe(400);
    expect((await postForm(moderator, `/moderation/labels/${TOO_BIG}`, { decision: 'accept' })).status).toBe(400);
    expect((await postForm(moderator, `/moderation/gestionnaires/${TOO_BIG}/retirer`, { reason: 'test' })).status).toBe(
      400,
    );
    expect(
      (await postForm(moderator, '/moderation/signalements/1', { decision: 'accept', version: TOO_BIG })).status,
    ).toBe(400);
    const admin = await loginAs(app, await createUser(db, { role: 'admin' }));
    expect((await postForm(admin, `/admin/utilisateurs/${TOO_BIG}/role`, { role: 'moderator' })).status).toBe(400);
  });
});
