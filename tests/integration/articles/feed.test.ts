import { XMLParser, XMLValidator } from 'fast-xml-parser';
import express from 'express';
import request from 'supertest';
import { feedRoutes } from '../../../server/articles/feed.routes.js';
import { createArticlesService } from '../../../server/articles/articles.service.js';
import { describe, expect, it } from 'vitest';
import { createTestContext, fixedClock } from '../../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../../support/factories.js';
import { placePath } from '../../../server/places/places.mapping.js';
import { makeArticle, uniqueSlug } from './article-factory.js';

/** fast-xml-parser 5 deprecates its validator for the fast-xml-validator package, which this project does not have. */
// eslint-disable-next-line @typescript-eslint/no-deprecated -- still shipped and working in fast-xml-parser 5
const isWellFormed = (xml: string) => XMLValidator.validate(xml);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'link', 'category', 'url'].includes(name),
});

interface AtomEntry {
  id: string;
  title: { '#text': string };
  link: { '@href': string; '@rel': string }[];
  updated: string;
  published?: string;
  summary: { '#text': string };
  content: { '#text': string; '@type': string };
  category?: { '@term': string }[];
}

describe('the Atom feed and the sitemap', () => {
  const { app, db, config } = createTestContext();
  const base = config.PUBLIC_BASE_URL;

  it('when the feed is read back, then it is valid Atom with absolute URLs and only published articles', async () => {
    const slug = uniqueSlug('flux');
    await makeArticle(db, {
      slug,
      title: 'Flux & <essai>',
      tags: ['flux'],
      body_markdown: 'Texte avec un [lien relatif](/labels) et un label NetPublic.',
    });
    const draft = await makeArticle(db, { status: 'draft' });
    const res = await request(app).get('/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/atom+xml');
    expect(isWellFormed(res.text)).toBe(true);
    const { feed } = parser.parse(res.text);
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`${base}/articles`);
    expect(feed.title).toBeTruthy();
    expect(new Date(feed.updated).toString()).not.toBe('Invalid Date');
    expect(feed.author.name).toBeTruthy();
    expect(feed.link.find((l: { '@rel': string }) => l['@rel'] === 'self')['@href']).toBe(`${base}/feed.xml`);

    const entries: AtomEntry[] = feed.entry;
    const entry = entries.find((e) => e.link[0]['@href'] === `${base}/articles/${slug}`)!;
    expect(entry).toBeDefined();
    expect(entry.title['#text']).toBe('Flux & <essai>');
    expect(entry.link[0]['@href']).toBe(`${base}/articles/${slug}`);
    expect(entry.published).toBe('2026-11-20T09:00:00.000Z');
    expect(entry.category!.map((c) => c['@term'])).toEqual(['flux']);
    expect(entry.summary['#text']).toContain('Texte avec un lien relatif');
    expect(entry.content['@type']).toBe('html');
    expect(entry.content['#text']).toContain(`<a href="${base}/labels">lien relatif</a>`);
    expect(entry.content['#text']).toContain(`<a href="${base}/labels/netpublic">NetPublic</a>`);
    for (const e of entries) {
      expect(e.id).toMatch(/^tag:epn\.test,2026:article:\d+$/);
      expect(e.content['#text']).not.toMatch(/(href|src)="\//);
      expect(new Date(e.updated).toString()).not.toBe('Invalid Date');
    }
    expect(entries.some((e) => e.id === `tag:epn.test,2026:article:${draft.id}`)).toBe(false);
    expect(entries.some((e) => e.link[0]['@href'].endsWith(draft.slug))).toBe(false);
  });

  const whenArticleSlugRenamed =
    'when an article’s slug is renamed, ' +
    'then its entry keeps the same id (RFC 4287: ids never change) and links to the new address';
  it(whenArticleSlugRenamed, async () => {
    const articles = createArticlesService({ db, clock: fixedClock('2026-12-01T10:00:00Z') });
    const article = await makeArticle(db, { slug: uniqueSlug('avant') });
    const entryOf = async (slug: string) => {
      const { feed } = parser.parse((await request(app).get('/feed.xml')).text);
      return (feed.entry as AtomEntry[]).find((e) => e.link[0]['@href'] === `${base}/articles/${slug}`);
    };
    const before = (await entryOf(article.slug))!;
    expect(before.id).toBe(`tag:epn.test,2026:article:${article.id}`);

    const renamed = uniqueSlug('apres');
    await articles.update(article.id, {
      title: article.title,
      slug: renamed,
      body_markdown: article.bodyMarkdown,
      teaser: article.teaser,
      status: 'published',
      tags: article.tags,
      services: [],
      labels: [],
      places: [],
      version: article.version,
    });
    const after = (await entryOf(renamed))!;
    expect(after.id).toBe(before.id);
    expect(await entryOf(article.slug)).toBeUndefined();
  });

  it('when the sitemap is read back, then it lists articles, labels and places with absolute URLs', async () => {
    const article = await makeArticle(db);
    const draft = await makeArticle(db, { status: 'draft' });
    const label = await makeLabel(db);
    const place = await makePlace(db, { at: randomSpot() });
    const hidden = await makePlace(db, { at: randomSpot(), status: 'hidden' });
    const res = await request(app).get('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(isWellFormed(res.text)).toBe(true);
    const { urlset } = parser.parse(res.text);
    expect(urlset['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs: string[] = urlset.url.map((u: { loc: string }) => u.loc);
    expect(locs.every((loc) => loc.startsWith(`${base}/`))).toBe(true);
    expect(locs).toContain(`${base}/articles/${article.slug}`);
    expect(locs).toContain(`${base}/labels/${label.slug}`);
    expect(locs).toContain(`${base}${placePath(place)}`);
    expect(locs).not.toContain(`${base}/articles/${draft.slug}`);
    expect(locs).not.toContain(`${base}${placePath(hidden)}`);
  });
});

describe('robots.txt', () => {
  const { app, config } = createTestContext();

  it('when a crawler asks, then it is pointed to the absolute sitemap and kept out of the admin pages', async () => {
    const res = await request(app).get('/robots.txt');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Sitemap: ${config.PUBLIC_BASE_URL}/sitemap.xml`);
    expect(res.text).toContain('Disallow: /admin/');
  });
});

describe('a directory too large for one sitemap', () => {
  const { db, config } = createTestContext();

  it('when places exceed one sitemap, then /sitemap.xml is an index of chunks that cover them all', async () => {
    const place = await makePlace(db, { at: randomSpot() });
    for (let i = 0; i < 3; i += 1) await makePlace(db, { at: randomSpot() });
    const article = await makeArticle(db);
    const [{ count }] = await db('places').where('status', 'published').count<{ count: string }[]>('* as count');
    const chunkSize = Math.ceil(Number(count) / 3);
    const app = express().use(
      feedRoutes({
        db,
        articles: createArticlesService({ db, clock: fixedClock('2026-12-01T10:00:00Z') }),
        publicBaseUrl: config.PUBLIC_BASE_URL,
        sitemapChunkSize: chunkSize,
      }),
    );
    const res = await request(app).get('/sitemap.xml');
    expect(isWellFormed(res.text)).toBe(true);
    const index = new XMLParser({ isArray: (name) => name === 'sitemap' || name === 'url' }).parse(
      res.text,
    ).sitemapindex;
    const children: string[] = index.sitemap.map((s: { loc: string }) => s.loc);
    expect(children[0]).toBe(`${config.PUBLIC_BASE_URL}/sitemap-pages.xml`);
    expect(children.length).toBeGreaterThanOrEqual(4);
    const all: string[] = [];
    for (const child of children) {
      const part = await request(app).get(new URL(child).pathname);
      expect(part.status).toBe(200);
      const urls: string[] = (
        new XMLParser({ isArray: (name) => name === 'url' }).parse(part.text).urlset.url ?? []
      ).map((u: { loc: string }) => u.loc);
      if (child.includes('lieux')) expect(urls.length).toBeLessThanOrEqual(chunkSize);
      all.push(...urls);
    }
    expect(all).toContain(`${config.PUBLIC_BASE_URL}${placePath(place)}`);
    expect(all).toContain(`${config.PUBLIC_BASE_URL}/articles/${article.slug}`);
    expect(new Set(all).size).toBe(all.length);
    expect((await request(app).get('/sitemap-lieux-999999.xml')).status).toBe(404);
  });
});
