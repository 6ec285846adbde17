import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../../../seeds/index.js';
import { createApp } from '../../../server/app.js';
import { serviceWeights } from '../../../server/articles/articles.service.js';
import { placePath } from '../../../server/places/places.mapping.js';
import { createFreshDatabase } from '../../support/fresh-database.js';
import { fixedClock, testConfig } from '../../support/context.js';

const relatedTitles = async (app: Express, place: { id: number; nom: string }) => {
  const res = await request(app).get(placePath(place));
  expect(res.status).toBe(200);
  const section = /<section class="related-articles"[\s\S]*?<\/section>/.exec(res.text)?.[0] ?? '';
  return [...section.matchAll(/<li><a href="[^"]+">([^<]*)<\/a>(?: <span class="hint">— ([^<]*)<\/span>)?<\/li>/g)].map(
    (m) => ({ title: m[1], note: m[2] }),
  );
};

describe('the blog and the directory linked both ways, on the real seeded data', () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  /** Drops the fresh database once it exists (nothing to drop if its creation failed). */
  let dropFresh = (): Promise<void> => Promise.resolve();
  let app: Express;

  beforeAll(async () => {
    fresh = await createFreshDatabase();
    dropFresh = () => fresh.drop();
    await runSeeds(fresh.db, { log: () => {}, today: '2026-12-01' });
    app = createApp({
      config: testConfig({ DATABASE_URL: fresh.url }),
      db: fresh.db,
      clock: fixedClock('2026-12-01T10:00:00Z'),
      log: () => {},
    });
  });

  afterAll(async () => {
    await dropFresh();
  });

  it('when a Cyber-base place page is opened, then « Soyez motivés… » (about the label) comes first', async () => {
    const places = await fresh
      .db('places as p')
      .join('place_labels as pl', 'pl.place_id', 'p.id')
      .join('labels as l', 'l.id', 'pl.label_id')
      .where({ 'l.slug': 'cyber-base', 'p.status': 'published', 'pl.verification_status': 'verified' })
      .select('p.id', 'p.nom');
    expect(places.length).toBeGreaterThan(0);
    // The article says how many places hold each label it is about: they are one click away, on the label's page.
    const article = await request(app).get('/articles/soyez-motives-qu-ils-disaient');
    expect(article.text).toContain(
      `<a href="/labels/cyber-base">Cyber-base</a> <span class="hint">(${places.length} lieux)</span>`,
    );
    for (const place of places.slice(0, 5)) {
      const [first] = await relatedTitles(app, place);
      expect(first).toEqual({ title: 'Soyez motivés qu’ils disaient…!', note: 'à propos du label « Cyber-base »' });
    }
  });

  it('when a place offers services, then its page lists articles about them, rarer services first', async () => {
    // Aide aux démarches administratives is offered by far fewer places than the two services most places offer.
    const place = await fresh
      .db('places')
      .where('status', 'published')
      .whereRaw(
        `services @> ARRAY[
          'Aide aux démarches administratives',
          'Compréhension du monde numérique',
          'Maîtrise des outils numériques du quotidien'
        ]::text[]`,
      )
      .whereRaw(
        `NOT services && ARRAY[
          'Insertion professionnelle via le numérique',
          'Accès internet et matériel informatique',
          'Parentalité et éducation avec le numérique'
        ]::text[]`,
      )
      .whereNotExists(
        fresh
          .db('place_labels as pl')
          .join('article_labels as al', 'al.label_id', 'pl.label_id')
          .whereRaw('pl.place_id = places.id'),
      )
      .orderBy('id')
      .first('id', 'nom');
    expect(place).toBeDefined();
    expect(await relatedTitles(app, place)).toEqual([
      {
        title: 'Améliorer la relation numérique à l’usager',
        note:
          'à lire sur les services « Aide aux démarches administratives », ' +
          '« Maîtrise des outils numériques du quotidien »',
      },
      {
        title: 'Pôle Emploi et l’accompagnement aux usages numériques',
        note: 'à lire sur le service « Aide aux démarches administratives »',
      },
      {
        title: 'Littératie numérique pour tous',
        note:
          'à lire sur les services « Compréhension du monde numérique », ' +
          '« Maîtrise des outils numériques du quotidien »',
      },
    ]);
  });

  it('when places offering various services are opened, then each page lists articles (on the real data)', async () => {
    // One place for each service an article is about: its page lists at least one article.
    const services: string[] = (
      await fresh.db.raw(`SELECT DISTINCT unnest(services) AS s FROM articles WHERE status = 'published' ORDER BY 1`)
    ).rows.map((r: { s: string }) => r.s);
    expect(services.length).toBeGreaterThan(3);
    for (const service of services) {
      const place = await fresh
        .db('places')
        .where('status', 'published')
        .whereRaw('services @> ARRAY[?]::text[]', [service])
        .orderBy('id')
        .first('id', 'nom');
      if (!place) continue;
      const titles = await relatedTitles(app, place);
      expect({ service, listed: titles.length > 0 && titles.length <= 3 }).toEqual({ service, listed: true });
    }
  });

  const whenWeightsServicesComputed =
    'when the weights of services are computed, ' +
    'then a rarer service weighs more, and every service weighs something';
  it(whenWeightsServicesComputed, () => {
    const weights = serviceWeights({
      total: 100,
      byService: new Map([
        ['Aide aux démarches administratives', 10],
        ['Maîtrise des outils numériques du quotidien', 100],
      ]),
    });
    expect(weights['Aide aux démarches administratives']).toBeGreaterThan(
      weights['Maîtrise des outils numériques du quotidien'],
    );
    expect(weights['Maîtrise des outils numériques du quotidien']).toBeGreaterThan(0);
    expect(Object.values(serviceWeights({ total: 0, byService: new Map() })).every((w) => w > 0)).toBe(true);
  });
});
