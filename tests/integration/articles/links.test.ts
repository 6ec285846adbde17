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
    await makeArticle(db, {
      slug,
      labels: [label.slug],
      places: [place.id],
      services: ['Aide aux démarches administratives'],
    });

    const page = await request(app).get(`/articles/${slug}`);
    expect(page.text).toContain(`<a href="/labels/${label.slug}">${label.name}</a></li>`);
    expect(page.text).toContain(`<a href="${placePath(place)}">`);
    expect(page.text).toContain('Aide aux démarches administratives');

    const api = await request(app).get(`/api/v1/articles/${slug}`);
    expect(api.body.labels).toEqual([
      { slug: label.slug, name: label.name, url: `${config.PUBLIC_BASE_URL}/labels/${label.slug}` },
    ]);
    expect(api.body.places).toEqual([
      { id: place.id, nom: place.nom, commune: place.commune, url: `${config.PUBLIC_BASE_URL}${placePath(place)}` },
    ]);
  });

  // The counts come from the labels service's cache (refreshed at most once a minute, never counted
  // per page view): an app that has not counted yet sees these places.
  const countingApp = createTestContext().app;
  const whenArticleAboutLabelSome =
    'when an article is about a label some places hold, ' +
    'then its page says how many, hidden places and pending links left out';
  it(whenArticleAboutLabelSome, async () => {
    const label = await makeLabel(db);
    await makePlace(db, { at: randomSpot(), labels: [label.slug] });
    await makePlace(db, { at: randomSpot(), labels: [label.slug], status: 'hidden' });
    const pending = await makePlace(db, { at: randomSpot() });
    await db('place_labels').insert({
      place_id: pending.id,
      label_id: label.id,
      origin: 'mediator',
      verification_status: 'pending',
    });
    const article = await makeArticle(db, { labels: [label.slug] });
    const page = await request(countingApp).get(`/articles/${article.slug}`);
    expect(page.text).toContain(`<a href="/labels/${label.slug}">${label.name}</a> <span class="hint">(1 lieu)</span>`);
  });

  it('when a label page is opened, then it lists the published articles about the label, not the drafts', async () => {
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

  const relatedOf = async (path: string) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(200);
    const section = /<section class="related-articles"[\s\S]*?<\/section>/.exec(res.text)?.[0] ?? '';
    return {
      section,
      items: [
        ...section.matchAll(/<li><a href="([^"]+)">[^<]*<\/a>(?: <span class="hint">— ([^<]*)<\/span>)?<\/li>/g),
      ].map((m) => ({ url: m[1], note: m[2] })),
    };
  };

  const whenPlacePageOpened =
    'when a place page is opened, then articles about its services are listed too, ' +
    'after those about the place and its labels, three at most';
  it(whenPlacePageOpened, async () => {
    const label = await makeLabel(db);
    // Two services no other test pairs on a place: the articles sharing both come first
    // among those "about its services".
    const services = [
      'Loisirs et créations numériques',
      'Acquisition de matériel informatique à prix solidaire',
    ] as const;
    const place = await makePlace(db, { at: randomSpot(), labels: [label.slug], services: [...services] });
    const oneService = await makeArticle(db, { services: [services[0]] });
    const bothServices = await makeArticle(db, { services: [services[1], services[0]] });
    const draftAboutBoth = await makeArticle(db, { services: [...services], status: 'draft' });
    const otherService = await makeArticle(db, { services: ['Utilisation sécurisée du numérique'] });

    const onlyServices = await relatedOf(placePath(place));
    expect(onlyServices.items.slice(0, 2)).toEqual([
      { url: `/articles/${bothServices.slug}`, note: `à lire sur les services « ${services[1]} », « ${services[0]} »` },
      { url: `/articles/${oneService.slug}`, note: `à lire sur le service « ${services[0]} »` },
    ]);
    expect(onlyServices.section).toContain('<h2 id="related-articles-title">Articles du blog</h2>');
    expect(onlyServices.section).not.toContain(draftAboutBoth.slug);
    expect(onlyServices.section).not.toContain(otherService.slug);

    // Linked to the place itself, then to its label: they come before the services; three in all.
    const aboutLabel = await makeArticle(db, { labels: [label.slug], services: [...services] });
    const direct = await makeArticle(db, { places: [place.id] });
    const full = await relatedOf(placePath(place));
    expect(full.items).toEqual([
      { url: `/articles/${direct.slug}`, note: 'à propos de ce lieu' },
      { url: `/articles/${aboutLabel.slug}`, note: `à propos du label « ${label.name} »` },
      { url: `/articles/${bothServices.slug}`, note: `à lire sur les services « ${services[1]} », « ${services[0]} »` },
    ]);

    // The label page lists its articles without notes (they are all about the label).
    const labelPage = await relatedOf(`/labels/${label.slug}`);
    expect(labelPage.items).toContainEqual({ url: `/articles/${aboutLabel.slug}`, note: undefined });
  });

  it('when an article is linked to a place and to its label, then it is listed once, as about the place', async () => {
    const label = await makeLabel(db);
    const place = await makePlace(db, {
      at: randomSpot(),
      labels: [label.slug],
      services: ['Aide aux démarches administratives'],
    });
    const article = await makeArticle(db, {
      places: [place.id],
      labels: [label.slug],
      services: ['Aide aux démarches administratives'],
    });
    const { items } = await relatedOf(placePath(place));
    expect(items.filter((i) => i.url === `/articles/${article.slug}`)).toEqual([
      { url: `/articles/${article.slug}`, note: 'à propos de ce lieu' },
    ]);
  });

  it('when a place’s label is pending, expired or rejected, then the label’s articles are not listed', async () => {
    const label = await makeLabel(db);
    const place = await makePlace(db, { at: randomSpot() });
    const article = await makeArticle(db, { labels: [label.slug] });
    for (const link of [
      { verification_status: 'pending', until: null },
      { verification_status: 'rejected', until: null },
      { verification_status: 'verified', until: '2020-01-01' },
    ]) {
      await db('place_labels')
        .insert({ place_id: place.id, label_id: label.id, origin: 'import', ...link })
        .onConflict(['place_id', 'label_id'])
        .merge();
      expect((await relatedOf(placePath(place))).section).not.toContain(article.slug);
    }
  });
});
