import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../../support/factories.js';
import { placePath } from '../../../server/places/places.mapping.js';
import { makeArticle, uniqueSlug } from './article-factory.js';

describe('links between articles and the directory, both ways', () => {
  const { app, db, config } = createTestContext();

  it('when an article is linked to a label and a place, then its page and the API show them', async () => {
    const label = await makeLabel(db);
    const place = await makePlace(db, { at: randomSpot() });
    const slug = uniqueSlug();
    await makeArticle(db, { slug, labels: [label.slug], places: [place.id], services: ['Aide aux démarches administratives'] });

    const page = await request(app).get(`/articles/${slug}`);
    expect(page.text).toContain(`<a href="/labels/${label.slug}">${label.name}</a>`);
    expect(page.text).toContain(`<a href="${placePath(place)}">`);
    expect(page.text).toContain('Aide aux démarches administratives');

    const api = await request(app).get(`/api/v1/articles/${slug}`);
    expect(api.body.labels).toEqual([{ slug: label.slug, name: label.name, url: `${config.PUBLIC_BASE_URL}/labels/${label.slug}` }]);
    expect(api.body.places).toEqual([{ id: place.id, nom: place.nom, commune: place.commune, url: `${config.PUBLIC_BASE_URL}${placePath(place)}` }]);
  });

  it('when a label page is opened, then it lists the published articles linked to the label, not the drafts', async () => {
    const label = await makeLabel(db);
    const published = await makeArticle(db, { labels: [label.slug] });
    const draft = await makeArticle(db, { labels: [label.slug], status: 'draft' });
    const res = await request(app).get(`/labels/${label.slug}`);
    expect(res.status).toBe(200);
    const related = /<section class="related-articles"[\s\S]*?<\/section>/.exec(res.text)![0];
    expect(related).toContain(`<a href="/articles/${published.slug}">${published.title.replace(/’/g, '’')}</a>`);
    expect(related).not.toContain(draft.slug);
  });

  it('when a place page is opened, then it lists the articles linked to it, and those about its labels', async () => {
    const label = await makeLabel(db);
    const place = await makePlace(db, { at: randomSpot(), labels: [label.slug] });
    const direct = await makeArticle(db, { places: [place.id] });
    const aboutItsLabel = await makeArticle(db, { labels: [label.slug] });
    const unrelated = await makeArticle(db);
    const res = await request(app).get(placePath(place));
    expect(res.status).toBe(200);
    const related = /<section class="related-articles"[\s\S]*?<\/section>/.exec(res.text)![0];
    expect(related).toContain(`href="/articles/${direct.slug}"`);
    expect(related).toContain(`href="/articles/${aboutItsLabel.slug}"`);
    expect(related).not.toContain(unrelated.slug);
  });

  it('when a place is hidden, then the article no longer links to it', async () => {
    const place = await makePlace(db, { at: randomSpot(), status: 'hidden' });
    const slug = uniqueSlug();
    await makeArticle(db, { slug, places: [place.id] });
    const api = await request(app).get(`/api/v1/articles/${slug}`);
    expect(api.body.places).toEqual([]);
  });
});
