import { Router } from 'express';
import { parseOrThrow } from '../http/validation.js';
import { placePath } from '../places/places.mapping.js';
import { queryString } from './articles.routes.js';
import { articleSlugParamsSchema, articlesApiQuerySchema } from './articles.schemas.js';
import type { ArticlesService, ArticleView } from './articles.service.js';

function toArticleSummaryJson(article: ArticleView, baseUrl: string) {
  return {
    slug: article.slug,
    title: article.title,
    excerpt: article.excerpt,
    teaser: article.teaser,
    tags: article.tags,
    services: article.services,
    published_at: article.publishedAt ? article.publishedAt.toISOString() : null,
    updated_at: article.updatedAt.toISOString(),
    url: new URL(article.url, baseUrl).toString(),
  };
}

/** GET /api/v1/articles and /api/v1/articles/:slug (published articles only). */
export function articlesApiRoutes(deps: { articles: ArticlesService; publicBaseUrl: string }): Router {
  const router = Router();
  const base = deps.publicBaseUrl;

  router.get('/articles', async (req, res) => {
    const query = parseOrThrow(articlesApiQuerySchema, req.query);
    const list = await deps.articles.listPublished({ page: query.page, tag: query.tag, pageSize: query.limit });
    res.json({
      items: list.items.map((a) => toArticleSummaryJson(a, base)),
      page: list.page,
      total: list.total,
      next_page: list.page < list.pageCount ? list.page + 1 : null,
    });
  });

  router.get('/articles/:slug', async (req, res) => {
    const { slug } = parseOrThrow(articleSlugParamsSchema, req.params);
    const found = await deps.articles.findPublished(slug);
    if (found.kind === 'moved') {
      res.redirect(301, `/api/v1/articles/${found.slug}${queryString(req)}`);
      return;
    }
    const article = found.article;
    res.json({
      ...toArticleSummaryJson(article, base),
      body_markdown: article.bodyMarkdown,
      body_html: await deps.articles.renderBody(article),
      labels: article.labels.map((l) => ({
        slug: l.slug,
        name: l.name,
        url: new URL(`/labels/${l.slug}`, base).toString(),
      })),
      places: article.places
        .filter((p) => p.status === 'published')
        .map((p) => ({
          id: p.id,
          nom: p.nom,
          commune: p.commune,
          url: new URL(placePath({ id: p.id, nom: p.nom }), base).toString(),
        })),
    });
  });

  return router;
}
