import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createArticlesService } from '../../../server/articles/articles.service.js';
import { ValidationError } from '../../../server/http/errors.js';
import { createTestContext, fixedClock } from '../../support/context.js';
import { makeArticle, uniqueSlug, uniqueWord } from './article-factory.js';

describe('the articles API and slug redirects', () => {
  const { app, db, config } = createTestContext();
  const service = createArticlesService({ db, clock: fixedClock('2026-12-01T10:00:00Z') });

  it('when the list is asked for, then published articles come with absolute URLs and paging', async () => {
    const tag = uniqueWord();
    const a = await makeArticle(db, { tags: [tag], teaser: true });
    await makeArticle(db, { tags: [tag], status: 'draft' });
    const res = await request(app).get(`/api/v1/articles?tag=${tag}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, total: 1, next_page: null });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        slug: a.slug,
        title: a.title,
        teaser: true,
        tags: [tag],
        url: `${config.PUBLIC_BASE_URL}/articles/${a.slug}`,
      }),
    ]);
    const bad = await request(app).get('/api/v1/articles?limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors[0].field).toBe('limit');
  });

  it('when one article is asked for, then it comes with its Markdown, its clean HTML, labels and places', async () => {
    const a = await makeArticle(db, { body_markdown: '## Titre\n\nTexte.' });
    const res = await request(app).get(`/api/v1/articles/${a.slug}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: a.slug, body_markdown: '## Titre\n\nTexte.', labels: [], places: [] });
    expect(res.body.body_html).toContain('<h2>Titre</h2>');
    const missing = await request(app).get(`/api/v1/articles/${uniqueSlug('absent')}`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('when a slug changes, then the old one answers 301 (page and API), twice over, keeping the query', async () => {
    const first = uniqueSlug('un');
    const article = await makeArticle(db, { slug: first });
    const second = uniqueSlug('deux');
    const v2 = await service.update(article.id, { ...inputOf(article), slug: second, version: article.version });
    const third = uniqueSlug('trois');
    await service.update(article.id, { ...inputOf(v2), slug: third, version: v2.version });

    for (const old of [first, second]) {
      const page = await request(app).get(`/articles/${old}?ou=13500`);
      expect(page.status).toBe(301);
      expect(page.headers.location).toBe(`/articles/${third}?ou=13500`);
      const api = await request(app).get(`/api/v1/articles/${old}`);
      expect(api.status).toBe(301);
      expect(api.headers.location).toBe(`/api/v1/articles/${third}`);
      // The API keeps the query string too (a client's parameters survive the move).
      const withQuery = await request(app).get(`/api/v1/articles/${old}?format=json&x=%C3%A9t%C3%A9`);
      expect(withQuery.status).toBe(301);
      expect(withQuery.headers.location).toBe(`/api/v1/articles/${third}?format=json&x=%C3%A9t%C3%A9`);
    }
    expect((await request(app).get(`/articles/${third}`)).status).toBe(200);
  });

  it('when an article takes back its old slug, then that slug serves it again, without a redirect loop', async () => {
    const first = uniqueSlug('aller');
    const article = await makeArticle(db, { slug: first });
    const v2 = await service.update(article.id, {
      ...inputOf(article),
      slug: uniqueSlug('retour'),
      version: article.version,
    });
    await service.update(article.id, { ...inputOf(v2), slug: first, version: v2.version });
    expect((await request(app).get(`/articles/${first}`)).status).toBe(200);
    expect((await request(app).get(`/articles/${v2.slug}`)).status).toBe(301);
  });

  it('when a slug belongs to another article, or used to, then it cannot be taken', async () => {
    const holder = await makeArticle(db);
    await expect(makeArticle(db, { slug: holder.slug })).rejects.toBeInstanceOf(ValidationError);
    const moved = await makeArticle(db);
    const oldSlug = moved.slug;
    await service.update(moved.id, { ...inputOf(moved), slug: uniqueSlug(), version: moved.version });
    await expect(makeArticle(db, { slug: oldSlug })).rejects.toBeInstanceOf(ValidationError);
  });

  it('when a draft is asked for, or an old slug of a draft, then 404', async () => {
    const draft = await makeArticle(db, { status: 'draft' });
    expect((await request(app).get(`/articles/${draft.slug}`)).status).toBe(404);
    const renamed = await service.update(draft.id, { ...inputOf(draft), slug: uniqueSlug(), version: draft.version });
    expect((await request(app).get(`/articles/${draft.slug}`)).status).toBe(404);
    expect((await request(app).get(`/articles/${renamed.slug}`)).status).toBe(404);
  });
});

function inputOf(article: {
  title: string;
  slug: string;
  bodyMarkdown: string;
  teaser: boolean;
  status: 'draft' | 'published';
  tags: string[];
  services: string[];
}) {
  return {
    title: article.title,
    slug: article.slug,
    body_markdown: article.bodyMarkdown,
    teaser: article.teaser,
    status: article.status,
    tags: article.tags,
    services: article.services as never[],
    labels: [],
    places: [],
  };
}

describe('two administrators creating the same slug at the same instant', () => {
  const { db } = createTestContext();

  it('then one article is created and the other gets a message about the slug, not a server error', async () => {
    const slug = uniqueSlug('course');
    const results = await Promise.allSettled([
      makeArticle(db, { slug }),
      makeArticle(db, { slug }),
      makeArticle(db, { slug }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(ValidationError);
      expect((r.reason as ValidationError).fieldErrors[0].field).toBe('slug');
    }
  });
});
