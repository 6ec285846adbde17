import { Router } from 'express';
import type { Db } from '../db/knex.js';
import { placePath } from '../places/places.mapping.js';
import { labelsForSitemap } from '../labels/labels.read.js';
import { countPublishedPlaces, publishedPlacesForSitemap } from '../places/places.read.js';
import type { ArticlesService } from './articles.service.js';

const xmlEscape = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Characters XML 1.0 forbids (control characters are exactly what this pattern is for).
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

const FEED_SIZE = 50;
const TEASER_NOTE = '<p><em>La suite de ce texte n’est pas encore disponible.</em></p>';

/** Feed readers show entries out of the site: every link in the content is made absolute. */
const absoluteLinks = (html: string, baseUrl: string) =>
  html.replace(
    /(href|src)="(\/(?!\/)[^"]*)"/g,
    (_, attribute: string, path: string) => `${attribute}="${new URL(path, baseUrl).toString()}"`,
  );

/**
 * An entry's permanent id (RFC 4287 §4.2.6: an id never changes): a tag URI (RFC 4151) built from the
 * site's host name and the article's id, so renaming the slug (or moving the site's path) keeps it.
 */
const atomEntryId = (publicBaseUrl: string, articleId: number) =>
  `tag:${new URL(publicBaseUrl).hostname},2026:article:${articleId}`;

/** The Atom feed of the blog (RFC 4287) and the sitemap of articles, labels and places. */
export function feedRoutes(deps: {
  db: Db;
  articles: ArticlesService;
  publicBaseUrl: string;
  sitemapChunkSize?: number;
}): Router {
  const router = Router();
  const absolute = (path: string) => new URL(path, deps.publicBaseUrl).toString();

  router.get('/feed.xml', async (_req, res) => {
    const [{ items }, labels] = await Promise.all([
      deps.articles.listPublished({ page: 1, pageSize: FEED_SIZE }),
      deps.articles.labelChoices(),
    ]);
    const updated =
      items.reduce<Date | undefined>((max, a) => (!max || a.updatedAt > max ? a.updatedAt : max), undefined) ??
      new Date(0);
    const entries = await Promise.all(
      items.map(async (article) => {
        const html = absoluteLinks(await deps.articles.renderBody(article, labels), deps.publicBaseUrl);
        const url = absolute(article.url);
        const content = html + (article.teaser ? TEASER_NOTE : '');
        // Relative links in the content (label pages) are resolved against xml:base.
        return [
          '  <entry>',
          `    <id>${xmlEscape(atomEntryId(deps.publicBaseUrl, article.id))}</id>`,
          `    <title type="text">${xmlEscape(article.title)}</title>`,
          `    <link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
          `    <updated>${article.updatedAt.toISOString()}</updated>`,
          ...(article.publishedAt ? [`    <published>${article.publishedAt.toISOString()}</published>`] : []),
          ...article.tags.map((tag) => `    <category term="${xmlEscape(tag)}"/>`),
          `    <summary type="text">${xmlEscape(article.excerpt)}</summary>`,
          `    <content type="html" xml:base="${xmlEscape(url)}">${xmlEscape(content)}</content>`,
          '  </entry>',
        ].join('\n');
      }),
    );
    const xml = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
      `  <id>${xmlEscape(absolute('/articles'))}</id>`,
      '  <title>EPN Finder — le blog « Médiateur Numérique »</title>',
      '  <subtitle>Le métier de médiateur numérique, les lieux et les labels de la médiation numérique.</subtitle>',
      `  <link rel="self" type="application/atom+xml" href="${xmlEscape(absolute('/feed.xml'))}"/>`,
      `  <link rel="alternate" type="text/html" href="${xmlEscape(absolute('/articles'))}"/>`,
      `  <updated>${updated.toISOString()}</updated>`,
      '  <author><name>Médiateur Numérique</name></author>',
      '  <generator>EPN Finder</generator>',
      ...entries,
      '</feed>',
      '',
    ].join('\n');
    res.type('application/atom+xml; charset=utf-8').send(xml);
  });

  // Sitemaps hold at most 50,000 URLs: a large directory gets a sitemap index of place chunks.
  const chunkSize = deps.sitemapChunkSize ?? 45_000;
  const url = (loc: string, lastmod?: Date) => {
    const modified = lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : '';
    return `  <url><loc>${xmlEscape(absolute(loc))}</loc>${modified}</url>`;
  };
  const urlset = (urls: string[]) =>
    [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...urls,
      '</urlset>',
      '',
    ].join('\n');

  async function pageUrls(): Promise<string[]> {
    const [articles, labels] = await Promise.all([
      deps.articles.listPublished({ page: 1, pageSize: 10_000 }),
      labelsForSitemap(deps.db),
    ]);
    return [
      url('/'),
      url('/articles'),
      url('/labels'),
      ...articles.items.map((a) => url(a.url, a.updatedAt)),
      ...labels.map((l) => url(`/labels/${l.slug}`, l.updatedAt)),
    ];
  }

  async function placeUrls(chunk: number): Promise<string[]> {
    const places = await publishedPlacesForSitemap(deps.db, { offset: chunk * chunkSize, limit: chunkSize });
    return places.map((p) => url(placePath(p), p.updatedAt));
  }

  router.get('/sitemap.xml', async (_req, res) => {
    const placeCount = await countPublishedPlaces(deps.db);
    res.type('application/xml; charset=utf-8');
    if (placeCount <= chunkSize) {
      res.send(urlset([...(await pageUrls()), ...(await placeUrls(0))]));
      return;
    }
    const chunks = Math.ceil(placeCount / chunkSize);
    const sitemap = (path: string) => `  <sitemap><loc>${xmlEscape(absolute(path))}</loc></sitemap>`;
    res.send(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        sitemap('/sitemap-pages.xml'),
        ...Array.from({ length: chunks }, (_, i) => sitemap(`/sitemap-lieux-${i + 1}.xml`)),
        '</sitemapindex>',
        '',
      ].join('\n'),
    );
  });

  router.get('/sitemap-pages.xml', async (_req, res) => {
    res.type('application/xml; charset=utf-8').send(urlset(await pageUrls()));
  });

  router.get(/^\/sitemap-lieux-(\d{1,6})\.xml$/, async (req, res, next) => {
    const chunk = Number((req.params as Record<string, string>)[0]) - 1;
    const urls = chunk >= 0 ? await placeUrls(chunk) : [];
    if (!urls.length) return next();
    res.type('application/xml; charset=utf-8').send(urlset(urls));
  });

  // Crawlers find the sitemap here; the administrators' pages are not for them.
  router.get('/robots.txt', (_req, res) => {
    res
      .type('text/plain; charset=utf-8')
      .send(`User-agent: *\nDisallow: /admin/\nSitemap: ${absolute('/sitemap.xml')}\n`);
  });

  return router;
}
