import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace, randomSpot } from '../../support/factories.js';
import { makeArticle, uniqueWord } from './article-factory.js';

const articleTitles = (html: string) =>
  [...html.matchAll(/class="article-card-title"><a href="[^"]*">([^<]*)</g)].map((m) => m[1]);

describe('one search across articles and places (/recherche)', () => {
  const { app, db } = createTestContext();

  it('when the query has no accents, then articles written with accents are found, and vice versa', async () => {
    const word = uniqueWord();
    const accented = await makeArticle(db, {
      title: `Éducation numérique ${word}`,
      body_markdown: 'Les bibliothécaires et la littératie.',
    });
    for (const q of [`education ${word}`, `ÉDUCATION ${word}`, `éducation ${word}`]) {
      const res = await request(app).get(`/recherche?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(articleTitles(res.text)).toEqual([accented.title]);
    }
    const plain = await makeArticle(db, {
      title: `Sans accents ${word}`,
      body_markdown: 'Une mediatheque et des bibliothecaires.',
    });
    const res = await request(app).get(`/recherche?q=${encodeURIComponent(`médiathèque ${word}`)}`);
    expect(articleTitles(res.text)).toEqual([plain.title]);
  });

  it('when the query is a French inflection, then the stem finds it (bibliothécaire → bibliothécaires)', async () => {
    const word = uniqueWord();
    const a = await makeArticle(db, { title: `Coopération ${word}`, body_markdown: 'Avec les bibliothécaires.' });
    const res = await request(app).get(`/recherche?q=${encodeURIComponent(`bibliothecaire ${word}`)}`);
    expect(articleTitles(res.text)).toEqual([a.title]);
  });

  it('when a title and a body both match, then the title match comes first', async () => {
    const word = uniqueWord();
    const inBody = await makeArticle(db, { title: `Corps ${uniqueWord()}`, body_markdown: `On parle de ${word} ici.` });
    const inTitle = await makeArticle(db, { title: `Titre ${word}`, body_markdown: 'Rien.' });
    const res = await request(app).get(`/recherche?q=${word}`);
    expect(articleTitles(res.text)).toEqual([inTitle.title, inBody.title]);
  });

  it('when places match too, then the page shows them beside the articles', async () => {
    const word = uniqueWord();
    const place = await makePlace(db, { at: randomSpot(), nom: `Espace numérique ${word}` });
    const article = await makeArticle(db, { title: `Article ${word}` });
    const res = await request(app).get(`/recherche?q=${word}`);
    expect(articleTitles(res.text)).toEqual([article.title]);
    expect(res.text).toContain(place.nom);
  });

  it('when drafts match, then they are not shown; when nothing matches, the page says so', async () => {
    const word = uniqueWord();
    await makeArticle(db, { title: `Brouillon ${word}`, status: 'draft' });
    const res = await request(app).get(`/recherche?q=${word}`);
    expect(articleTitles(res.text)).toEqual([]);
    expect(res.text).toContain('Aucun article ne correspond.');
    const empty = await request(app).get('/recherche');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('name="q"');
  });
});
