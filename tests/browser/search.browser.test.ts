import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { listReports } from '../../server/reports/reports.repository.js';
import { axeViolations } from '../support/axe.js';
import { useBrowser } from '../support/browser.js';
import { makeCommune, uniqueWord } from '../support/communes.js';
import { createTestContext } from '../support/context.js';
import { eastOf, makeLabel, makePlace, northOf, randomSpot } from '../support/factories.js';

const cardNames = (page: Page) => page.locator('.place-card-title a').allTextContents();

describe('searching in a real browser (Chromium)', () => {
  // 2026-12-01T10:00Z: Tuesday, 11:00 in Paris.
  const { db, app } = createTestContext();
  const browser = useBrowser(() => app);
  // Somewhere in mainland France's latitudes, far from other tests' random spots.
  const spot = randomSpot();
  const commune = `Montagnac-${uniqueWord()}`;
  let label: { slug: string; name: string };
  const names = { near: '', middle: '', far: '' };
  let nearPath = '';

  beforeAll(async () => {
    await makeCommune(db, { nom: commune, codesPostaux: ['01998'], latitude: spot.lat, longitude: spot.lon });
    label = await makeLabel(db, { name: `Label ${uniqueWord()}`, kind: 'programme_national' });
    const near = await makePlace(db, {
      at: northOf(spot, 1.2),
      horaires: 'Mo-Fr 09:00-17:00',
      services: ['Aide aux démarches administratives'],
      labels: [label.slug],
      telephone: '+33442000000',
    });
    const middle = await makePlace(db, {
      at: eastOf(spot, 6),
      horaires: 'Sa 09:00-12:00',
      services: ['Loisirs et créations numériques'],
    });
    const far = await makePlace(db, { at: northOf(spot, 15), horaires: 'Mo-Fr 09:00-17:00' });
    Object.assign(names, { near: near.nom, middle: middle.nom, far: far.nom });
    nearPath = `/lieux/${near.id}-`;
  });

  it('when a visitor searches a commune, then the nearest places are on the list and on the map', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/`);
    await page.fill('#ou', commune);
    await page.click('.search-where button[type=submit]');
    await page.waitForFunction(() => new URLSearchParams(location.search).has('ou'));
    await expect.poll(() => cardNames(page)).toEqual([names.near, names.middle, names.far]);
    await expect.poll(() => page.locator('#carte .map-pin, #carte .map-cluster').count()).toBeGreaterThan(0);
    await expect(page.locator('.place-card').first().textContent()).resolves.toContain('à 1,2 km');
    await context.close();
  });

  it('when filtering "Ouvert maintenant" and a label, then the list and the URL follow without a reload', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/?ou=${encodeURIComponent(commune)}`);
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });
    await page.check('#open_now');
    await expect.poll(() => cardNames(page)).toEqual([names.near, names.far]);
    expect(page.url()).toContain('open_now=true');
    await page.click('.filters summary');
    await page.check(`#labels-${label.slug}`);
    await expect.poll(() => cardNames(page)).toEqual([names.near]);
    expect(page.url()).toContain(`labels=${label.slug}`);
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true); // no full reload
    await context.close();
  });

  it('when a shared link is opened, then the same search comes back, map position included', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const lat = spot.lat.toFixed(5);
    const lon = spot.lon.toFixed(5);
    await page.goto(
      `${browser.baseUrl}/?ou=${encodeURIComponent(commune)}&open_now=true&radius_km=20&carte=13/${lat}/${lon}`,
    );
    expect(await page.isChecked('#open_now')).toBe(true);
    expect(await page.inputValue('#radius_km')).toBe('20');
    expect(await cardNames(page)).toEqual([names.near, names.far]);
    // The map opened where the link says.
    await expect.poll(() => page.getAttribute('#carte', 'data-view')).toBe(`13/${Number(lat)}/${Number(lon)}`);
    // Move the map: the URL keeps the new position, and "Rechercher dans cette zone" appears.
    await page.locator('#carte').scrollIntoViewIfNeeded();
    const box = (await page.locator('#carte').boundingBox())!;
    const y = box.y + Math.min(box.height / 2, 120);
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 80, y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.isVisible('#search-area')).toBe(true);
    // Dragged 80 px to the left: the map's centre moved east.
    const centreLon = () => Number((new URL(page.url()).searchParams.get('carte') ?? '').split('/')[2]);
    await expect.poll(centreLon).toBeGreaterThan(spot.lon + 0.001);
    await page.click('#search-area');
    await expect.poll(() => page.url()).toContain('bbox=');
    expect(await page.inputValue('#ou')).toBe('');
    await expect(page.textContent('#resultats-titre')).resolves.toContain('cette zone de la carte');
    // Back: the previous search and its map position come back.
    await page.goBack();
    await expect.poll(() => page.url()).not.toContain('bbox=');
    expect(await page.inputValue('#ou')).toBe(commune);
    await expect.poll(() => cardNames(page)).toEqual([names.near, names.far]);
    expect(await page.isChecked('#open_now')).toBe(true);
    await context.close();
  });

  it('when a "#" link is followed or the URL has a radius the list lacks, then the form keeps the search', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/?ou=${encodeURIComponent(commune)}`);
    expect(await page.inputValue('#radius_km')).toBe('30');
    await page.check('#open_now');
    await expect.poll(() => page.url()).toContain('open_now=true');
    await expect.poll(() => cardNames(page)).toEqual([names.near, names.far]);
    // The skip link and "Voir ces lieux sur la carte" only change the hash: nothing is reset or reloaded.
    let fetches = 0;
    page.on('request', (request) => {
      if (request.headers()['x-fragment']) fetches++;
    });
    await page.getByText('Aller au contenu').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('#');
    await page.goBack(); // back to the same search without the hash
    // Wait until the page has handled the change (popstate, then hashchange), not for a fixed time.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          window.addEventListener('hashchange', () => setTimeout(resolve, 0), { once: true });
          location.hash = 'carte';
        }),
    );
    expect(await page.inputValue('#radius_km')).toBe('30');
    expect(await page.isChecked('#open_now')).toBe(true);
    expect(fetches).toBe(0);
    // Back to the search without "Ouvert maintenant" nor radius: 30 km (the default), not the first option (5 km).
    await page.selectOption('#radius_km', '10');
    await expect.poll(() => page.url()).toContain('radius_km=10');
    await page.goBack(); // "#carte"
    await expect.poll(() => page.inputValue('#radius_km')).toBe('30');
    await page.goBack(); // the same search, without the hash
    await page.goBack(); // the first search: no "Ouvert maintenant", no radius
    await expect.poll(() => page.url()).not.toContain('open_now');
    await expect.poll(() => page.isChecked('#open_now')).toBe(false);
    expect(await page.inputValue('#radius_km')).toBe('30');
    // Back to a department searched without radius: the 100 km the server used, not this page's 30
    // (2A: no other test's department).
    await makeCommune(db, { insee: '2A950', latitude: spot.lat, longitude: spot.lon });
    await page.evaluate(() => {
      history.pushState(null, '', '/?ou=2A');
      history.pushState(
        null,
        '',
        `/?ou=${encodeURIComponent(new URLSearchParams(location.search).get('ou') ?? '')}&radius_km=10`,
      );
    });
    await page.goBack();
    await expect.poll(() => page.textContent('#resultats-titre')).toContain('100 km');
    expect(await page.inputValue('#radius_km')).toBe('100');
    // radius_km=7 (accepted by the API, not in the list): shown as chosen, and kept by the next filter change.
    await page.goto(`${browser.baseUrl}/?ou=${encodeURIComponent(commune)}&radius_km=7`);
    expect(await page.inputValue('#radius_km')).toBe('7');
    expect(await page.textContent('#resultats-titre')).toContain('7 km');
    await page.check('#open_now');
    await expect.poll(() => page.url()).toContain('open_now=true');
    expect(new URL(page.url()).searchParams.get('radius_km')).toBe('7');
    await context.close();
  });

  it('when geolocation is granted, then the places around the visitor are listed', async () => {
    const context = await browser.newContext({
      permissions: ['geolocation'],
      geolocation: { latitude: spot.lat, longitude: spot.lon },
    });
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/`);
    await page.click('#autour-de-moi');
    await expect.poll(() => cardNames(page)).toEqual([names.near, names.middle, names.far]);
    expect(page.url()).toContain(`lat=${Number(spot.lat.toFixed(5))}`);
    await expect(page.textContent('#resultats-titre')).resolves.toContain('votre position');
    await context.close();
  });

  it('when geolocation is refused, then a clear message says what to do instead', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/`);
    await page.click('#autour-de-moi');
    await expect.poll(() => page.textContent('#geoloc-status')).toContain('Vous n’avez pas autorisé la localisation');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ou');
    await context.close();
  });

  it('when a visitor uses only the keyboard, then search, filter, opening a place and reporting all work', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/`);
    await page.keyboard.press('Tab'); // skip link
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    await page.focus('#ou');
    await page.keyboard.type(commune);
    await page.keyboard.press('Enter');
    await expect.poll(() => cardNames(page)).toEqual([names.near, names.middle, names.far]);
    // Focus moved to the results heading; "Ouvert maintenant" by keyboard.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('resultats-titre');
    await page.focus('#open_now');
    await page.keyboard.press('Space');
    await expect.poll(() => cardNames(page)).toEqual([names.near, names.far]);
    // Tab from the results heading to the first place's link, and open it.
    await page.focus('#resultats-titre');
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === names.near) break;
    }
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(names.near);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none'); // visible focus
    await Promise.all([page.waitForURL(/\/lieux\//), page.keyboard.press('Enter')]);
    expect(page.url()).toContain(nearPath);
    // The report form, by keyboard.
    await page.focus('#signalement-horaires');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    while ((await page.evaluate(() => document.activeElement?.id)) !== 'signalement-message')
      await page.keyboard.press('Tab');
    await page.keyboard.type('Le lieu ferme à 16 h le vendredi.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/signalement=merci/), page.keyboard.press('Enter')]);
    await expect(page.textContent('#signaler')).resolves.toContain('Merci ! Votre signalement a bien été envoyé.');
    const id = Number(nearPath.split('/')[2].replace('-', ''));
    expect((await listReports(db, { placeId: id })).map((r) => r.message)).toContain(
      'Le lieu ferme à 16 h le vendredi.',
    );
    await context.close();
  });

  it('when a report is sent empty, then the page comes back at the form with the error summary focused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}${nearPath.replace(/-$/, '')}`);
    await Promise.all([page.waitForURL(/signalement#signaler$/), page.click('.report-form button[type=submit]')]);
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('form-error-summary');
    expect(await page.evaluate(() => document.activeElement?.closest('#signaler') !== null)).toBe(true);
    // The summary is on screen, not 1,500 px below.
    const top = await page.evaluate(() => document.activeElement!.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(-1);
    expect(top).toBeLessThan(await page.evaluate(() => window.innerHeight));
    await context.close();
  });

  it('when JavaScript is off, then the form submits to the server and the list is paginated', async () => {
    const crowd = randomSpot();
    const crowdName = `Bourg-${uniqueWord()}`;
    await makeCommune(db, { nom: crowdName, latitude: crowd.lat, longitude: crowd.lon });
    for (let i = 1; i <= 22; i++) await makePlace(db, { at: northOf(crowd, i * 0.4) });
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/`);
    expect(await page.isVisible('#autour-de-moi')).toBe(false);
    expect(await page.isVisible('#carte')).toBe(false);
    await page.fill('#ou', crowdName);
    await Promise.all([page.waitForURL(/ou=/), page.click('.search-where button[type=submit]')]);
    expect(await cardNames(page)).toHaveLength(20);
    await Promise.all([page.waitForURL(/page=/), page.click('a[rel=next]')]);
    expect(await cardNames(page)).toHaveLength(2);
    await context.close();
  });

  it('when the map tiles cannot load, then the markers still show over the outline of France', async () => {
    const context = await browser.newContext(); // every non-loopback request (the tiles) is aborted
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/?ou=${encodeURIComponent(commune)}`);
    await expect.poll(() => page.locator('#carte .map-pin, #carte .map-cluster').count()).toBeGreaterThan(0);
    expect(await page.locator('#carte .map-pin, #carte .map-cluster').first().isVisible()).toBe(true);
    await expect.poll(() => page.isVisible('.map-offline-note')).toBe(true);
    // The outline is drawn (zoom out to France to see it).
    await expect.poll(() => page.locator('#carte .leaflet-outline-pane path').count()).toBe(2);
    await context.close();
  });

  // axe, one page per test so that none runs near its timeout; axe is injected as a script, so these
  // contexts let it past the Content-Security-Policy.
  async function axePage() {
    const context = await browser.newContext({ bypassCSP: true });
    return { context, page: await context.newPage() };
  }

  it.each([
    ['the home page', () => '/'],
    ['the results of a commune', () => `/?ou=${encodeURIComponent(commune)}`],
    ['the results with an invalid radius', () => `/?ou=${encodeURIComponent(commune)}&radius_km=loin`],
    ['the results with the filters open', () => `/?ou=${encodeURIComponent(commune)}&labels=${label.slug}`],
    ['a place page', () => nearPath.replace(/-$/, '')],
    ['the labels page', () => '/labels'],
    ['a label page', () => `/labels/${label.slug}`],
    ['the not-found page', () => '/une-page-qui-n-existe-pas'],
  ])('when axe checks %s, then there is no WCAG 2.1 AA violation', async (_name, path) => {
    const { context, page } = await axePage();
    await page.goto(`${browser.baseUrl}${path()}`);
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('when axe checks the report form sent back with its errors, then there is no WCAG 2.1 AA violation', async () => {
    const { context, page } = await axePage();
    await page.goto(`${browser.baseUrl}${nearPath.replace(/-$/, '')}`);
    await page.click('.report-form button[type=submit]');
    await page.waitForLoadState('networkidle');
    expect(await page.textContent('.report-form')).toContain('Choisissez ce qui ne va pas.');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('when a card is hovered or focused, then its marker is highlighted on the map', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/?ou=${encodeURIComponent(commune)}&carte=12/${spot.lat}/${spot.lon}`);
    await expect.poll(() => page.locator('#carte .map-pin, #carte .map-cluster').count()).toBeGreaterThan(0);
    await page.focus('.place-card-title a');
    await expect.poll(() => page.locator('#carte .is-highlighted').count()).toBe(1);
    expect(await page.locator('#carte .is-highlighted').textContent()).toContain(names.near);
    await page.locator('.place-card').nth(1).hover();
    await expect.poll(() => page.locator('#carte .is-highlighted').textContent()).toContain(names.middle);
    // And the other way: opening a marker (keyboard: Enter) marks its card.
    await page.focus(`#carte .map-pin[title="${names.far}"]`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.place-card.is-selected .place-card-title').textContent()).toBe(names.far);
    expect(await page.locator('.leaflet-popup-content a').textContent()).toBe(names.far);
    await context.close();
  });

  it('when a place page is printed, then it is a one-page "fiche d’orientation" without the site chrome', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}${nearPath.replace(/-$/, '')}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('.print-kicker')).toBe(true);
    for (const hidden of ['.site-header', '.site-footer', '#signaler', '.leaflet-container']) {
      expect({ hidden, visible: await page.isVisible(hidden) }).toEqual({ hidden, visible: false });
    }
    expect(await page.isVisible('.hours-table')).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(1);
    await context.close();
  });

  it('when the screen is 360 px wide, then nothing overflows sideways', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    for (const path of [`/?ou=${encodeURIComponent(commune)}`, nearPath.replace(/-$/, '')]) {
      await page.goto(`${browser.baseUrl}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ path, width }).toEqual({ path, width: 360 });
    }
    await context.close();
  });
});
