import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CATEGORIES } from '../../server/reports/reports.schemas.js';
import { makeArticle } from '../integration/articles/article-factory.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../support/factories.js';
import { signInInBrowser, watchPage } from '../support/page-checks.js';
import { anonymousAgent, createUser, loginAs, postForm } from '../support/session.js';

/**
 * Issue 11, stored XSS: each payload is written into every field a person can fill (every place
 * field, site_web / prise_rdv / fiche_acces_libre with javascript: URLs, a visitor's report, a claim's
 * message, an article's title and Markdown, an account's address), through the real forms where they
 * accept it, and the importer's writer otherwise. Then every page that shows them is opened in
 * Chromium, twice: under the real CSP, and with the CSP bypassed — escaping must hold on its own.
 * Each payload sets window.__xss (or opens a dialog) if it ever runs.
 */
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '"><img src=x onerror="window.__xss=2">',
  "'><svg onload='window.__xss=3'>",
  '</script><script>window.__xss=4</script>',
  '{{constructor.constructor("window.__xss=5")()}}',
  '" onmouseover="window.__xss=6" autofocus onfocus="window.__xss=6" x="',
  '</textarea></title><iframe src="javascript:window.__xss=7"></iframe>',
  '<a href="javascript:window.__xss=8">clic</a>',
  '[clic](javascript:window.__xss=9) <details open ontoggle="window.__xss=9">',
  '${alert(10)}<%= alert(10) %><img src=x onerror=alert(10)>',
];
const jsUrl = (n: number) => `javascript:window.__xss=${n}`;

interface Inspection {
  xss: unknown;
  javascriptLinks: number;
  handlers: string[];
}

/** What the payloads could have left on the page: the flag, javascript: links, inline handlers. */
async function inspect(page: Page): Promise<Inspection> {
  return page.evaluate(() => {
    const urlAttributes = ['href', 'src', 'action', 'formaction', 'data'];
    const all = [...document.querySelectorAll('*')];
    return {
      xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
      javascriptLinks: all.filter((el) =>
        urlAttributes.some((name) => /^\s*javascript:/i.test(el.getAttribute(name) ?? '')),
      ).length,
      // The CSP forbids inline handlers, so the site has none: any on* attribute came from a payload.
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
    };
  });
}

