import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';

describe('moderation journal', () => {
  const { app, db } = createTestContext();

  it('when decisions were taken, then the journal names them in French, with the place and person linked', async () => {
    const place = await makePlace(db, { nom: 'Médiathèque du Journal' });
    const mediator = await createUser(db, { email: `journal-${Date.now()}@exemple.test` });
    await postForm(await loginAs(app, mediator), `/mon-espace/lieux/${place.id}/demande`, {});
    const claim = await db('place_managers').where({ place_id: place.id, user_id: mediator.id }).first();
    const [label] = await db('labels').select('id', 'name').orderBy('id').limit(1);
    await db('label_requests').insert({ place_id: place.id, label_id: label.id, action: 'add', user_id: mediator.id });
    const request = await db('label_requests').where({ place_id: place.id }).first();
    const adminUser = await createUser(db, { role: 'admin' });
    const admin = await loginAs(app, adminUser);
    expect((await postForm(admin, `/moderation/demandes/${claim.id}`, { decision: 'accept' })).status).toBe(303);
    expect(
      (
        await postForm(admin, `/moderation/labels/${request.id}`, {
          decision: 'reject',
          reason: 'Pas de convention signée',
        })
      ).status,
    ).toBe(303);
    const promoted = await createUser(db);
    expect((await postForm(admin, `/admin/utilisateurs/${promoted.id}/role`, { role: 'moderator' })).status).toBe(303);

    const journal = await admin.get('/moderation/journal');
    expect(journal.status).toBe(200);
    const text = journal.text.replace(/&#x3D;/g, '=');
    for (const code of ['claim.approved', 'label_request.rejected', 'user.role', 'claim n°', 'label_request n°'])
      expect(text).not.toContain(code);
    expect(text).toContain('Gestion d’un lieu accordée');
    expect(text).toContain('Demande de label refusée');
    expect(text).toContain(`ajouter le label « ${label.name} »`);
    expect(text).toContain('Pas de convention signée');
    expect(text).toContain('Rôle d’un compte changé');
    expect(text).toContain('Médiateur ou médiatrice → Modération');
    expect(text).toMatch(new RegExp(`<a href="/lieux/${place.id}-[^"]*">Médiathèque du Journal</a>`));
    expect(text).toContain(
      `<a href="/admin/utilisateurs?q=${encodeURIComponent(mediator.email)}">${mediator.email}</a>`,
    );
    expect(text).toContain(`>${promoted.email}</a>`);

    // A moderator (no access to accounts) gets a mailto link instead.
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect((await moderator.get('/moderation/journal')).text).toContain(`<a href="mailto:${mediator.email}">`);
  });

  it('when a claim was approved automatically, then the journal says so and how', async () => {
    const email = `auto-${Date.now()}@lieu-journal.fr`;
    const place = await makePlace(db, { courriels: [email] });
    const user = await createUser(db, { email });
    await postForm(await loginAs(app, user), `/mon-espace/lieux/${place.id}/demande`, {});
    const journal = await (await loginAs(app, await createUser(db, { role: 'moderator' }))).get('/moderation/journal');
    expect(journal.text).toContain('<em>automatique</em>');
    expect(journal.text).toContain('automatiquement : adresse e-mail affichée sur la fiche');
  });
});
