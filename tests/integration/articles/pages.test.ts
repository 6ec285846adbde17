import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makeCommune, uniqueWord as communeWord } from '../../support/communes.js';
import { makePlace, northOf, randomSpot } from '../../support/factories.js';
import { makeArticle, uniqueSlug, uniqueWord } from './article-factory.js';

const titlesOf = (html: string) =>
  [...html.matchAll(/class="article-card-title"><a href="[^"]*">([^<]*)</g)].map((m) => m[1]);

describe('the blog pages', () => {
  const { app, db, config } = createTestContext();

  it('when a tag has more articles than a page, then /articles/tag/:tag pages through them, newest first', async () => {
    const tag = uniqueWord();
    const made = [];
    for (let i = 0; i < 12; i += 1) made.push(await makeArticle(db, { title: `Article ${tag} ${i}`, tags: [tag] }));
    const first = await request(app).get(`/articles/tag/${tag}`);
    expect(first.status).toBe(200);
    // Each new article goes before the others: the last written comes first.
    expect(titlesOf(first.text)).toEqual(
      made
        .slice(2)
        .reverse()
        .map((a) => a.title),
    );
    expect(first.text.replaceAll('&#x3D;', '=')).toContain(`href="/articles/tag/${tag}?page=2"`);
    expect(first.text).toContain('<span aria-current="page">1</span>');
    const second = await request(app).get(`/articles/tag/${tag}?page=2`);
    expect(titlesOf(second.text)).toEqual([made[1].title, made[0].title]);
    const viaQuery = await request(app).get(`/articles?tag=${tag}`);
    expect(viaQuery.status).toBe(302);
    expect(viaQuery.headers.location).toBe(`/articles/tag/${tag}`);
    expect((await request(app).get(`/articles/tag/${tag}?page=abc`)).status).toBe(400);
  });

  it('when an article is published, then /articles lists it with its excerpt, and a teaser says so', async () => {
    const word = uniqueWord();
    await makeArticle(db, {
      title: `Complet ${word}`,
      body_markdown: `Premier paragraphe ${word}.\n\n## Section\n\nSuite.`,
    });
    await makeArticle(db, { title: `Extrait ${word}`, body_markdown: `Début seulement ${word}.`, teaser: true });
    const list = await request(app).get('/articles');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`Premier paragraphe ${word}.`);
    expect(list.text).toContain('la suite de ce texte n’est pas encore disponible');
  });

  const whenArticlePageOpened =
    'when an article page is opened, then it has a meta description, OpenGraph tags and an absolute canonical URL';
  it(whenArticlePageOpened, async () => {
    const slug = uniqueSlug();
    await makeArticle(db, {
      slug,
      title: 'Titre & <accroche>',
      body_markdown: 'Une description **courte** de l’article.',
    });
    const res = await request(app).get(`/articles/${slug}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<meta name="description" content="Une description courte de l’article.">');
    expect(res.text).toContain('<meta property="og:title" content="Titre &amp; &lt;accroche&gt;">');
    expect(res.text).toContain('<meta property="og:type" content="article">');
    expect(res.text).toContain(`<meta property="og:url" content="${config.PUBLIC_BASE_URL}/articles/${slug}">`);
    expect(res.text).toContain('<meta property="og:description" content="Une description courte de l’article.">');
    expect(res.text).toContain(`<link rel="canonical" href="${config.PUBLIC_BASE_URL}/articles/${slug}">`);
  });

  it('when an unknown article is asked for, then 404', async () => {
    expect((await request(app).get(`/articles/${uniqueSlug('absent')}`)).status).toBe(404);
  });

  describe('"Lieux près de chez vous qui proposent ce service"', () => {
    const whenVisitorGivesPosition =
      'when the visitor gives a position, then the nearest places offering the service come first, others left out';
    it(whenVisitorGivesPosition, async () => {
      const home = randomSpot();
      const near = await makePlace(db, {
        at: northOf(home, 2),
        services: ['Insertion professionnelle via le numérique'],
      });
      const far = await makePlace(db, { at: northOf(home, 20), services: ['Aide aux démarches administratives'] });
      const other = await makePlace(db, { at: northOf(home, 1), services: ['Loisirs et créations numériques'] });
      const slug = uniqueSlug();
      await makeArticle(db, {
        slug,
        services: ['Insertion professionnelle via le numérique', 'Aide aux démarches administratives'],
      });
      const res = await request(app).get(`/articles/${slug}?lat=${home.lat}&lon=${home.lon}`);
      expect(res.status).toBe(200);
      const section = /<section class="nearby"[\s\S]*?<\/section>/.exec(res.text)![0];
      expect(section).toContain('Lieux près de chez vous qui proposent ce service');
      expect(section.indexOf(near.nom)).toBeGreaterThan(-1);
      expect(section.indexOf(far.nom)).toBeGreaterThan(section.indexOf(near.nom));
      expect(section).not.toContain(other.nom);
    });

    it('when the visitor types a commune name or postal code, then places near that commune are listed', async () => {
      const spot = randomSpot();
      const commune = await makeCommune(db, { nom: `Ville ${communeWord()}`, latitude: spot.lat, longitude: spot.lon });
      const place = await makePlace(db, { at: northOf(spot, 3), services: ['Aide aux démarches administratives'] });
      const slug = uniqueSlug();
      await makeArticle(db, { slug, services: ['Aide aux démarches administratives'] });
      const byName = await request(app).get(`/articles/${slug}?ou=${encodeURIComponent(commune.nom)}`);
      expect(byName.text).toContain(place.nom);
      const byPostcode = await request(app).get(`/articles/${slug}?ou=${commune.codesPostaux[0]}`);
      expect(byPostcode.text).toContain(place.nom);
    });

    it('when nothing is given, then the form invites the visitor; when the place is unknown, it says so', async () => {
      const slug = uniqueSlug();
      await makeArticle(db, { slug, services: ['Aide aux démarches administratives'] });
      const res = await request(app).get(`/articles/${slug}`);
      expect(res.text).toContain('Indiquez votre commune ou votre code postal');
      const unknown = await request(app).get(`/articles/${slug}?ou=${communeWord()}${communeWord()}`);
      expect(unknown.status).toBe(200);
      expect(unknown.text).toContain('Nous n’avons pas trouvé');
    });

    it('when the article names no service, then the section is not shown', async () => {
      const slug = uniqueSlug();
      await makeArticle(db, { slug, services: [] });
      const res = await request(app).get(`/articles/${slug}`);
      expect(res.text).not.toContain('Lieux près de chez vous');
    });
  });
});
