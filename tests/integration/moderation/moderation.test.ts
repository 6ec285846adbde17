import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';
import { makeCommune } from '../../support/communes.js';
import request from 'supertest';

describe('moderation queue', () => {
  const { app, db, mailer } = createTestContext();

  const whenClaimWaits =
    'when a claim waits, then the moderator sees it with its diff, accepts it, and the mediator is told; ' +
    'it is audited';
  it(whenClaimWaits, async () => {
    const place = await makePlace(db, { courriels: ['accueil@mairie-essai.fr'] });
    const mediator = await createUser(db, { email: `animateur-${Date.now()}@gmail.com` });
    await postForm(await loginAs(app, mediator), `/mon-espace/lieux/${place.id}/demande`, {
      message: 'Animateur depuis mars',
    });
    const claim = await db('place_managers').where({ place_id: place.id, user_id: mediator.id }).first();
    expect(claim.status).toBe('pending');
    const moderator = await createUser(db, { role: 'moderator' });
    const agent = await loginAs(app, moderator);
    const queue = await agent.get('/moderation');
    expect(queue.status).toBe(200);
    expect(queue.text).toContain(`${mediator.email} veut gérer`);
    expect(queue.text).toContain('Animateur depuis mars');
    const res = await postForm(agent, `/moderation/demandes/${claim.id}`, { decision: 'accept', reason: '' });
    expect(res.status).toBe(303);
    expect((await db('place_managers').where({ id: claim.id }).first()).status).toBe('approved');
    expect(mailer.lastTo(mediator.email)!.subject).toContain('Vous gérez');
    const audit = await db('audit_log')
      .where({ subject_type: 'claim', subject_id: String(claim.id) })
      .first();
    expect(audit).toMatchObject({ actor_id: moderator.id, action: 'claim.approved' });
    const journal = await agent.get('/moderation/journal');
    expect(journal.text).toContain('Gestion d’un lieu accordée');
    expect(journal.text).not.toContain('claim.approved');
    expect(journal.text).not.toContain('claim n°');
    // Deciding twice is a conflict, not a second decision.
    expect(
      (await postForm(agent, `/moderation/demandes/${claim.id}`, { decision: 'reject', reason: 'non' })).status,
    ).toBe(409);
  });

  it('when a moderator rejects without a reason, then 400; with one, the reason reaches the mediator', async () => {
    const place = await makePlace(db);
    const mediator = await createUser(db);
    await postForm(await loginAs(app, mediator), `/mon-espace/lieux/${place.id}/demande`, {});
    const claim = await db('place_managers').where({ place_id: place.id, user_id: mediator.id }).first();
    const agent = await loginAs(app, await createUser(db, { role: 'moderator' }));
    const missing = await postForm(agent, `/moderation/demandes/${claim.id}`, { decision: 'reject', reason: '' });
    expect(missing.status).toBe(400);
    // The queue again, with the message next to this claim's "Motif" field: no bare error page, no English field name.
    expect(missing.text).toContain(`${mediator.email} veut gérer`);
    expect(missing.text).toContain(
      `<p class="field-error" id="reason-demandes-${claim.id}-error">Indiquez le motif du refus`,
    );
    expect(missing.text).toContain(`href="#reason-demandes-${claim.id}"`);
    expect(missing.text).not.toMatch(/\breason :/);
    expect((await db('place_managers').where({ id: claim.id }).first()).status).toBe('pending');
    expect(
      (
        await postForm(agent, `/moderation/demandes/${claim.id}`, {
          decision: 'reject',
          reason: 'Inconnu de la structure',
        })
      ).status,
    ).toBe(303);
    expect(mailer.lastTo(mediator.email)!.text).toContain('Inconnu de la structure');
  });

  const whenRejectionReasonTooLong =
    'when a moderator rejects a label request or a proposal with a reason too long, ' +
    'then the queue comes back with the message and the typed text';
  it(whenRejectionReasonTooLong, async () => {
    const place = await makePlace(db);
    const mediator = await createUser(db);
    const [label] = await db('labels').select('id').limit(1);
    await db('label_requests').insert({ place_id: place.id, label_id: label.id, action: 'add', user_id: mediator.id });
    const request = await db('label_requests').where({ place_id: place.id }).first();
    const agent = await loginAs(app, await createUser(db, { role: 'moderator' }));
    const long = 'x'.repeat(1001);
    const res = await postForm(agent, `/moderation/labels/${request.id}`, { decision: 'reject', reason: long });
    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="reason-labels-${request.id}-error">Motif trop long`);
    expect(res.text).toContain(`>${long}</textarea>`);
    const none = await postForm(agent, `/moderation/labels/${request.id}`, { decision: 'reject' });
    expect(none.status).toBe(400);
    expect(none.text).toContain(`id="reason-labels-${request.id}-error">Indiquez le motif du refus`);
  });

  const whenModeratorRevokesWithoutReason =
    'when a moderator revokes without a reason, ' +
    'then the place page comes back with the message next to that manager’s "Motif" field';
  it(whenModeratorRevokesWithoutReason, async () => {
    const place = await makePlace(db);
    const mediator = await createUser(db);
    const [link] = await db('place_managers')
      .insert({ place_id: place.id, user_id: mediator.id, status: 'approved', method: 'moderator' })
      .returning('id');
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    const res = await postForm(moderator, `/moderation/gestionnaires/${link.id}/retirer`, { reason: '  ' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(
      `/mon-espace/lieux/${place.id}?retrait=${link.id}&probleme=motif-manquant#reason-${link.id}`,
    );
    const page = await moderator.get(res.headers.location.split('#')[0]);
    expect(page.text).toContain(`id="reason-${link.id}-error">Indiquez le motif du retrait`);
    expect((await db('place_managers').where({ id: link.id }).first()).status).toBe('approved');
  });

  it('when a moderator revokes a mediator, then the mediator can no longer edit the place', async () => {
    const place = await makePlace(db);
    const mediator = await createUser(db);
    const [link] = await db('place_managers')
      .insert({ place_id: place.id, user_id: mediator.id, status: 'approved', method: 'moderator' })
      .returning('id');
    const agent = await loginAs(app, mediator);
    expect((await agent.get(`/mon-espace/lieux/${place.id}/general`)).status).toBe(200);
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect(
      (await postForm(moderator, `/moderation/gestionnaires/${link.id}/retirer`, { reason: 'A quitté la structure' }))
        .status,
    ).toBe(303);
    expect((await agent.get(`/mon-espace/lieux/${place.id}/general`)).status).toBe(403);
    expect(
      await db('audit_log')
        .where({ action: 'claim.revoked', subject_id: String(link.id) })
        .first(),
    ).toBeTruthy();
  });

  it('when a new place is proposed and accepted, then it is published and its proposer manages it', async () => {
    const mediator = await createUser(db);
    const agent = await loginAs(app, mediator);
    const nom = `Tiers-lieu proposé ${Date.now()}`;
    const bad = await postForm(agent, '/mon-espace/nouveau-lieu', {
      nom,
      adresse: '',
      code_postal: '13500',
      commune: 'Martigues',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(`value="${nom}"`);
    const res = await postForm(agent, '/mon-espace/nouveau-lieu', {
      nom,
      adresse: '3 rue Neuve',
      code_postal: '13500',
      commune: 'Martigues',
      latitude: '43.4',
      longitude: '5.05',
      telephone: '0442000000',
    });
    expect(res.status).toBe(303);
    const proposal = await db('place_proposals').where({ user_id: mediator.id }).first();
    expect(await db('places').where({ nom }).first()).toBeUndefined();
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect((await moderator.get('/moderation')).text).toContain(nom);
    expect((await postForm(moderator, `/moderation/propositions/${proposal.id}`, { decision: 'accept' })).status).toBe(
      303,
    );
    const place = await db('places').where({ nom }).first();
    expect(place).toMatchObject({ status: 'published', telephone: '+33442000000', commune: 'Martigues' });
    expect((await db('place_managers').where({ place_id: place.id, user_id: mediator.id }).first()).status).toBe(
      'approved',
    );
    expect((await agent.get(`/api/v1/places/${place.id}`)).status).toBe(200);
  });

  const whenProposalWithoutCoordinatesAccepted =
    'when a proposal without coordinates is accepted, ' +
    "then it sits at its commune's centre (approximate) and is found by distance and by commune";
  it(whenProposalWithoutCoordinatesAccepted, async () => {
    const lat = 44 + Math.random() / 2;
    const lon = 2 + Math.random() / 2;
    const commune = await makeCommune(db, { latitude: lat, longitude: lon });
    const mediator = await createUser(db);
    const agent = await loginAs(app, mediator);
    const nom = `Lieu sans position ${Date.now()}`;
    const res = await postForm(agent, '/mon-espace/nouveau-lieu', {
      nom,
      adresse: '1 place de la Mairie',
      code_postal: commune.codesPostaux[0],
      commune: commune.nom,
    });
    expect(res.status).toBe(303);
    const proposal = await db('place_proposals').where({ user_id: mediator.id }).first();
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect((await postForm(moderator, `/moderation/propositions/${proposal.id}`, { decision: 'accept' })).status).toBe(
      303,
    );
    const place = await db('places').where({ nom }).first();
    expect(place).toMatchObject({ status: 'published', code_insee: commune.insee, location_precision: 'commune' });
    expect(Number(place.latitude)).toBeCloseTo(lat, 5);
    expect(Number(place.longitude)).toBeCloseTo(lon, 5);
    const near = await request(app).get(
      `/api/v1/places?lat=${(lat + 0.01).toFixed(4)}&lon=${lon.toFixed(4)}&radius_km=5`,
    );
    expect(near.status).toBe(200);
    expect(near.body.items.map((item: { id: number }) => item.id)).toContain(place.id);
    const byCommune = await request(app).get(`/api/v1/places?commune=${commune.insee}`);
    expect(byCommune.body.items.map((item: { id: number }) => item.id)).toContain(place.id);
  });

  const whenGeneralSectionMovesPlace =
    'when the general section moves a place to another commune without coordinates, ' +
    'then its INSEE code and approximate position follow';
  it(whenGeneralSectionMovesPlace, async () => {
    const first = await makeCommune(db, { latitude: 46.1, longitude: 1.1 });
    const second = await makeCommune(db, { latitude: 47.2, longitude: 2.2 });
    const place = await makePlace(db, { commune: first.nom, codePostal: first.codesPostaux[0] });
    await db('places').where({ id: place.id }).update({ latitude: null, longitude: null, code_insee: first.insee });
    const agent = await loginAs(app, await createUser(db, { role: 'moderator' }));
    const current = await db('places').where({ id: place.id }).first();
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: String(current.version),
      nom: current.nom,
      adresse: current.adresse,
      complement_adresse: '',
      code_postal: second.codesPostaux[0],
      commune: second.nom,
      latitude: '',
      longitude: '',
    });
    expect(res.status).toBe(303);
    const after = await db('places').where({ id: place.id }).first();
    expect(after).toMatchObject({ code_insee: second.insee, location_precision: 'commune' });
    expect(Number(after.latitude)).toBeCloseTo(47.2, 5);
    // Moving again keeps the position approximate: the old centre follows the new commune.
    const res2 = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: String(after.version),
      nom: after.nom,
      adresse: after.adresse,
      complement_adresse: '',
      code_postal: first.codesPostaux[0],
      commune: first.nom,
      latitude: String(after.latitude),
      longitude: String(after.longitude),
    });
    expect(res2.status).toBe(303);
    expect(await db('places').where({ id: place.id }).first()).toMatchObject({
      code_insee: first.insee,
      location_precision: 'commune',
      latitude: 46.1,
    });
  });

  it('when a label request is accepted, then the label is public and the change is in the history', async () => {
    const place = await makePlace(db);
    const mediator = await createUser(db);
    await db('place_managers').insert({
      place_id: place.id,
      user_id: mediator.id,
      status: 'approved',
      method: 'moderator',
    });
    const [label] = await db('labels')
      .insert({ slug: `label-mod-${Date.now()}`, name: 'Label à vérifier', kind: 'local' })
      .returning('*');
    await postForm(await loginAs(app, mediator), `/mon-espace/lieux/${place.id}/labels`, { add: String(label.id) });
    const request = await db('label_requests').where({ place_id: place.id }).first();
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    const queue = await moderator.get('/moderation');
    expect(queue.text).toContain('Ajouter « Label à vérifier »');
    expect((await postForm(moderator, `/moderation/labels/${request.id}`, { decision: 'accept' })).status).toBe(303);
    expect(await db('place_labels').where({ place_id: place.id, label_id: label.id }).first()).toMatchObject({
      verification_status: 'verified',
      origin: 'mediator',
    });
    expect(
      (await db('place_revisions').where({ place_id: place.id, kind: 'labels' }).first()).changes.labels.new,
    ).toContain(label.slug);
  });

  it('when a visitor’s report is decided, then its status changes, the visitor is told and it is audited', async () => {
    const place = await makePlace(db);
    const email = `visiteur-${Date.now()}@exemple.test`;
    const [report] = await db('place_reports')
      .insert({ place_id: place.id, category: 'horaires', message: 'Fermé le lundi maintenant', email })
      .returning('*');
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    await db('places').where({ id: place.id }).update({ horaires: 'Mo-Fr 09:00-12:00' });
    const queue = await moderator.get('/moderation');
    expect(queue.text).toContain('Fermé le lundi maintenant');
    expect(queue.text).toContain('Mo-Fr 09:00-12:00');
    const res = await postForm(moderator, `/moderation/signalements/${report.id}`, {
      decision: 'accept',
      reason: 'Horaires corrigés',
      version: report.version,
    });
    expect(res.status).toBe(303);
    expect((await db('place_reports').where({ id: report.id }).first()).status).toBe('accepted');
    expect(mailer.lastTo(email)!.text).toContain('Horaires corrigés');
    expect(
      await db('audit_log')
        .where({ action: 'report.accepted', subject_id: String(report.id) })
        .first(),
    ).toBeTruthy();
  });
});
