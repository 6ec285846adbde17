import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../../../seeds/index.js';
import { createApp } from '../../../server/app.js';
import { createArticlesService } from '../../../server/articles/articles.service.js';
import { readSeedArticles } from '../../../server/articles/articles.seed.js';
import type { Express } from 'express';
import { createFreshDatabase } from '../../support/fresh-database.js';
import { fixedClock, testConfig } from '../../support/context.js';

// The ten titles of ../shared/seed/blog-mediateur-numerique.txt, newest first, exactly as written.
const SOURCE_TITLES = [
  'Je suis Médiateur Numérique',
  'Tiers Lieux et ruralité',
  'Littératie numérique pour tous',
  'Coopération entre bibliothécaires et animateurs multimédia',
  'Soyez motivés qu’ils disaient…!',
  'Médiations Numériques et Open Data',
  'Pôle Emploi et l’accompagnement aux usages numériques',
  'Une campagne numérique ?',
  'On a sauvé maryvette',
  'Améliorer la relation numérique à l’usager',
];
const TEASERS = [
  'Je suis Médiateur Numérique',
  'Tiers Lieux et ruralité',
  'Littératie numérique pour tous',
  'Médiations Numériques et Open Data',
  'Pôle Emploi et l’accompagnement aux usages numériques',
  'Une campagne numérique ?',
];
// Image file names and alt texts glued to the prose in the source (../shared/README.md).
const CAPTIONS = [
  '4xfSG6OBjs',
  'IMG_0925',
  '41785_16720836937_6242187_n',
  'affiche-anim-multi-et-biblio-4',
  'Stickers',
  'Entrée Chomeurs / Ingang Werklozen',
  "What's your motivation?",
  'What’s your motivation?',
];

// The source itself, when available (never read by the app): BLOG_SOURCE or the shared folder beside the repo.
const BLOG_SOURCE =
  process.env.BLOG_SOURCE ?? path.resolve(import.meta.dirname, '../../../../shared/seed/blog-mediateur-numerique.txt');

describe.runIf(existsSync(BLOG_SOURCE))('the titles checked against the source text', () => {
  it('when the source is read, then each title is a line of it, in this order', () => {
    const lines = readFileSync(BLOG_SOURCE, 'utf8').replace(/\r\n?/g, '\n').split('\n');
    const positions = SOURCE_TITLES.map((title) => lines.indexOf(title));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const teasers = SOURCE_TITLES.filter((title) => lines.some((line) => line.endsWith(`Continue reading “${title}”`)));
    expect(teasers).toEqual(TEASERS);
  });
});

