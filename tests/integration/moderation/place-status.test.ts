import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { placePath } from '../../../server/places/places.mapping.js';
import { createUser, loginAs, postForm } from '../../support/session.js';

describe('moderators hide and republish a place', () => {
  const { app, db } = createTestContext();

  const whenModeratorHidesPlaceReason =
    'when a moderator hides a place with a reason, ' +
    'then it vanishes from the API, search and its page; ' +
    'it is in the history and the journal; republishing brings it back';
  it(whenModeratorHidesPlaceReason, async () => {
    const place = await makePlace(db);
    const moderator = await createUser(db, { role: 'moderator' });
    const agent = await loginAs(app, moderator);
    const history = await agent.get(`/mon-espace/lieux/${place.id}/historique`);
    expect(history.text).toContain('Masquer ce lieu');
    const pageBefore = await request(app).get(`/api/v1/places/${place.id}`);
    expect(pageBefore.status).toBe(200);
    const publicPath = placePath(place);
    expect((await request(app).get(publicPath)).status).toBe(200);

    const missing = await postForm(agent, `/moderation/lieux/${place.id}/statut`, { status: 'hidden', reason: '  ' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Indiquez le motif');
    expect((await db('places').where({ id: place.id }).first()).status).toBe('published');

    const res = await postForm(agent, `/moderation/lieux/${place.id}/statut`, {
      status: 'hidden',
      reason: 'Fermé depuis juin',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/mon-espace/lieux/${place.id}/historique?message=masque`);
    expect((await db('places').where({ id: place.id }).first()).status).toBe('hidden');
    expect((await request(app).get(`/api/v1/places/${place.id}`)).status).toBe(404);
    expect((await request(app).get(publicPath)).status).toBe(404);
    const list = await request(app).get(`/api/v1/places?commune=${encodeURIComponent(place.codeInsee ?? '')}`);
    expect((list.body.items ?? []).map((i: { id: number }) => i.id)).not.toContain(place.id);
    const revision = await db('place_revisions').where({ place_id: place.id, section: 'statut' }).first();
    expect(revision).toMatchObject({ user_id: moderator.id, author_role: 'moderator', kind: 'edit' });
    expect(revision.changes).toEqual({
      status: { old: 'published', new: 'hidden' },
      motif: { old: null, new: 'Fermé depuis juin' },
    });
    const audit = await db('audit_log')
      .where({ subject_type: 'place', subject_id: String(place.id), action: 'place.hidden' })
      .first();
    expect(audit).toMatchObject({ actor_id: moderator.id, reason: 'Fermé depuis juin' });
    const journal = await agent.get('/moderation/journal');
    expect(journal.text).toContain('Lieu masqué');
    // No public page to link to any more: the journal leads to its history, where it can be republished.
    expect(journal.text).toContain(`href="/mon-espace/lieux/${place.id}/historique"`);
    const after = await agent.get(`/mon-espace/lieux/${place.id}/historique`);
    expect(after.text).toContain('Ce lieu est masqué');
    expect(after.text).toContain('Republier');
    // Its managing pages say it is off the site instead of linking to a page that no longer answers.
    const overview = await agent.get(`/mon-espace/lieux/${place.id}`);
    expect(overview.text).toContain('masqué par la modération');
    expect(overview.text).not.toContain('voir la page publique');

    // Twice is a conflict, not a second revision.
    expect(
      (await postForm(agent, `/moderation/lieux/${place.id}/statut`, { status: 'hidden', reason: 'encore' })).status,
    ).toBe(409);

    expect(
      (await postForm(agent, `/moderation/lieux/${place.id}/statut`, { status: 'published', reason: 'Rouvert' }))
        .status,
    ).toBe(303);
    expect((await db('places').where({ id: place.id }).first()).status).toBe('published');
    expect((await request(app).get(`/api/v1/places/${place.id}`)).status).toBe(200);
    expect(
      await db('audit_log')
        .where({ subject_type: 'place', subject_id: String(place.id), action: 'place.published' })
        .first(),
    ).toBeTruthy();
  });

  it('when a place is reported as gone, then the queue offers to hide it, which also settles the report', async () => {
    const place = await makePlace(db);
    const [report] = await db('place_reports')
      .insert({ place_id: place.id, category: 'n-existe-plus', message: 'Fermé, rideau baissé' })
      .returning(['id', 'version']);
    const agent = await loginAs(app, await createUser(db, { role: 'moderator' }));
    const queue = await agent.get('/moderation');
    expect(queue.text).toContain(`action="/moderation/lieux/${place.id}/statut"`);
    expect(queue.text).toContain(`id="reason-statut-${report.id}"`);
    const res = await postForm(agent, `/moderation/lieux/${place.id}/statut`, {
      status: 'hidden',
      reason: 'Confirmé par la mairie',
      signalement: report.id,
      version: report.version,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/moderation?message=masque');
    expect((await db('places').where({ id: place.id }).first()).status).toBe('hidden');
    expect((await db('place_reports').where({ id: report.id }).first()).status).toBe('accepted');
    // The form page on its own, for a moderator coming from elsewhere.
    const page = await agent.get(`/moderation/lieux/${place.id}/statut`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Republier');
  });
});
