import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { automaticClaimMethod, isSharedDomain } from '../../../server/editing/claim-policy.js';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';

const unique = () => randomUUID().slice(0, 8);

describe('which claims are approved at once (rule)', () => {
  it('when the address is the exact listed one, then approved at once, even at a shared national domain', () => {
    expect(automaticClaimMethod('Martigues@France-Services.gouv.fr', ['martigues@france-services.gouv.fr'], 49)).toBe(
      'email',
    );
  });

  it('when only the domain matches, then approved at once only for a domain of few places that is not shared', () => {
    expect(automaticClaimMethod('jeanne@mairie-essai.fr', ['accueil@mairie-essai.fr'], 1)).toBe('domain');
    expect(automaticClaimMethod('jeanne@mairie-essai.fr', ['accueil@mairie-essai.fr'], 3)).toBe('domain');
    expect(automaticClaimMethod('jeanne@departement-essai.fr', ['accueil@departement-essai.fr'], 4)).toBeNull();
    expect(automaticClaimMethod('agent@france-services.gouv.fr', ['martigues@france-services.gouv.fr'], 1)).toBeNull();
    expect(automaticClaimMethod('agent@croix-rouge.fr', ['ul.martigues@croix-rouge.fr'], 1)).toBeNull();
    expect(automaticClaimMethod('x@gmail.com', ['y@gmail.com'], 1)).toBeNull();
  });

  it('when a domain is a State domain or a sub-domain of a shared one, then it is shared', () => {
    for (const domain of [
      'france-services.gouv.fr',
      'bouches-du-rhone.gouv.fr',
      'gouv.fr',
      'conseiller-numerique.fr',
      'laposte.fr',
      'croix-rouge.fr',
      'afpa.fr',
      'emmaus-connect.org',
      'adoma.cdc-habitat.fr',
      'idf.croix-rouge.fr',
    ]) {
      expect(isSharedDomain(domain), domain).toBe(true);
    }
    for (const domain of ['mairie-essai.fr', 'gouvfr.fr', 'notlaposte.fr'])
      expect(isSharedDomain(domain), domain).toBe(false);
  });
});

describe('claiming a place: shared domains and earlier decisions', () => {
  const { app, db } = createTestContext();
  const claimStatus = async (placeId: number, userId: number) =>
    (await db('place_managers').where({ place_id: placeId, user_id: userId }).first()) as {
      id: number;
      status: string;
      method: string | null;
    };

  const whenSomeoneAtFranceServices =
    'when someone at france-services.gouv.fr claims a place listing another address of that domain, ' +
    'then the claim waits for a moderator';
  it(whenSomeoneAtFranceServices, async () => {
    const place = await makePlace(db, { courriels: [`martigues-${unique()}@france-services.gouv.fr`] });
    const agent = await createUser(db, { email: `agent-${unique()}@france-services.gouv.fr` });
    const res = await postForm(await loginAs(app, agent), `/mon-espace/lieux/${place.id}/demande`, {});
    expect(res.headers.location).toBe('/mon-espace?message=demande-envoyee');
    expect(await claimStatus(place.id, agent.id)).toMatchObject({ status: 'pending', method: null });
  });

  const whenDomainListedMoreThan =
    'when a domain is listed by more than three published places, ' +
    'then a colleague’s claim waits; with three, it is approved at once';
  it(whenDomainListedMoreThan, async () => {
    const big = `reseau-${unique()}.fr`;
    const places = [];
    for (let i = 0; i < 4; i++) places.push(await makePlace(db, { courriels: [`lieu${i}@${big}`] }));
    const colleague = await createUser(db, { email: `jeanne@${big}` });
    await postForm(await loginAs(app, colleague), `/mon-espace/lieux/${places[0].id}/demande`, {});
    expect((await claimStatus(places[0].id, colleague.id)).status).toBe('pending');

    const small = `asso-${unique()}.fr`;
    const few = [];
    for (let i = 0; i < 3; i++) few.push(await makePlace(db, { courriels: [`lieu${i}@${small}`] }));
    await makePlace(db, { courriels: [`masque@${small}`], status: 'hidden' }); // hidden places do not count
    const member = await createUser(db, { email: `paul@${small}` });
    await postForm(await loginAs(app, member), `/mon-espace/lieux/${few[1].id}/demande`, {});
    expect(await claimStatus(few[1].id, member.id)).toMatchObject({ status: 'approved', method: 'domain' });
  });

  it('when the exact listed address claims, then it is approved at once even at a shared domain', async () => {
    const email = `martigues-${unique()}@france-services.gouv.fr`;
    const place = await makePlace(db, { courriels: [email] });
    const user = await createUser(db, { email });
    await postForm(await loginAs(app, user), `/mon-espace/lieux/${place.id}/demande`, {});
    expect(await claimStatus(place.id, user.id)).toMatchObject({ status: 'approved', method: 'email' });
  });

  const whenModeratorHasRevokedMediator =
    'when a moderator has revoked a mediator, ' +
    'then claiming again waits for a moderator instead of being approved at once';
  it(whenModeratorHasRevokedMediator, async () => {
    const email = `accueil-${unique()}@mediatheque-essai.fr`;
    const place = await makePlace(db, { courriels: [email] });
    const mediator = await createUser(db, { email });
    const agent = await loginAs(app, mediator);
    await postForm(agent, `/mon-espace/lieux/${place.id}/demande`, {});
    const link = await claimStatus(place.id, mediator.id);
    expect(link.status).toBe('approved');
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect(
      (await postForm(moderator, `/moderation/gestionnaires/${link.id}/retirer`, { reason: 'A quitté la structure' }))
        .status,
    ).toBe(303);

    const page = await agent.get(`/mon-espace/lieux/${place.id}/demande`);
    expect(page.text).toContain('retiré votre accès');
    const again = await postForm(agent, `/mon-espace/lieux/${place.id}/demande`, { message: 'Je suis revenue' });
    expect(again.headers.location).toBe('/mon-espace?message=demande-envoyee');
    expect(await claimStatus(place.id, mediator.id)).toMatchObject({ status: 'pending', method: null });
    expect((await agent.get(`/mon-espace/lieux/${place.id}/general`)).status).toBe(403);
    const queue = (await moderator.get('/moderation')).text;
    expect(queue).toContain(`${mediator.email} veut gérer`);
    expect(queue).toContain(
      'avait déjà refusé ou retiré l’accès de cette personne à ce lieu (motif : « A quitté la structure »)',
    );
  });

  const whenModeratorHasRejectedClaim =
    'when a moderator has rejected a claim, then a new claim from a matching domain waits for a moderator';
  it(whenModeratorHasRejectedClaim, async () => {
    const domain = `asso-${unique()}.fr`;
    const place = await makePlace(db, { courriels: [`accueil@${domain}`] });
    const user = await createUser(db, { email: `paul@${domain}` });
    await db('place_managers').insert({
      place_id: place.id,
      user_id: user.id,
      status: 'rejected',
      method: null,
      reason: 'Inconnu',
    });
    await postForm(await loginAs(app, user), `/mon-espace/lieux/${place.id}/demande`, {});
    expect((await claimStatus(place.id, user.id)).status).toBe('pending');
  });
});
