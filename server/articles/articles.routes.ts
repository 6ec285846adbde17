import { Router, type Request } from 'express';
import { parseOrThrow } from '../http/validation.js';
import { placePath } from '../places/places.mapping.js';
import type { PlacesService } from '../places/places.service.js';
import { ValidationError } from '../http/errors.js';
import {
  articleSlugParamsSchema,
  articlesListQuerySchema,
  nearbyQuerySchema,
  searchQuerySchema,
  tagParamsSchema,
  type NearbyQuery,
} from './articles.schemas.js';
import type { ArticlesService } from './articles.service.js';
import { articleCard, nearbyPlaceItem, pagination, SERVICE_SEARCH_PATH, tagPath } from './articles.views.js';

/** The request's query string as sent ("?…" or ""), kept across redirects from an old slug. */
export const queryString = (req: Request) => {
  const index = req.originalUrl.indexOf('?');
  return index >= 0 ? req.originalUrl.slice(index) : '';
};

/** The blog's public pages: the list, a tag, an article, and the search across articles and places. */
export function articlesPagesRoutes(deps: {
  articles: ArticlesService;
  places: PlacesService;
  publicBaseUrl: string;
}): Router {
  const router = Router();
  const absolute = (path: string) => new URL(path, deps.publicBaseUrl).toString();

  async function renderList(res: import('express').Response, options: { page: number; tag?: string }) {
    const list = await deps.articles.listPublished(options);
    const basePath = options.tag ? tagPath(options.tag) : '/articles';
    if (options.page > list.pageCount) {
      res.status(404);
    }
    res.render('pages/articles/index', {
      pageTitle: options.tag ? `Articles : ${options.tag}` : 'Articles du blog',
      metaDescription:
        'Les articles du blog « Médiateur Numérique » : le métier de médiateur, ' +
        'les lieux et les labels de la médiation numérique.',
      canonicalUrl: absolute(options.page > 1 ? `${basePath}?page=${options.page}` : basePath),
      nav: 'articles',
      tag: options.tag,
      articles: list.items.map(articleCard),
      total: list.total,
      pagination: pagination(basePath, options.page, list.pageCount),
      tags: (await deps.articles.tags()).map((t) => ({ ...t, url: tagPath(t.tag), current: t.tag === options.tag })),
    });
  }

  router.get('/articles', async (req, res) => {
    const query = parseOrThrow(articlesListQuerySchema, req.query);
    if (query.tag) {
      res.redirect(302, tagPath(query.tag) + (query.page > 1 ? `?page=${query.page}` : ''));
      return;
    }
    await renderList(res, { page: query.page });
  });

  router.get('/articles/tag/:tag', async (req, res) => {
    const { tag } = parseOrThrow(tagParamsSchema, req.params);
    const { page } = parseOrThrow(articlesListQuerySchema, req.query);
    await renderList(res, { page, tag });
  });

  router.get('/articles/:slug', async (req, res) => {
    const { slug } = parseOrThrow(articleSlugParamsSchema, req.params);
    const found = await deps.articles.findPublished(slug);
    if (found.kind === 'moved') {
      res.redirect(301, `/articles/${found.slug}${queryString(req)}`);
      return;
    }
    const article = found.article;
    let near: NearbyQuery = {};
    let nearErrors: { field: string; message: string }[] = [];
    try {
      near = parseOrThrow(nearbyQuerySchema, req.query);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      nearErrors = error.fieldErrors;
    }
    const [html, nearby] = await Promise.all([
      deps.articles.renderBody(article),
      deps.articles.nearbyPlaces(article, near),
    ]);
    res.render('pages/articles/show', {
      pageTitle: article.title,
      metaDescription: article.excerpt,
      ogTitle: article.title,
      ogType: 'article',
      canonicalUrl: absolute(article.url),
      publishedTime: article.publishedAt ? article.publishedAt.toISOString() : undefined,
      nav: 'articles',
      scripts: article.services.length ? ['/static/build/article.js'] : [],
      article: {
        ...articleCard(article),
        html,
        labels: article.labels.map((l) => ({ name: l.name, url: `/labels/${l.slug}`, placeCount: l.placeCount })),
        places: article.places
          .filter((p) => p.status === 'published')
          .map((p) => ({ nom: p.nom, commune: p.commune, url: placePath({ id: p.id, nom: p.nom }) })),
        services: article.services.map((s) => ({ name: s, url: SERVICE_SEARCH_PATH(s) })),
        searchUrl: `/?${article.services.map((s) => `services=${encodeURIComponent(s)}`).join('&')}`,
      },
      nearby: {
        enabled: article.services.length > 0,
        located: nearby.located,
        where: nearby.where,
        notFound: nearby.notFound,
        places: nearby.places.map(nearbyPlaceItem),
        typed: near.ou ?? near.code_postal ?? '',
        errors: nearErrors,
      },
    });
  });

  router.get('/recherche', async (req, res) => {
    const { q } = parseOrThrow(searchQuerySchema, req.query);
    const [articles, places] = q
      ? await Promise.all([deps.articles.search(q, 20), deps.places.search({ q, limit: 20 })])
      : [[], { items: [], next_cursor: null }];
    res.render('pages/articles/search', {
      pageTitle: q ? `Recherche : ${q}` : 'Recherche',
      metaDescription: 'Chercher dans les articles du blog et les lieux de médiation numérique.',
      q: q ?? '',
      searched: Boolean(q),
      articles: articles.map(articleCard),
      places: places.items.map(nearbyPlaceItem),
      morePlacesUrl: q && places.next_cursor ? `/?q=${encodeURIComponent(q)}` : undefined,
    });
  });

  return router;
}
