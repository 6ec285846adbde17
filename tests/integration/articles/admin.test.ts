import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../../support/factories.js';
import { anonymousAgent, createUser, loginAs, postForm } from '../../support/session.js';
import { makeArticle, uniqueSlug } from './article-factory.js';

describe('writing articles (administrators)', () => {
  const { app, db } = createTestContext();

  describe('role matrix', () => {
    const pages = ['/admin/articles', '/admin/articles/nouveau'];

    it('when an anonymous visitor opens the editor, then they are sent to log in', async () => {
      for (const path of pages) {
        const res = await request(app).get(path);
        expect(res.status).toBe(302);
        expect(res.headers.location).toBe(`/connexion?retour=${encodeURIComponent(path)}`);
      }
    });

    it('when an anonymous visitor posts an article (with a valid CSRF token), then 401, nothing written', async () => {
      const slug = uniqueSlug();
      const res = await postForm(anonymousAgent(app), '/admin/articles', { title: 'Intrus', slug, action: 'save' });
      expect(res.status).toBe(401);
      expect(await db('articles').where({ slug }).first()).toBeUndefined();
    });

    it.each(['mediator', 'moderator'] as const)('when a %s opens or posts to the editor, then 403', async (role) => {
      const agent = await loginAs(app, await createUser(db, { role }));
      for (const path of pages) expect((await agent.get(path)).status).toBe(403);
      const slug = uniqueSlug();
      const res = await postForm(agent, '/admin/articles', { title: 'Pas le droit', slug, action: 'save' });
      expect(res.status).toBe(403);
      expect(await db('articles').where({ slug }).first()).toBeUndefined();
    });

    it('when an administrator opens the editor, then the list and the form are there, with a CSRF field', async () => {
      const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
      const list = await agent.get('/admin/articles');
      expect(list.status).toBe(200);
      expect(list.text).toContain('<a href="/admin/articles" aria-current="page">Articles (admin)</a>');
      const form = await agent.get('/admin/articles/nouveau');
      expect(form.status).toBe(200);
      expect(form.text).toMatch(/name="_csrf" value="[^"]+"/);
    });

    it('when a form is posted without the CSRF token, then 403', async () => {
      const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
      const res = await agent
        .post('/admin/articles')
        .type('form')
        .send({ title: 'Sans jeton', slug: uniqueSlug(), action: 'save' });
      expect(res.status).toBe(403);
    });
  });

  it('when an administrator previews Markdown, then the sanitised HTML is shown and nothing is saved', async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
    const slug = uniqueSlug();
    const res = await postForm(agent, '/admin/articles', {
      title: 'Aperçu',
      slug,
      body_markdown: '## Intertitre\n\n*Bonjour* <script>alert(1)</script> [x](javascript:alert(1))',
      action: 'preview',
    });
    expect(res.status).toBe(200);
    const preview = /<section class="article-preview"[\s\S]*?<\/section>/.exec(res.text)![0];
    expect(preview).toContain('<h2>Intertitre</h2>');
    expect(preview).toContain('<em>Bonjour</em>');
    expect(preview).not.toContain('<script');
    expect(preview).not.toContain('javascript:');
    // The Markdown itself comes back in the textarea, as inert text.
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(await db('articles').where({ slug }).first()).toBeUndefined();
  });

  const whenAdministratorSavesDraft =
    'when an administrator saves a draft, then the public cannot see it; once published, it appears with its links';
  it(whenAdministratorSavesDraft, async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
    const label = await makeLabel(db);
    const place = await makePlace(db, { at: randomSpot() });
    const slug = uniqueSlug('brouillon');
    const created = await postForm(agent, '/admin/articles', {
      title: 'Un brouillon',
      slug,
      body_markdown: 'Texte en cours.',
      status: 'draft',
      tags: 'essai, brouillon',
      services: ['Aide aux démarches administratives'],
      labels: [label.slug],
      places: String(place.id),
      action: 'save',
    });
    expect(created.status).toBe(303);
    const editUrl = created.headers.location.replace(/\?.*$/, '');
    expect(editUrl).toMatch(/^\/admin\/articles\/\d+\/modifier$/);
    expect((await request(app).get(`/articles/${slug}`)).status).toBe(404);
    expect((await request(app).get(`/api/v1/articles/${slug}`)).status).toBe(404);
    expect((await request(app).get('/feed.xml')).text).not.toContain(slug);

    const form = await agent.get(editUrl);
    const version = /name="version" value="(\d+)"/.exec(form.text)![1];
    const id = editUrl.split('/')[3];
    const published = await postForm(agent, `/admin/articles/${id}`, {
      title: 'Un brouillon publié',
      slug,
      body_markdown: 'Texte fini.',
      status: 'published',
      tags: 'essai',
      services: ['Aide aux démarches administratives'],
      labels: [label.slug],
      places: String(place.id),
      version,
      action: 'save',
    });
    expect(published.status).toBe(303);
    const api = await request(app).get(`/api/v1/articles/${slug}`);
    expect(api.status).toBe(200);
    expect(api.body.title).toBe('Un brouillon publié');
    expect(api.body.labels.map((l: { slug: string }) => l.slug)).toEqual([label.slug]);
    expect(api.body.places.map((p: { id: number }) => p.id)).toEqual([place.id]);
    expect(api.body.published_at).toBe('2026-12-01T10:00:00.000Z');
  });

  it('when the slug is changed in the editor, then the old address answers 301 to the new one', async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
    const oldSlug = uniqueSlug('ancien');
    const article = await makeArticle(db, { slug: oldSlug });
    const newSlug = uniqueSlug('nouveau');
    const res = await postForm(agent, `/admin/articles/${article.id}`, {
      title: article.title,
      slug: newSlug,
      body_markdown: article.bodyMarkdown,
      status: 'published',
      version: String(article.version),
      action: 'save',
    });
    expect(res.status).toBe(303);
    const old = await request(app).get(`/articles/${oldSlug}`);
    expect(old.status).toBe(301);
    expect(old.headers.location).toBe(`/articles/${newSlug}`);
  });

  const whenFormInvalid =
    'when the form is invalid, then it comes back with French messages naming the fields and the typed values';
  it(whenFormInvalid, async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
    const taken = await makeArticle(db);
    const res = await postForm(agent, '/admin/articles', {
      title: '',
      slug: 'Pas Un Slug',
      body_markdown: 'gardé',
      action: 'save',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Le titre est obligatoire.');
    expect(res.text).toContain('L’adresse (slug) : lettres minuscules');
    expect(res.text).toContain('>gardé</textarea>');
    const duplicate = await postForm(agent, '/admin/articles', { title: 'Doublon', slug: taken.slug, action: 'save' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.text).toContain('déjà prise par un autre article');
  });

  it('when two administrators save the same version, then the second gets a conflict, not an overwrite', async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
    const article = await makeArticle(db);
    const fields = {
      title: 'Première',
      slug: article.slug,
      body_markdown: 'a',
      status: 'published',
      version: String(article.version),
      action: 'save',
    };
    expect((await postForm(agent, `/admin/articles/${article.id}`, fields)).status).toBe(303);
    const second = await postForm(agent, `/admin/articles/${article.id}`, { ...fields, title: 'Seconde' });
    expect(second.status).toBe(409);
    expect((await db('articles').where({ id: article.id }).first()).title).toBe('Première');
  });

  const whenEditPostedWithoutVersion =
    'when an edit is posted without its version, ' +
    'then 400 with a French message beside the field, and nothing is overwritten';
  it(whenEditPostedWithoutVersion, async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
    const article = await makeArticle(db);
    const fields = {
      title: 'Sans version',
      slug: article.slug,
      body_markdown: 'écrasé ?',
      status: 'published',
      action: 'save',
    };
    for (const version of [undefined, '', '  ']) {
      const res = await postForm(
        agent,
        `/admin/articles/${article.id}`,
        version === undefined ? fields : { ...fields, version },
      );
      expect(res.status).toBe(400);
      expect(res.text).toContain('<a href="#champ-version">La version de l’article manque');
      expect(res.text).toMatch(
        /<p class="field-error" id="champ-version" tabindex="-1">La version de l’article manque : rechargez la page/,
      );
      // What was typed comes back, and the hidden version stays empty (not silently replaced by the current one).
      expect(res.text).toContain('>écrasé ?</textarea>');
      expect(res.text).toContain('name="version" value=""');
    }
    const row = await db('articles').where({ id: article.id }).first();
    expect(row.title).toBe(article.title);
    expect(row.version).toBe(article.version);
  });

  it('when a version, place id or article id exceeds PostgreSQL’s integer, then 400 or 404, never a 500', async () => {
    const agent = await loginAs(app, await createUser(db, { role: 'admin' }));
    const article = await makeArticle(db);
    const fields = { title: 'Trop grand', slug: article.slug, body_markdown: 'x', status: 'published', action: 'save' };
    for (const version of ['2147483648', '99999999999999999999', '0', '-1', '1.5', 'abc']) {
      const res = await postForm(agent, `/admin/articles/${article.id}`, { ...fields, version });
      expect({ version, status: res.status }).toEqual({ version, status: 400 });
      expect(res.text).toContain('Version de l’article invalide');
    }
    const place = await postForm(agent, `/admin/articles/${article.id}`, {
      ...fields,
      version: String(article.version),
      places: '2147483648',
    });
    expect(place.status).toBe(400);
    expect(place.text).toContain('Identifiant de lieu inconnu (nombre trop grand).');
    const created = await postForm(agent, '/admin/articles', { ...fields, slug: uniqueSlug(), places: '2147483648' });
    expect(created.status).toBe(400);
    expect((await db('articles').where({ id: article.id }).first()).title).toBe(article.title);
    // The largest int4 is valid input: an unknown place, said so in French.
    const largest = await postForm(agent, `/admin/articles/${article.id}`, {
      ...fields,
      version: String(article.version),
      places: '2147483647',
    });
    expect(largest.status).toBe(400);
    expect(largest.text).toContain('Lieu inconnu : 2147483647.');
    expect((await agent.get('/admin/articles/2147483648/modifier')).status).toBe(400);
    expect((await postForm(agent, '/admin/articles/2147483648', { ...fields, version: '1' })).status).toBe(400);
    expect((await agent.get('/admin/articles/2147483647/modifier')).status).toBe(404);
  });
});
