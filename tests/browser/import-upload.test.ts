import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { createUser, TEST_PASSWORD } from '../support/session.js';
import { franceServicesLikeCsv } from '../support/upload-files.js';

const { app, db } = createTestContext();
const browser = useBrowser(() => app);

describe('the moderators’ upload page in Chromium', () => {
  let tab: { context: BrowserContext; page: Page } | undefined;
  const stamp = `b${Date.now().toString(36)}`;

  beforeAll(async () => {
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

  const story =
    'when a moderator uploads a France-Services-style CSV with an unknown column, maps it, previews and imports, ' +
    'then the report counts every row and the places exist';
  it(
    story,
    async () => {
      const page = tab!.page;
      await page.goto(`${browser.baseUrl}/moderation/import`);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel(/Fichier CSV ou JSON/).setInputFiles({
        name: 'france-services-local.csv',
        mimeType: 'text/csv',
        buffer: franceServicesLikeCsv(stamp),
      });
      await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
      await page.getByRole('heading', { name: 'Importer « france-services-local.csv »' }).waitFor();
      expect(await page.locator('#format-detecte').textContent()).toContain('inconnu');
      expect(await page.locator('#encodage-detecte').textContent()).toBe('UTF-8');
      // The guesses are there; the name column is not guessed and the form says so next to it.
      expect(await page.locator('#colonne_commune').inputValue()).toBe('lib_com');
      await page.locator('#colonne_nom-error').waitFor();
      expect(await axeViolations(page)).toEqual([]);

      await page.locator('#colonne_nom').selectOption('Nom de la structure');
      await page.getByRole('button', { name: 'Prévisualiser' }).click();
      await page.getByRole('heading', { name: 'Aperçu des premières lignes' }).waitFor();
      expect(await page.locator('table.preview').textContent()).toContain(`France services Zqfsup ${stamp} 1`);
      expect(await page.locator('table.preview').textContent()).toContain('Serait créé');

      await page.getByLabel(/^Source/).fill(`navigateur-${stamp}`);
      await page.getByRole('button', { name: 'Importer', exact: true }).click();
      await page.getByRole('heading', { name: /Rapport d’import/ }).waitFor();
      expect(await page.locator('#compte-lues').textContent()).toBe('2');
      expect(await page.locator('#compte-creees').textContent()).toBe('2');
      expect(await page.locator('#compte-rejetees').textContent()).toBe('0');
      expect(await axeViolations(page)).toEqual([]);
      const places = await db('places').where({ source: `navigateur-${stamp}` });
      expect(places).toHaveLength(2);
    },
    90_000,
  );
});
