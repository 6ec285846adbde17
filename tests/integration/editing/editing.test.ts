import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { anonymousAgent, createUser, loginAs, postForm } from '../../support/session.js';

const GENERAL = (overrides: Record<string, string> = {}) => ({
  nom: 'Médiathèque des Essais',
  adresse: '2 place du Marché',
  complement_adresse: '',
  code_postal: '13500',
  commune: 'Martigues',
  latitude: '43.4',
  longitude: '5.05',
  ...overrides,
});

describe('claiming a place', () => {
  const { app, db, mailer } = createTestContext();

  it('when the mediator’s verified address is listed on the place, then the claim is approved at once', async () => {
    const email = `contact-${Date.now()}@mediatheque-essais.fr`;
    const place = await makePlace(db, { courriels: [email] });
    const user = await createUser(db, { email });
    const agent = await loginAs(app, user);
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/demande`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/mon-espace/lieux/${place.id}?message=gestion-acceptee`);
    const link = await db('place_managers').where({ place_id: place.id, user_id: user.id }).first();
    expect(link).toMatchObject({ status: 'approved', method: 'email' });
    expect(
      await db('audit_log')
        .where({ subject_type: 'claim', subject_id: String(link.id) })
        .first(),
    ).toBeTruthy();
    const space = await agent.get('/mon-espace');
    expect(space.text).toContain(place.nom);
    expect(mailer.lastTo(email)!.subject).toContain('Vous gérez');
  });

  it('when the address shares the place’s own domain, then approved; a webmail domain is not enough', async () => {
    const domain = `asso-${Date.now()}.fr`;
    const place = await makePlace(db, { courriels: [`accueil@${domain}`, 'epn.essai@gmail.com'] });
    const colleague = await createUser(db, { email: `jeanne-${Date.now()}@${domain}` });
    await postForm(await loginAs(app, colleague), `/mon-espace/lieux/${place.id}/demande`, {});
    expect((await db('place_managers').where({ place_id: place.id, user_id: colleague.id }).first()).method).toBe(
      'domain',
    );
    const stranger = await createUser(db, { email: `quelquun-${Date.now()}@gmail.com` });
    const res = await postForm(await loginAs(app, stranger), `/mon-espace/lieux/${place.id}/demande`, {
      message: 'Je suis la nouvelle animatrice.',
    });
    expect(res.headers.location).toBe('/mon-espace?message=demande-envoyee');
    expect((await db('place_managers').where({ place_id: place.id, user_id: stranger.id }).first()).status).toBe(
      'pending',
    );
  });

  it('when the address is not verified, then the claim is refused (403)', async () => {
    const email = `pas-verifie-${Date.now()}@lieu.fr`;
    const place = await makePlace(db, { courriels: [email] });
    const user = await createUser(db, { email, verified: false });
    const res = await postForm(await loginAs(app, user), `/mon-espace/lieux/${place.id}/demande`, {});
    expect(res.status).toBe(403);
    expect(await db('place_managers').where({ place_id: place.id }).first()).toBeUndefined();
  });
});

async function managedPlace(db: Parameters<typeof makePlace>[0], app: Parameters<typeof loginAs>[0]) {
  const place = await makePlace(db, { nom: 'Médiathèque des Essais' });
  const user = await createUser(db);
  await db('place_managers').insert({ place_id: place.id, user_id: user.id, status: 'approved', method: 'moderator' });
  return { place, user, agent: await loginAs(app, user) };
}

