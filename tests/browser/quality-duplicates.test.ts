import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { makePlace, northOf, randomSpot } from '../support/factories.js';
import { createUser, TEST_PASSWORD } from '../support/session.js';

const { app, db } = createTestContext();
const browser = useBrowser(() => app);

describe('moderators’ data-quality and duplicates pages in Chromium', () => {
  let tab: { context: BrowserContext; page: Page } | undefined;
  const stamp = Date.now();
  let a = { id: 0, nom: '' };
  let b = { id: 0, nom: '' };

  beforeAll(async () => {
    const here = randomSpot();
    const commune = { codePostal: '20000', codeInsee: '2A777', commune: 'Essai' };
    a = await makePlace(db, { ...commune, at: here, nom: `Médiathèque du port ${stamp}`, horaires: 'Mo 09:00-12:00' });
    b = await makePlace(db, {
      ...commune,
      at: northOf(here, 0.03),
      nom: `Mediatheque du Port ${stamp}`,
      horaires: 'Tu 14:00-18:00',
    });
    const user = await createUser(db, { role: 'moderator' });
    // axe is injected as an inline script: only this test context bypasses the CSP.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/connexion`);
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Mon espace' }).waitFor();
    tab = { context, page };
  });
  afterAll(() => tab?.context.close());

  it.each(['/moderation/qualite', '/moderation/qualite?departement=2A', '/moderation/doublons', '/pair'])(
    'when axe checks %s, then no WCAG 2.1 AA violation',
    async (path) => {
      const page = tab!.page;
      const url = path === '/pair' ? `/moderation/doublons/${a.id}/${b.id}` : path;
      const res = await page.goto(`${browser.baseUrl}${url}`);
      expect(res?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
    },
  );

  const mergeAndUndo =
    'when a moderator merges a pair keeping the other’s hours, then the old page leads to the kept one; ' +
    'undo separates them';
  it(
    mergeAndUndo,
    async () => {
      const page = tab!.page;
      // Straight to the pair: in the shared test database the département's list may hold other tests' pairs
      // ranked before this one (the list itself is checked by tests/integration/quality/duplicates.test.ts).
      await page.goto(`${browser.baseUrl}/moderation/doublons/${a.id}/${b.id}`);
      await page.getByRole('heading', { name: 'Ces deux lieux sont-ils le même ?' }).waitFor();
      await page.locator('#champ-horaires-b').check();
      await page.getByRole('button', { name: 'Fusionner' }).click();
      await page.getByText('Lieux fusionnés').waitFor();

      const old = await page.goto(`${browser.baseUrl}/lieux/${b.id}`);
      expect(old?.status()).toBe(200);
      expect(page.url()).toMatch(new RegExp(`/lieux/${a.id}-`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(a.nom);
      expect((await db('places').where({ id: a.id }).first()).horaires).toBe('Tu 14:00-18:00');

      await page.goto(`${browser.baseUrl}/moderation/doublons`);
      await page.getByRole('button', { name: new RegExp(`Annuler la fusion de « ${b.nom} »`) }).click();
      await page.getByText('Fusion annulée').waitFor();
      const back = await page.goto(`${browser.baseUrl}/lieux/${b.id}`);
      expect(back?.status()).toBe(200);
      expect(page.url()).toMatch(new RegExp(`/lieux/${b.id}-`));
      // Seven page loads: under the whole suite's load on two cores, over the default 30 s (as mediator.test.ts).
    },
    90_000,
  );
});