describe('stored XSS corpus, shown inert on every page (Chromium)', () => {
  const { app, db } = createTestContext();
  const browser = useBrowser(() => app);
  const perPayload: { placeId: number; spot: { lat: number; lon: number }; articleSlug: string }[] = [];
  let adminEmail = '';

  beforeAll(async () => {
    const admin = await createUser(db, { role: 'admin' });
    adminEmail = admin.email;
    const adminAgent = await loginAs(app, admin);
    const visitor = anonymousAgent(app);
    for (const [index, payload] of PAYLOADS.entries()) {
      const n = index + 1;
      const spot = randomSpot();
      const label = await makeLabel(db, { name: payload });
      // The importer's writer takes what a data file holds, javascript: URLs included.
      const place = await makePlace(db, {
        at: spot,
        nom: payload,
        commune: payload,
        adresse: payload,
        complementAdresse: payload,
        structureParente: payload,
        presentationResume: payload,
        presentationDetail: `${payload}\n\n[lien](${jsUrl(n)})`,
        typologie: [payload],
        courriels: [`${payload}@exemple.test`],
        siteWeb: [jsUrl(n), payload],
        priseRdv: jsUrl(n),
        ficheAccesLibre: jsUrl(n),
        autresFormationsLabels: [payload],
        labels: [label.slug],
      });
      await db('place_managers').insert({ place_id: place.id, user_id: admin.id, status: 'approved' });
      // The forms: a manager's edit (kept, it makes a revision), javascript: URLs (refused), a
      // visitor's report, a claim from an account whose address carries the payload.
      const edit = await postForm(adminAgent, `/mon-espace/lieux/${place.id}/description`, {
        version: 1,
        presentation_resume: `${payload} (modifié)`,
        presentation_detail: payload,
      });
      expect(edit.status).toBe(303);
      const links = await postForm(adminAgent, `/mon-espace/lieux/${place.id}/contacts`, {
        version: 2,
        site_web: jsUrl(n),
        fiche_acces_libre: jsUrl(n),
      });
      expect(links.status).toBe(400);
      const report = await postForm(visitor, `/lieux/${place.id}/signalement`, {
        category: REPORT_CATEGORIES[0],
        message: payload,
      });
      expect(report.status).toBeLessThan(400);
      const claimant = await createUser(db, { email: `x${n}${payload.replace(/\s/g, '')}@exemple.test` });
      await db('place_managers').insert({
        place_id: place.id,
        user_id: claimant.id,
        status: 'pending',
        message: payload,
      });
      const article = await makeArticle(db, {
        title: payload,
        body_markdown: `${payload}\n\n[clic](${jsUrl(n)}) <a href="${jsUrl(n)}">a</a>\n\n${payload}`,
        places: [place.id],
      });
      perPayload.push({ placeId: place.id, spot, articleSlug: article.slug });
    }
  });

  async function check(
    context: BrowserContext,
    paths: string[],
    afterLoad?: (page: Page, path: string) => Promise<void>,
  ) {
    const page = await context.newPage();
    const watch = await watchPage(context, page);
    const problems: string[] = [];
    for (const path of paths) {
      const res = await page.goto(`${browser.baseUrl}${path}`, { waitUntil: 'load' });
      if (res?.status() !== 200) problems.push(`${path}: ${String(res?.status())}`);
      await afterLoad?.(page, path);
      const found = await inspect(page);
      if (found.xss !== null || found.javascriptLinks || found.handlers.length)
        problems.push(`${path}: ${JSON.stringify(found)}`);
    }
    if (watch.seen.dialogs.length) problems.push(`dialogs: ${watch.seen.dialogs.join(' | ')}`);
    await page.close();
    return { problems, checked: paths.length };
  }

  const publicPaths = () =>
    perPayload.flatMap(({ placeId, spot, articleSlug }) => [
      `/lieux/${placeId}`,
      `/?lat=${spot.lat}&lon=${spot.lon}&radius_km=5`,
      `/articles/${articleSlug}`,
    ]);
  const managerPaths = () =>
    perPayload.flatMap(({ placeId }) => [
      `/mon-espace/lieux/${placeId}`,
      `/mon-espace/lieux/${placeId}/historique`,
      `/mon-espace/lieux/${placeId}/description`,
      `/moderation/lieux/${placeId}/statut`,
    ]);
  const sharedPaths = [
    '/mon-espace',
    '/moderation',
    '/moderation/journal',
    '/admin/utilisateurs',
    '/articles',
    '/labels',
  ];

  /** On a search page, open the map popup of the payload's place: its content is built in the browser. */
  async function openPopup(page: Page, path: string) {
    if (!path.startsWith('/?')) return;
    // The map draws the list's pins, then those of its viewport: a pin clicked as they are replaced
    // is gone with its popup, and the next one is clicked.
    const popupLink = page.locator('.leaflet-popup-content a');
    for (let attempt = 1; ; attempt++) {
      await page.locator('.leaflet-marker-pane .map-pin').first().click();
      const shown = await popupLink.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      );
      if (shown || attempt === 4) break;
    }
    await popupLink.waitFor();
  }

  for (const bypassCSP of [false, true]) {
    const under = bypassCSP ? 'with the CSP bypassed (escaping alone)' : 'under the CSP';
    it(`when a visitor opens the place, search (map popup) and article pages, ${under}, no payload runs`, async () => {
      const context = await browser.newContext({ bypassCSP });
      const { problems, checked } = await check(context, publicPaths(), openPopup);
      console.info(`xss: ${PAYLOADS.length} payloads, ${checked} public pages ${under}`);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);

    it(`when a manager and the moderation open their pages, ${under}, no payload runs`, async () => {
      const context = await browser.newContext({ bypassCSP });
      const page = await context.newPage();
      await signInInBrowser(page, browser.baseUrl, adminEmail);
      const { problems, checked } = await check(context, [...managerPaths(), ...sharedPaths]);
      console.info(`xss: ${PAYLOADS.length} payloads, ${checked} signed-in pages ${under}`);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
