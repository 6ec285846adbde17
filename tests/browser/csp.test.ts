import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeArticle } from '../integration/articles/article-factory.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../support/factories.js';
import { signInInBrowser, watchPage } from '../support/page-checks.js';
import { createUser } from '../support/session.js';

/**
 * Issue 11: a Content-Security-Policy without 'unsafe-inline' for scripts or styles, and the site
 * still whole under it — the main pages load in Chromium with no violation, and the Leaflet maps
 * (which place tiles and markers through element.style) still draw their markers.
 */
describe('Content-Security-Policy without unsafe-inline (Chromium)', () => {
  const { app, db } = createTestContext();
  const browser = useBrowser(() => app);
  const spot = randomSpot();
  const paths = { place: '', label: '', article: '', search: '' };
  let placeId = 0;
  let adminEmail = '';

  beforeAll(async () => {
    const place = await makePlace(db, { at: spot, horaires: 'Mo-Fr 09:00-17:00' });
    placeId = place.id;
    const label = await makeLabel(db);
    const article = await makeArticle(db, {
      body_markdown: '## Titre\n\nUn [lien](https://exemple.fr) et du *texte*.',
    });
    const admin = await createUser(db, { role: 'admin' });
    await db('place_managers').insert({ place_id: place.id, user_id: admin.id, status: 'approved' });
    adminEmail = admin.email;
    Object.assign(paths, {
      place: `/lieux/${place.id}`,
      label: `/labels/${label.slug}`,
      article: `/articles/${article.slug}`,
      search: `/?lat=${spot.lat}&lon=${spot.lon}&radius_km=5`,
    });
  });

  it('when any page is served, then scripts and styles are from this origin only, never inline', async () => {
    const res = await request(app).get('/');
    const csp = res.headers['content-security-policy'];
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("style-src-attr 'none'");
  });

  it('when a visitor opens the public pages, then no CSP violation and the maps draw their markers', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = await watchPage(context, page);
    const found: Record<string, string[]> = {};
    for (const path of [
      '/',
      paths.search,
      paths.place,
      '/labels',
      paths.label,
      '/articles',
      paths.article,
      '/donnees-ouvertes',
      '/api',
      '/connexion',
      '/inscription',
      '/page-qui-n-existe-pas',
    ]) {
      await page.goto(`${browser.baseUrl}${path}`, { waitUntil: 'load' });
      if (path === paths.search || path === paths.place) {
        // Markers are positioned by Leaflet through element.style (CSSOM): the CSP must leave that alone.
        const pin = page.locator('.leaflet-marker-pane .map-pin, .leaflet-marker-pane .map-cluster').first();
        await pin.waitFor();
        await expect(pin.evaluate((el) => (el as HTMLElement).style.transform)).resolves.toMatch(/translate3d/);
      }
      found[path] = await watch.violations();
    }
    expect(Object.entries(found).filter(([, v]) => v.length)).toEqual([]);
    expect(watch.seen.errors).toEqual([]);
    await context.close();
  });

  it('when an admin goes through their pages and the editing forms, then no CSP violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = await watchPage(context, page);
    await signInInBrowser(page, browser.baseUrl, adminEmail);
    const found: Record<string, string[]> = {};
    for (const path of [
      '/mon-espace',
      `/mon-espace/lieux/${placeId}`,
      `/mon-espace/lieux/${placeId}/general`,
      `/mon-espace/lieux/${placeId}/horaires`,
      `/mon-espace/lieux/${placeId}/historique`,
      `/mon-espace/lieux/${placeId}/labels`,
      '/mon-espace/nouveau-lieu',
      '/moderation',
      '/moderation/journal',
      `/moderation/lieux/${placeId}/statut`,
      '/admin/articles',
      '/admin/articles/nouveau',
      '/admin/utilisateurs',
    ]) {
      await page.goto(`${browser.baseUrl}${path}`, { waitUntil: 'load' });
      if (path.endsWith('/general')) await page.locator('.leaflet-marker-pane .leaflet-marker-icon').first().waitFor();
      found[path] = await watch.violations();
    }
    expect(Object.entries(found).filter(([, v]) => v.length)).toEqual([]);
    expect(watch.seen.errors).toEqual([]);
    await context.close();
  });
});
