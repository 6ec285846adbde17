import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../../seeds/index.js';
import { createApp } from '../../server/app.js';
import { createFreshDatabase } from '../support/fresh-database.js';
import { createUser, TEST_PASSWORD } from '../support/session.js';
import { axeViolations } from '../support/axe.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext, fixedClock, testConfig } from '../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../support/factories.js';
import { makeArticle, uniqueSlug, uniqueWord } from '../integration/articles/article-factory.js';

describe('a reader follows the links between the blog and the directory (Chromium)', () => {
  const { app, db } = createTestContext();
  const browser = useBrowser(() => app);

  it('when a reader goes article → label page → place page, then they can come back to an article', async () => {
    const word = uniqueWord();
    const label = await makeLabel(db, { name: `Label ${word}` });
    const place = await makePlace(db, { at: randomSpot(), nom: `Espace ${word}`, labels: [label.slug] });
    const slug = uniqueSlug('lecture');
    const article = await makeArticle(db, {
      slug,
      title: `Le label ${word} au quotidien`,
      labels: [label.slug],
      body_markdown: `Ce texte parle du Label ${word} et de ses lieux.\n\n## Une section\n\nLa suite.`,
    });

    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    // Errors on the blog's pages (the directory's pages have their own browser tests).
    const onArticle = () => new URL(page.url()).pathname.startsWith('/articles/');
    page.on('pageerror', (error) => {
      if (onArticle()) errors.push(error.message);
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && onArticle()) errors.push(message.text());
    });

    await page.goto(`${browser.baseUrl}/articles/${slug}`);
    expect((await page.locator('h1').textContent())?.trim()).toBe(article.title);
    // The label's name in the prose is a link too.
    expect(await page.locator('.article-body a', { hasText: `Label ${word}` }).getAttribute('href')).toBe(
      `/labels/${label.slug}`,
    );

    await page.locator('.label-links a', { hasText: label.name }).click();
    await page.waitForURL(`**/labels/${label.slug}`);
    expect(await page.locator('h1').textContent()).toContain(label.name);
    expect(await page.locator('.related-articles').textContent()).toContain(article.title);

    await page.locator('a', { hasText: place.nom }).first().click();
    await page.waitForURL(/\/lieux\/\d+/);
    expect(await page.locator('h1').textContent()).toContain(place.nom);

    await page.locator('.related-articles a', { hasText: article.title }).click();
    await page.waitForURL(`**/articles/${slug}`);
    expect((await page.locator('h1').textContent())?.trim()).toBe(article.title);
    expect(errors).toEqual([]);
    await context.close();
  });

  describe('axe on the blog’s pages and the editor: no WCAG 2.1 AA violation (one page per test)', () => {
    const word = uniqueWord();
    const slug = uniqueSlug('axe');
    let admin: { email: string };

    beforeAll(async () => {
      await makeArticle(db, {
        slug,
        title: `Accessible ${word}`,
        tags: [word],
        teaser: true,
        services: ['Aide aux démarches administratives'],
        body_markdown: `Un texte ${word}.\n\n## Une section\n\n- un\n- deux\n\n> Une citation.`,
      });
      admin = await createUser(db, { role: 'admin' });
    });

    // axe is injected as an inline script: only these contexts let it past the Content-Security-Policy.
    async function axePage() {
      const context = await browser.newContext({ bypassCSP: true });
      return { context, page: await context.newPage() };
    }

    async function signedInAsAdmin() {
      const tab = await axePage();
      await tab.page.goto(`${browser.baseUrl}/connexion`);
      await tab.page.fill('input[name=email]', admin.email);
      await tab.page.fill('input[name=password]', TEST_PASSWORD);
      await Promise.all([
        tab.page.waitForURL((url) => !url.pathname.startsWith('/connexion')),
        tab.page.click('form[action="/connexion"] button[type=submit]'),
      ]);
      return tab;
    }

    it.each([
      ['the list of articles', () => '/articles'],
      ['a tag page', () => `/articles/tag/${word}`],
      ['an article', () => `/articles/${slug}`],
      ['an article with a place not found', () => `/articles/${slug}?ou=zzzz`],
      ['the search of the blog', () => `/recherche?q=${word}`],
      ['the empty search', () => '/recherche'],
    ])('when axe checks %s, then no violation', async (_name, path) => {
      const { context, page } = await axePage();
      await page.goto(`${browser.baseUrl}${path()}`);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });

    it.each(['/admin/articles', '/admin/articles/nouveau'])(
      'when axe checks %s as an admin, then no violation',
      async (path) => {
        const { context, page } = await signedInAsAdmin();
        await page.goto(`${browser.baseUrl}${path}`);
        expect(await axeViolations(page)).toEqual([]);
        await context.close();
      },
    );

    it('when axe checks the editor sent back with its errors, then its preview, then no violation', async () => {
      const { context, page } = await signedInAsAdmin();
      await page.goto(`${browser.baseUrl}/admin/articles/nouveau`);
      await page.fill('#champ-title', '');
      await page.fill('#champ-slug', 'Pas Valide');
      await page.fill('#champ-body_markdown', '## Aperçu\n\nTexte.');
      // Each button reloads the page: wait for what the new page shows, not for the click alone.
      await page.click('button[value=save]');
      await page.locator('.form-error-summary').waitFor();
      expect(await page.locator('.form-error-summary').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.click('button[value=preview]');
      await page.locator('.article-preview .prose h2', { hasText: 'Aperçu' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  });

  it('when an article’s reader shares their position, then it lists the nearest places with its service', async () => {
    const home = randomSpot();
    const word = uniqueWord();
    const near = await makePlace(db, {
      at: { lat: home.lat + 0.01, lon: home.lon },
      nom: `Proche ${word}`,
      services: ['Insertion professionnelle via le numérique'],
    });
    const slug = uniqueSlug('position');
    await makeArticle(db, { slug, services: ['Insertion professionnelle via le numérique'] });
    const context = await browser.newContext({
      geolocation: { latitude: home.lat, longitude: home.lon },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/articles/${slug}`);
    await Promise.all([page.waitForURL(/lat=/), page.click('#nearby-locate')]);
    const url = new URL(page.url());
    expect(Number(url.searchParams.get('lat'))).toBeCloseTo(home.lat, 4);
    expect(Number(url.searchParams.get('lon'))).toBeCloseTo(home.lon, 4);
    expect(await page.locator('.nearby-places li').first().textContent()).toContain(near.nom);
    await context.close();
  });
});

describe('the same walks on the real seeded data: the ten articles and the open-data places (Chromium)', () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>> | undefined; // unset if beforeAll fails
  let app: Express;
  // Runs before useBrowser's hook (hooks run in the order they are declared), which asks for the app.
  beforeAll(async () => {
    const database = await createFreshDatabase();
    fresh = database;
    await runSeeds(database.db, { log: () => {}, today: '2026-12-01' });
    app = createApp({
      config: testConfig({ DATABASE_URL: database.url }),
      db: database.db,
      clock: fixedClock('2026-12-01T10:00:00Z'),
      log: () => {},
    });
  });
  const browser = useBrowser(() => app);
  afterAll(async () => {
    await fresh?.drop();
  });

  const labelWalk =
    'when a reader goes from « Soyez motivés… » to the Cyber-base label, to one of its places, ' +
    'then that place leads back to the article';
  it(labelWalk, async () => {
    const title = 'Soyez motivés qu’ils disaient…!';
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/articles/soyez-motives-qu-ils-disaient`);
    expect((await page.locator('h1').textContent())?.trim()).toBe(title);

    await page.locator('.label-links a', { hasText: 'Cyber-base' }).click();
    await page.waitForURL('**/labels/cyber-base');
    expect(await page.locator('.related-articles').textContent()).toContain(title);
    const firstPlace = page.locator('.label-places .place-card-title a').first();
    const placeName = (await firstPlace.textContent())!.trim();

    await firstPlace.click();
    await page.waitForURL(/\/lieux\/\d+/);
    expect(await page.locator('h1').textContent()).toContain(placeName);
    const back = page.locator('.related-articles li', { hasText: title });
    expect(await back.textContent()).toContain('à propos du label « Cyber-base »');

    await back.locator('a').click();
    await page.waitForURL('**/articles/soyez-motives-qu-ils-disaient');
    expect((await page.locator('h1').textContent())?.trim()).toBe(title);
    await context.close();
  });

  const nearbyWalk =
    'when a reader goes from an article to a place near them offering its service, ' +
    'then that place leads back to the article';
  it(nearbyWalk, async () => {
    const title = 'Pôle Emploi et l’accompagnement aux usages numériques';
    // axe (below) is injected as an inline script: only this context lets it past the Content-Security-Policy.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/articles/pole-emploi-et-l-accompagnement-aux-usages-numeriques`);
    await page.fill('#nearby-ou', 'Martigues');
    await Promise.all([page.waitForURL(/ou=Martigues/), page.click('.nearby-form button[type=submit]')]);
    const firstPlace = page.locator('.nearby-places li a').first();
    const placeName = (await firstPlace.textContent())!.trim();

    await firstPlace.click();
    await page.waitForURL(/\/lieux\/\d+/);
    expect(await page.locator('h1').textContent()).toContain(placeName);
    const related = page.locator('.related-articles');
    expect(await related.locator('h2').textContent()).toBe('Articles du blog');
    const back = related.locator('li', { hasText: title });
    expect(await back.textContent()).toMatch(/à lire sur (le service|les services) « /);
    // Three at most, each with why it is listed; the list passes axe (the rest of the place page has its own tests).
    expect(await related.locator('li').count()).toBeLessThanOrEqual(3);
    expect(await related.locator('li .hint').count()).toBe(await related.locator('li').count());
    expect(await axeViolations(page, '.related-articles')).toEqual([]);

    await back.locator('a').click();
    await page.waitForURL('**/articles/pole-emploi-et-l-accompagnement-aux-usages-numeriques');
    expect((await page.locator('h1').textContent())?.trim()).toBe(title);
    await context.close();
  });
});
