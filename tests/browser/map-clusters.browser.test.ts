import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { eastOf, makePlace, northOf } from '../support/factories.js';

describe('the map of every place, in a real browser (Chromium)', () => {
  const { db, app } = createTestContext();
  const browser = useBrowser(() => app);

  beforeAll(async () => {
    // A town's worth of places around Lyon: at the zoom of France they make one cluster at least.
    const lyon = { lat: 45.764, lon: 4.8357 };
    for (let i = 0; i < 12; i++) await makePlace(db, { at: eastOf(northOf(lyon, (i % 4) * 0.8), Math.floor(i / 4)) });
  });

  it('when a visitor opens the search page, before any search, then the map shows France in clusters', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/`);
    await expect.poll(() => page.locator('#carte .map-cluster-all').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const counts = await page.locator('#carte .map-cluster-all').allTextContents();
    expect(counts.map((text) => Number.parseInt(text, 10)).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(12);
    await context.close();
  });
});
