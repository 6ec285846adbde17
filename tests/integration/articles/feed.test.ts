import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../../support/factories.js';
import { placePath } from '../../../server/places/places.mapping.js';
import { makeArticle, uniqueSlug } from './article-factory.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link', 'category', 'url'].includes(name) });

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

  it('when the feed is read back, then it is valid Atom with absolute URLs, and holds the published articles only', async () => {
    const slug = uniqueSlug('flux');
    await makeArticle(db, {
      slug, title: 'Flux & <essai>', tags: ['flux'],
      body_markdown: 'Texte avec un [lien relatif](/labels) et un label NetPublic.',
    });
    const draft = await makeArticle(db, { status: 'draft' });
    const res = await request(app).get('/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/atom+xml');
    expect(XMLValidator.validate(res.text)).toBe(true);
    const { feed } = parser.parse(res.text);
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`${base}/articles`);
    expect(feed.title).toBeTruthy();
    expect(new Date(feed.updated).toString()).not.toBe('Invalid Date');
    expect(feed.author.name).toBeTruthy();
    expect(feed.link.find((l: { '@rel': string }) => l['@rel'] === 'self')['@href']).toBe(`${base}/feed.xml`);

    const entries: AtomEntry[] = feed.entry;
    const entry = entries.find((e) => e.id === `${base}/articles/${slug}`)!;
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
      expect(e.id.startsWith(`${base}/articles/`)).toBe(true);
      expect(e.content['#text']).not.toMatch(/(href|src)="\//);
      expect(new Date(e.updated).toString()).not.toBe('Invalid Date');
    }
    expect(entries.some((e) => e.id.endsWith(draft.slug))).toBe(false);
  });

  it('when the sitemap is read back, then it lists articles, labels and places with absolute URLs', async () => {
    const article = await makeArticle(db);
    const draft = await makeArticle(db, { status: 'draft' });
    const label = await makeLabel(db);
    const place = await makePlace(db, { at: randomSpot() });
    const hidden = await makePlace(db, { at: randomSpot(), status: 'hidden' });
    const res = await request(app).get('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(XMLValidator.validate(res.text)).toBe(true);
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
