import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, TEST_PASSWORD } from '../support/session.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../support/factories.js';
import { makeArticle, uniqueSlug, uniqueWord } from '../integration/articles/article-factory.js';

const AXE = 'node_modules/axe-core/axe.min.js';

async function axeViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('a reader follows the links between the blog and the directory (Chromium)', () => {
  const { app, db } = createTestContext();
  const browser = useBrowser(() => app);

  it('when a reader goes article → label page → place page, then they can come back to an article', async () => {
    const word = uniqueWord();
    const label = await makeLabel(db, { name: `Label ${word}` });
    const place = await makePlace(db, { at: randomSpot(), nom: `Espace ${word}`, labels: [label.slug] });
    const slug = uniqueSlug('lecture');
    const article = await makeArticle(db, {
      slug, title: `Le label ${word} au quotidien`, labels: [label.slug],
      body_markdown: `Ce texte parle du Label ${word} et de ses lieux.\n\n## Une section\n\nLa suite.`,
    });

    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    // Errors on the blog's pages (the directory's pages have their own browser tests).
    const onArticle = () => new URL(page.url()).pathname.startsWith('/articles/');
    page.on('pageerror', (error) => { if (onArticle()) errors.push(error.message); });
    page.on('console', (message) => { if (message.type() === 'error' && onArticle()) errors.push(message.text()); });

    await page.goto(`${browser.baseUrl}/articles/${slug}`);
    expect((await page.locator('h1').textContent())?.trim()).toBe(article.title);
    // The label's name in the prose is a link too.
    expect(await page.locator('.article-body a', { hasText: `Label ${word}` }).getAttribute('href')).toBe(`/labels/${label.slug}`);

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

  it('when axe checks the blog’s pages and the editor, then there is no WCAG 2.1 AA violation', async () => {
    const word = uniqueWord();
    const slug = uniqueSlug('axe');
    await makeArticle(db, {
      slug, title: `Accessible ${word}`, tags: [word], teaser: true, services: ['Aide aux démarches administratives'],
      body_markdown: `Un texte ${word}.\n\n## Une section\n\n- un\n- deux\n\n> Une citation.`,
    });
    const admin = await createUser(db, { role: 'admin' });
    // axe is injected as an inline script: only this context lets it past the Content-Security-Policy.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const path of ['/articles', `/articles/tag/${word}`, `/articles/${slug}`, `/articles/${slug}?ou=zzzz`, `/recherche?q=${word}`, '/recherche']) {
      await page.goto(`${browser.baseUrl}${path}`);
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    }
    await page.goto(`${browser.baseUrl}/connexion`);
    await page.fill('input[name=email]', admin.email);
    await page.fill('input[name=password]', TEST_PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/connexion')), page.click('form[action="/connexion"] button[type=submit]')]);
    for (const path of ['/admin/articles', '/admin/articles/nouveau']) {
      await page.goto(`${browser.baseUrl}${path}`);
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    }
    // The editor with its errors and a preview.
    await page.fill('#champ-title', '');
    await page.fill('#champ-slug', 'Pas Valide');
    await page.fill('#champ-body_markdown', '## Aperçu\n\nTexte.');
    await page.click('button[value=save]');
    expect(await page.locator('.form-error-summary').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('button[value=preview]');
    expect(await page.locator('.article-preview .prose h2', { hasText: 'Aperçu' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('when the reader shares their position on an article, then the nearest places offering its service are listed', async () => {
    const home = randomSpot();
    const word = uniqueWord();
    const near = await makePlace(db, { at: { lat: home.lat + 0.01, lon: home.lon }, nom: `Proche ${word}`, services: ['Insertion professionnelle via le numérique'] });
    const slug = uniqueSlug('position');
    await makeArticle(db, { slug, services: ['Insertion professionnelle via le numérique'] });
    const context = await browser.newContext({ geolocation: { latitude: home.lat, longitude: home.lon }, permissions: ['geolocation'] });
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