describe('the blog seeds, on a database of their own', () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  /** Drops the fresh database once it exists (nothing to drop if its creation failed). */
  let dropFresh = (): Promise<void> => Promise.resolve();
  let app: Express;
  let emptyPlaces: string;

  beforeAll(async () => {
    fresh = await createFreshDatabase();
    dropFresh = () => fresh.drop();
    // The articles do not need the directory's places: an empty places file keeps this test fast.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'epn-articles-seed-'));
    emptyPlaces = path.join(dir, 'places.json');
    await writeFile(emptyPlaces, '[]');
    await runSeeds(fresh.db, { log: () => {}, today: '2026-12-01', placesFile: emptyPlaces });
    app = createApp({
      config: testConfig({ DATABASE_URL: fresh.url }),
      db: fresh.db,
      clock: fixedClock('2026-12-01T10:00:00Z'),
      log: () => {},
    });
  });

  afterAll(async () => {
    await dropFresh();
    if (emptyPlaces) await rm(path.dirname(emptyPlaces), { recursive: true, force: true });
  });

  it('when the seeds ran, then the ten articles are there with the titles and order of the source', async () => {
    const rows = await fresh.db('articles').select('title', 'status', 'position').orderBy('position');
    expect(rows.map((r) => r.title)).toEqual(SOURCE_TITLES);
    expect(rows.every((r) => r.status === 'published')).toBe(true);
  });

  it('when the seeds run again, then nothing is duplicated', async () => {
    await runSeeds(fresh.db, { log: () => {}, today: '2026-12-01', placesFile: emptyPlaces });
    const [{ count }] = await fresh.db('articles').count<{ count: string }[]>('* as count');
    expect(Number(count)).toBe(10);
    const [{ links }] = await fresh.db('article_labels').count<{ links: string }[]>('* as links');
    expect(Number(links)).toBe(2);
  });

  it('then exactly the six articles that end in "Continue reading" are teasers', async () => {
    const rows = await fresh.db('articles').select('title').where('teaser', true).orderBy('position');
    expect(rows.map((r) => r.title)).toEqual(TEASERS);
  });

  it('then no image caption is left in the prose, and no "Continue reading"', async () => {
    const rows = await fresh.db('articles').select('title', 'body_markdown');
    for (const row of rows) {
      for (const caption of CAPTIONS)
        expect(row.body_markdown, `${row.title} contains ${caption}`).not.toContain(caption);
      expect(row.body_markdown).not.toContain('Continue reading');
    }
    const first = rows.find((r) => r.title === 'Je suis Médiateur Numérique')!;
    expect(first.body_markdown.startsWith('Cela fait dix ans')).toBe(true);
    const fourth = rows.find((r) => r.title.startsWith('Coopération'))!;
    expect(fourth.body_markdown.startsWith('J’ai assisté ce jeudi 30 avril')).toBe(true);
  });

  it('then the sections of the long articles are kept as sub-headings', async () => {
    const res = await request(app).get('/articles/cooperation-entre-bibliothecaires-et-animateurs-multimedia');
    expect(res.status).toBe(200);
    const headings = [...res.text.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual([
      'Retour vers le futur',
      'Le blues de l’animateur multimédia.',
      'Médiateur, Bibliothécaire, même combat',
    ]);
    const maryvette = await request(app).get('/articles/on-a-sauve-maryvette');
    expect(maryvette.text).toContain('<h2>La victoire des réseaux sociaux</h2>');
  });

  it('then only the article whose text establishes a date has one (Thursday 30 April 2015)', async () => {
    const dated = await fresh.db('articles').select('title', 'published_at').whereNotNull('published_at');
    expect(dated).toHaveLength(1);
    expect(dated[0].title).toBe('Coopération entre bibliothécaires et animateurs multimédia');
    const res = await request(app).get('/articles/cooperation-entre-bibliothecaires-et-animateurs-multimedia');
    expect(res.text).toContain('30 avril 2015');
    const undated = await request(app).get('/articles/on-a-sauve-maryvette');
    expect(undated.text).not.toMatch(/Publié le/);
  });

  it('then the list shows the ten articles newest first, with the teasers marked as excerpts', async () => {
    const res = await request(app).get('/api/v1/articles?limit=20');
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { title: string }) => a.title)).toEqual(SOURCE_TITLES);
    expect(res.body.items.filter((a: { teaser: boolean }) => a.teaser).map((a: { title: string }) => a.title)).toEqual(
      TEASERS,
    );
    const page = await request(app).get('/articles/je-suis-mediateur-numerique');
    expect(page.text).toContain('La suite de ce texte n’est pas encore disponible');
    const complete = await request(app).get('/articles/soyez-motives-qu-ils-disaient');
    expect(complete.text).not.toContain('pas encore disponible');
  });

  it('then "Soyez motivés" is linked to Cyber-base and NetPublic, and names them as links in its text', async () => {
    const res = await request(app).get('/api/v1/articles/soyez-motives-qu-ils-disaient');
    expect(res.body.labels.map((l: { slug: string }) => l.slug).sort()).toEqual(['cyber-base', 'netpublic']);
    expect(res.body.body_html).toMatch(/<a href="\/labels\/cyber-base">Cyber-bases<\/a>/);
    expect(res.body.body_html).toMatch(/<a href="\/labels\/netpublic">NetPublic<\/a>/);
  });

  it('then the Pôle Emploi and "relation numérique à l’usager" articles are linked to the two services', async () => {
    for (const slug of [
      'pole-emploi-et-l-accompagnement-aux-usages-numeriques',
      'ameliorer-la-relation-numerique-a-l-usager',
    ]) {
      const res = await request(app).get(`/api/v1/articles/${slug}`);
      expect(res.body.services).toEqual(
        expect.arrayContaining(['Insertion professionnelle via le numérique', 'Aide aux démarches administratives']),
      );
    }
  });

  it('when someone searches "litteratie", then "Littératie numérique pour tous" comes first', async () => {
    const res = await request(app).get('/recherche?q=litteratie');
    expect(res.status).toBe(200);
    const titles = [...res.text.matchAll(/class="article-card-title"><a href="[^"]*">([^<]*)</g)].map((m) => m[1]);
    expect(titles[0]).toBe('Littératie numérique pour tous');
    const accented = await request(app).get('/recherche?q=Littératie');
    const accentedTitles = [...accented.text.matchAll(/class="article-card-title"><a href="[^"]*">([^<]*)</g)].map(
      (m) => m[1],
    );
    expect(accentedTitles).toEqual(titles);
  });

  it('when a tag has spaces and accents, then its page lists its articles', async () => {
    const res = await request(app).get(`/articles/tag/${encodeURIComponent('fracture numérique')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Soyez motivés qu’ils disaient…!');
    expect(res.text).not.toContain('On a sauvé maryvette');
  });

  it('when an administrator completed a teaser and the seeds change, then the seeds never overwrite it', async () => {
    const articles = createArticlesService({ db: fresh.db, clock: fixedClock('2026-12-02T10:00:00Z') });
    const teaser = (await fresh.db('articles').where({ slug: 'je-suis-mediateur-numerique' }).first())!;
    await articles.update(teaser.id, {
      title: teaser.title,
      slug: 'je-suis-mediateur-numerique-complet',
      body_markdown: `${teaser.body_markdown}\n\nLa suite, enfin écrite.`,
      teaser: false,
      status: 'published',
      tags: teaser.tags,
      services: [],
      labels: [],
      places: [],
      version: teaser.version,
    });
    // A different seed content (as after re-deriving the files) makes the loader run again.
    await fresh.db('seed_runs').where({ name: 'articles' }).update({ checksum: 'changed' });
    await fresh.db('articles').where({ slug: 'on-a-sauve-maryvette' }).update({ title: 'Titre abîmé' });
    await runSeeds(fresh.db, { log: () => {}, today: '2026-12-01', placesFile: emptyPlaces });
    const completed = await fresh.db('articles').where({ id: teaser.id }).first();
    expect(completed).toMatchObject({ slug: 'je-suis-mediateur-numerique-complet', teaser: false });
    expect(completed.body_markdown).toContain('La suite, enfin écrite.');
    // An article nobody edited is brought back to its seed.
    expect((await fresh.db('articles').where({ slug: 'on-a-sauve-maryvette' }).first()).title).toBe(
      'On a sauvé maryvette',
    );
    const [{ count }] = await fresh.db('articles').count<{ count: string }[]>('* as count');
    expect(Number(count)).toBe(10);
    const old = await request(app).get('/articles/je-suis-mediateur-numerique');
    expect(old.status).toBe(301);
    const page = await request(app).get('/articles/je-suis-mediateur-numerique-complet');
    expect(page.text).not.toContain('pas encore disponible');
  });
});

describe('a seed file with an id beyond PostgreSQL’s integer', () => {
  it('when front matter has place or order 2147483648, then reading fails naming the file and field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'epn-articles-bad-'));
    try {
      for (const [field, line] of [
        ['places', 'places: [2147483648]'],
        ['order', 'order: 2147483648'],
      ] as const) {
        const front = ['title: "Essai"', 'slug: essai', 'order: 1', 'teaser: false', line].filter(
          (l, i, all) => !(l === 'order: 1' && all.includes('order: 2147483648')),
        );
        await writeFile(path.join(dir, '01-essai.md'), `---\n${front.join('\n')}\n---\nTexte.\n`);
        await expect(readSeedArticles(dir)).rejects.toThrow(new RegExp(`01-essai\\.md : en-tête invalide : ${field}`));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
