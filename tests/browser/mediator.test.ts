import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutboxMailer } from '../../server/mail/mailer.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { makePlace, randomSpot } from '../support/factories.js';

const outbox = await mkdtemp(path.join(os.tmpdir(), 'epn-browser-outbox-'));
afterAll(() => rm(outbox, { recursive: true, force: true }));

/** The last e-mail written to the outbox for `to`, decoded (quoted-printable), and its first link. */
async function linkFromOutbox(to: string): Promise<string> {
  const files = (await readdir(outbox)).sort().reverse();
  for (const file of files) {
    const raw = await readFile(path.join(outbox, file), 'utf8');
    if (!raw.includes(`To: ${to}`)) continue;
    const decoded = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const link = /https?:\/\/\S+jeton=[A-Za-z0-9_-]+/.exec(decoded);
    if (link) return link[0];
  }
  throw new Error(`aucun e-mail pour ${to} dans ${outbox}`);
}

function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Blocked map tiles and the expected 409 are resource errors; script errors and CSP refusals are not.
  page.on('console', (message) => { if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text()); });
  return errors;
}

describe('a mediator keeps their listing true (Chromium)', () => {
  const { app, db } = createTestContext({ mailer: createOutboxMailer(outbox, 'EPN Finder <test@epn.test>') });
  const browser = useBrowser(() => app);

  it('sign up → verify from the outbox → claim by e-mail match → hours on the grid → public page; stale edit → conflict; revert', async () => {
    const email = `animation-${Date.now()}@mediatheque-navigateur.fr`;
    const place = await makePlace(db, { at: randomSpot(), nom: `Médiathèque ${Date.now()}`, courriels: [email] });
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    const url = (p: string) => `${browser.baseUrl}${p}`;

    // Sign up, then confirm the address with the link of the e-mail written to the outbox.
    await page.goto(url('/'));
    await page.getByRole('link', { name: 'Connexion' }).click();
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel(/^Mot de passe/).fill('un mot de passe solide');
    await page.getByLabel('Confirmez le mot de passe').fill('un mot de passe solide');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('heading', { name: 'Vérifiez votre boîte e-mail' }).waitFor();
    const link = new URL(await linkFromOutbox(email));
    await page.goto(url(link.pathname + link.search));
    await page.getByRole('heading', { name: 'Votre adresse est confirmée' }).waitFor();

    // Log in, open the place page, claim it: the address is listed, so it is approved at once.
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill('un mot de passe solide');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Mon espace' }).waitFor();
    await page.goto(url(`/lieux/${place.id}`));
    await page.getByRole('link', { name: 'Gérer ce lieu' }).click();
    await page.getByRole('button', { name: 'Demander à gérer ce lieu' }).click();
    await expect(page.getByText('vous pouvez le gérer dès maintenant').isVisible()).resolves.toBe(true);

    // Hours on the weekly grid: Monday, copied to the other weekdays, the string shown live.
    await page.getByRole('link', { name: 'Modifier : Horaires' }).click();
    await page.locator('#h_Mo_1_from').fill('09:00');
    await page.locator('#h_Mo_1_to').fill('12:00');
    await page.locator('#h_Mo_2_from').fill('14:00');
    await page.locator('#h_Mo_2_to').fill('17:30');
    await page.getByRole('button', { name: 'Copier le lundi du mardi au vendredi' }).click();
    await expect(page.locator('.hours-preview').textContent()).resolves.toContain('Mo-Fr 09:00-12:00,14:00-17:30');
    await expect(page.locator('#horaires_brut').inputValue()).resolves.toBe('Mo-Fr 09:00-12:00,14:00-17:30');
    await page.getByRole('button', { name: 'Enregistrer la grille' }).click();
    await page.getByText('Modifications enregistrées').waitFor();
    expect((await db('places').where({ id: place.id }).first()).horaires).toBe('Mo-Fr 09:00-12:00,14:00-17:30');

    // The public page shows them at once, and who made the change.
    await page.goto(url(`/lieux/${place.id}`));
    const body = await page.locator('main').textContent();
    expect(body).toContain('09:00 – 12:00');
    expect(body).toContain('par l’équipe du lieu');

    // A stale edit: another tab saves first; mine gets the conflict page, with both versions.
    const other = await context.newPage();
    await page.goto(url(`/mon-espace/lieux/${place.id}/description`));
    await other.goto(url(`/mon-espace/lieux/${place.id}/description`));
    await other.getByLabel(/^Résumé/).fill('Version de l’autre onglet');
    await other.getByRole('button', { name: 'Enregistrer' }).click();
    await other.getByText('Modifications enregistrées').waitFor();
    await page.getByLabel(/^Résumé/).fill('Ma version');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('heading', { name: 'Quelqu’un a modifié cette fiche pendant que vous la modifiiez' }).waitFor();
    const conflict = await page.locator('main').textContent();
    expect(conflict).toContain('Version de l’autre onglet');
    await expect(page.getByLabel(/^Résumé/).inputValue()).resolves.toBe('Ma version');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Modifications enregistrées').waitFor();

    // Revert to the state right after the hours were saved.
    await page.getByRole('link', { name: 'Historique des modifications' }).click();
    const hoursRevision = page.locator('li.card', { hasText: 'Horaires' }).last();
    await hoursRevision.getByRole('button', { name: /Rétablir/ }).click();
    await page.getByText('La version choisie est rétablie').waitFor();
    expect((await db('places').where({ id: place.id }).first()).presentation_resume).toBeNull();

    expect(errors).toEqual([]);
    await context.close();
  });
});
