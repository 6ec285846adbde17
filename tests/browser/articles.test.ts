import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
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
});