describe('editing a place in sections', () => {
  const { app, db } = createTestContext();

  const whenOwnerSavesSection =
    'when the owner saves a section, ' +
    'then it is live at once, the version moves and a revision records old and new values';
  it(whenOwnerSavesSection, async () => {
    const { place, user, agent } = await managedPlace(db, app);
    const form = await agent.get(`/mon-espace/lieux/${place.id}/contacts`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="version" value="1"');
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/contacts`, {
      version: 1,
      telephone: '04 42 00 00 00',
      courriels: 'accueil@essai.fr\ncontact@essai.fr',
      site_web: 'https://essai.fr',
      fiche_acces_libre: '',
    });
    expect(res.status).toBe(303);
    const row = await db('places').where({ id: place.id }).first();
    expect(row.telephone).toBe('+33442000000');
    expect(row.courriels).toEqual(['accueil@essai.fr', 'contact@essai.fr']);
    expect(row.version).toBe(2);
    const [revision] = await db('place_revisions').where({ place_id: place.id });
    expect(revision).toMatchObject({ user_id: user.id, author_role: 'mediator', kind: 'edit', version: 2 });
    expect(revision.changes.telephone).toEqual({ old: null, new: '+33442000000' });
    expect(Object.keys(revision.changes).sort()).toEqual(['courriels', 'site_web', 'telephone']);
    const api = await agent.get(`/api/v1/places/${place.id}`);
    expect(api.body.telephone).toBe('+33442000000');
  });

  const whenFieldWrong =
    'when a field is wrong, then a French message sits next to it, everything typed is kept and nothing changes';
  it(whenFieldWrong, async () => {
    const { place, agent } = await managedPlace(db, app);
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 1,
      ...GENERAL({ code_postal: '135', nom: 'Nouveau nom gardé' }),
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Le code postal doit faire 5 chiffres.');
    expect(res.text).toContain('value="Nouveau nom gardé"');
    expect(res.text).toContain('value="135"');
    expect((await db('places').where({ id: place.id }).first()).version).toBe(1);
  });

  it('when the summary is longer than 280 characters, then it is refused with a French message', async () => {
    const { place, agent } = await managedPlace(db, app);
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/description`, {
      version: 1,
      presentation_resume: 'x'.repeat(281),
      presentation_detail: '',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Le résumé fait au plus 280 caractères.');
  });

  it('when hours are entered on the grid, then a valid OSM string is saved; a wrong raw one is refused', async () => {
    const { place, agent } = await managedPlace(db, app);
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/horaires`, {
      version: 1,
      mode: 'grille',
      h_Mo_1_from: '09:00',
      h_Mo_1_to: '12:00',
      h_Mo_2_from: '14:00',
      h_Mo_2_to: '17:00',
      h_Tu_1_from: '09:00',
      h_Tu_1_to: '12:00',
      h_Tu_2_from: '14:00',
      h_Tu_2_to: '17:00',
      ph_closed: 'on',
    });
    expect(res.status).toBe(303);
    expect((await db('places').where({ id: place.id }).first()).horaires).toBe('Mo,Tu 09:00-12:00,14:00-17:00; PH off');
    const page = await agent.get(`/mon-espace/lieux/${place.id}/horaires`);
    expect(page.text).toContain('name="h_Tu_2_to" value="17:00"');
    const raw = await postForm(agent, `/mon-espace/lieux/${place.id}/horaires`, {
      version: 2,
      mode: 'brut',
      horaires_brut: 'du lundi au bof',
    });
    expect(raw.status).toBe(400);
    expect(raw.text).toContain('Horaires au format OpenStreetMap invalides');
    expect(raw.text).toContain('du lundi au bof');
    const forgiving = await postForm(agent, `/mon-espace/lieux/${place.id}/horaires`, {
      version: 2,
      mode: 'brut',
      horaires_brut: 'Lu-Ve 9h-12h',
    });
    expect(forgiving.status).toBe(303);
    expect((await db('places').where({ id: place.id }).first()).horaires).toBe('Mo-Fr 09:00-12:00');
    const expert = await postForm(agent, `/mon-espace/lieux/${place.id}/horaires`, {
      version: 3,
      mode: 'brut',
      horaires_brut: 'Mo-Fr 10:00-18:00; week 1-10 Sa 10:00-12:00',
    });
    expect(expert.status).toBe(303);
    const complex = await agent.get(`/mon-espace/lieux/${place.id}/horaires`);
    expect(complex.text).toContain('que la grille ne sait pas afficher');
  });

  const whenClosureDateGridDoes =
    'when a closure date on the grid does not exist, ' +
    'then 400 with a French message next to the date field, not the library’s message under the raw field';
  it(whenClosureDateGridDoes, async () => {
    const { place, agent } = await managedPlace(db, app);
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/horaires`, {
      version: 1,
      mode: 'grille',
      h_Mo_1_from: '09:00',
      h_Mo_1_to: '12:00',
      exc_1_from: '2026-02-30',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(
      /<span class="field-error" id="exc_1_from-error">Fermeture exceptionnelle 1 : le 30\/02\/2026 n’existe pas\.<\/span>/,
    );
    expect(res.text).not.toContain('Horaires au format OpenStreetMap invalides');
    expect(res.text).toContain('value="2026-02-30"');
    expect((await db('places').where({ id: place.id }).first()).version).toBe(1);
  });

  const whenSaveStale =
    'when a save is stale, then 409 shows the other person’s change next to mine, and nothing of mine is lost';
  it(whenSaveStale, async () => {
    const { place, agent } = await managedPlace(db, app);
    const colleague = await createUser(db);
    await db('place_managers').insert({
      place_id: place.id,
      user_id: colleague.id,
      status: 'approved',
      method: 'moderator',
    });
    const other = await loginAs(app, colleague);
    expect(
      (
        await postForm(other, `/mon-espace/lieux/${place.id}/general`, {
          version: 1,
          ...GENERAL({ nom: 'Nom choisi par ma collègue' }),
        })
      ).status,
    ).toBe(303);
    const mine = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 1,
      ...GENERAL({ nom: 'Mon nom à moi' }),
    });
    expect(mine.status).toBe(409);
    expect(mine.text).toContain('Quelqu’un a modifié cette fiche');
    expect(mine.text).toContain('Nom choisi par ma collègue');
    expect(mine.text).toContain('value="Mon nom à moi"');
    expect(mine.text).toContain('name="version" value="2"');
    expect((await db('places').where({ id: place.id }).first()).nom).toBe('Nom choisi par ma collègue');
    const merged = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 2,
      ...GENERAL({ nom: 'Mon nom à moi' }),
    });
    expect(merged.status).toBe(303);
  });

  it('when the owner reverts to a revision, then the old values come back as a new revision', async () => {
    const { place, agent } = await managedPlace(db, app);
    await postForm(agent, `/mon-espace/lieux/${place.id}/description`, {
      version: 1,
      presentation_resume: 'Premier résumé',
      presentation_detail: '',
    });
    await postForm(agent, `/mon-espace/lieux/${place.id}/description`, {
      version: 2,
      presentation_resume: 'Résumé raté',
      presentation_detail: '',
    });
    const first = await db('place_revisions').where({ place_id: place.id }).orderBy('id').first();
    const history = await agent.get(`/mon-espace/lieux/${place.id}/historique`);
    expect(history.text).toContain('Résumé raté');
    expect(history.text).toContain(`/historique/${first.id}/retablir`);
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/historique/${first.id}/retablir`, { version: 3 });
    expect(res.status).toBe(303);
    const row = await db('places').where({ id: place.id }).first();
    expect(row.presentation_resume).toBe('Premier résumé');
    expect(row.version).toBe(4);
    const last = await db('place_revisions').where({ place_id: place.id }).orderBy('id', 'desc').first();
    expect(last).toMatchObject({ kind: 'revert', reverts_revision_id: first.id });
    expect(last.changes.presentation_resume).toEqual({ old: 'Résumé raté', new: 'Premier résumé' });
  });

  it('when the owner confirms the listing, then verified_at is set in one click', async () => {
    const { place, agent } = await managedPlace(db, app);
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/verifier`);
    expect(res.status).toBe(303);
    expect((await db('places').where({ id: place.id }).first()).verified_at).not.toBeNull();
  });

  it('when a mediator asks for a label, then it is a pending request, not public', async () => {
    const { place, agent } = await managedPlace(db, app);
    const label = await db('labels')
      .insert({ slug: `label-essai-${Date.now()}`, name: 'Label d’essai', kind: 'local' })
      .returning('id');
    const res = await postForm(agent, `/mon-espace/lieux/${place.id}/labels`, { add: String(label[0].id) });
    expect(res.status).toBe(303);
    expect(await db('place_labels').where({ place_id: place.id }).first()).toBeUndefined();
    expect((await db('label_requests').where({ place_id: place.id }).first()).status).toBe('pending');
  });

  it('when someone else’s mediator or an anonymous visitor tries, then 403 / 401 and nothing changes', async () => {
    const { place } = await managedPlace(db, app);
    const stranger = await loginAs(app, await createUser(db));
    expect((await stranger.get(`/mon-espace/lieux/${place.id}/general`)).status).toBe(403);
    expect(
      (await postForm(stranger, `/mon-espace/lieux/${place.id}/general`, { version: 1, ...GENERAL() })).status,
    ).toBe(403);
    expect(
      (await postForm(anonymousAgent(app), `/mon-espace/lieux/${place.id}/general`, { version: 1, ...GENERAL() }))
        .status,
    ).toBe(401);
    expect((await db('places').where({ id: place.id }).first()).version).toBe(1);
  });

  it('when the team or the moderation edits, then the page says who and offers "Gérer ce lieu" to others', async () => {
    const { place, agent } = await managedPlace(db, app);
    const anonymous = await anonymousAgent(app).get(`/lieux/${place.id}`).redirects(1);
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toContain(`/mon-espace/lieux/${place.id}/demande`);
    await postForm(agent, `/mon-espace/lieux/${place.id}/description`, {
      version: 1,
      presentation_resume: 'Par l’équipe',
      presentation_detail: '',
    });
    const page = await agent.get(`/lieux/${place.id}`).redirects(1);
    expect(page.text).toContain('par l’équipe du lieu');
    expect(page.text).toContain(`href="/mon-espace/lieux/${place.id}"`);
    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    await postForm(moderator, `/mon-espace/lieux/${place.id}/description`, {
      version: 2,
      presentation_resume: 'Par la modération',
      presentation_detail: '',
    });
    expect((await anonymousAgent(app).get(`/lieux/${place.id}`).redirects(1)).text).toContain('par la modération');
  });

  const whenImportChangedPlaceLast =
    'when an import changed the place last, ' +
    'then the page does not credit the moderation; a confirmation says who confirmed';
  it(whenImportChangedPlaceLast, async () => {
    const { place, agent } = await managedPlace(db, app);
    await db('place_revisions').insert({
      place_id: place.id,
      version: 1,
      user_id: null,
      author_role: 'system',
      kind: 'edit',
      changes: JSON.stringify({ telephone: { old: null, new: '+33442000000' } }),
    });
    const imported = (await anonymousAgent(app).get(`/lieux/${place.id}`).redirects(1)).text;
    expect(imported).toContain('d’après les données ouvertes importées');
    expect(imported).not.toContain('par la modération');

    const moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect((await postForm(moderator, `/mon-espace/lieux/${place.id}/verifier`)).status).toBe(303);
    const byModeration = (await anonymousAgent(app).get(`/lieux/${place.id}`).redirects(1)).text;
    expect(byModeration).toMatch(/Informations confirmées le [^<]* par la modération d’EPN Finder\./);
    expect(byModeration).not.toContain('par le lieu');
    // A later change by the team does not hide who confirmed the information.
    await postForm(agent, `/mon-espace/lieux/${place.id}/description`, {
      version: 1,
      presentation_resume: 'Nouveau résumé',
      presentation_detail: '',
    });
    const afterEdit = (await anonymousAgent(app).get(`/lieux/${place.id}`).redirects(1)).text;
    expect(afterEdit).toMatch(/Mis à jour le [^<]* par l’équipe du lieu\./);
    expect(afterEdit).toMatch(/Informations confirmées le [^<]* par la modération d’EPN Finder\./);

    expect((await postForm(agent, `/mon-espace/lieux/${place.id}/verifier`)).status).toBe(303);
    expect((await anonymousAgent(app).get(`/lieux/${place.id}`).redirects(1)).text).toMatch(
      /Informations confirmées le [^<]* par l’équipe du lieu\./,
    );
  });
});
