import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutboxMailer } from '../../server/mail/mailer.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { makePlace, randomSpot } from '../support/factories.js';
import { linkFromOutbox } from '../support/outbox.js';
import { createUser, TEST_PASSWORD } from '../support/session.js';

const outbox = await mkdtemp(path.join(os.tmpdir(), 'epn-browser-outbox-'));
afterAll(() => rm(outbox, { recursive: true, force: true }));

function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Blocked map tiles and the expected 409 are resource errors; script errors and CSP refusals are not.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  return errors;
}

describe('a mediator keeps their listing true (Chromium)', () => {
  const { app, db } = createTestContext({ mailer: createOutboxMailer(outbox, 'EPN Finder <test@epn.test>') });
  const browser = useBrowser(() => app);

  it('sign up → verify (outbox) → e-mail claim → grid hours → public page; stale edit → conflict; revert', async () => {
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
    const link = new URL(await linkFromOutbox(outbox, email));
    await page.goto(url(link.pathname + link.search));
    // Confirming asks for the password (whoever signed up with this address loses the account).
    await page.getByLabel(/^Mot de passe/).fill('un mot de passe solide');
    await page.getByLabel('Confirmez le mot de passe').fill('un mot de passe solide');
    await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
    await page.getByRole('heading', { name: 'Mon espace' }).waitFor();

    // Open the place page, claim it: the address is listed, so it is approved at once.
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
    await page
      .getByRole('heading', { name: 'Quelqu’un a modifié cette fiche pendant que vous la modifiiez' })
      .waitFor();
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
  }, 90_000); // a whole story (sign-up with its argon2 hashes, claim, hours, conflict, revert): ~20 s quiet

  async function signedIn(
    role: 'mediator' | 'moderator' | 'admin' = 'mediator',
    viewport?: { width: number; height: number },
  ) {
    const user = await createUser(db, { role });
    const place = await makePlace(db, { at: randomSpot(), nom: `Espace ${Date.now()}` });
    await db('place_managers').insert({
      place_id: place.id,
      user_id: user.id,
      status: 'approved',
      method: 'moderator',
    });
    const context = await browser.newContext(viewport ? { viewport } : {});
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/connexion`);
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Mon espace' }).waitFor();
    return { user, place, context, page };
  }

  it('when the mediator clicks the general section’s map, then the pin moves and the coordinates follow', async () => {
    const { place, context, page } = await signedIn();
    const errors = watchErrors(page);
    await page.goto(`${browser.baseUrl}/mon-espace/lieux/${place.id}/general`);
    const map = page.locator('.pin-map');
    await map.waitFor();
    const before = await page.locator('#latitude').inputValue();
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2 + 60, y: box.height / 2 + 40 } });
    await expect.poll(() => page.locator('#latitude').inputValue()).not.toBe(before);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Modifications enregistrées').waitFor();
    const row = await db('places').where({ id: place.id }).first();
    expect(row.latitude).not.toBe(place.latitude);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when the screen is 360 px wide, then wide tables scroll within a region; no page scrolls sideways', async () => {
    const { place, user, context, page } = await signedIn('admin', { width: 360, height: 740 });
    await db('places').where({ id: place.id }).update({ horaires: 'Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00' });
    // Enough rows for the wide columns: decisions in the journal, an article in the blog's list.
    await db('audit_log').insert({
      actor_id: user.id,
      action: 'place.hidden',
      subject_type: 'place',
      subject_id: String(place.id),
      reason: 'Un motif assez long pour élargir la colonne des motifs du journal',
      details: JSON.stringify({ placeId: place.id }),
    });
    // The queue's own wide table, whatever other files left in it: a claim from a long, unbreakable address.
    const claimant = await createUser(db, {
      email: `une-personne-au-nom-assez-long-${place.id}@association-du-territoire.fr`,
    });
    await db('place_managers').insert({ place_id: place.id, user_id: claimant.id, status: 'pending' });
    // A visitor's report is free text: one unbroken "word" must wrap, not widen the page.
    await db('place_reports').insert({ place_id: place.id, category: 'horaires', message: 'horaires'.repeat(40) });
    await db('articles').insert({
      slug: `article-etroit-${place.id}`,
      title: 'Un article au titre assez long pour la liste des articles',
      body_markdown: 'Texte',
      status: 'published',
      published_at: new Date(),
      position: 1,
    });
    const pages = [
      `/mon-espace/lieux/${place.id}/horaires`,
      '/admin/utilisateurs',
      '/moderation/journal',
      '/admin/articles',
      `/mon-espace/lieux/${place.id}/historique`,
      '/moderation',
      '/mon-espace',
      `/mon-espace/lieux/${place.id}`,
    ];
    const tooWide: string[] = [];
    for (const path of pages) {
      const res = await page.goto(`${browser.baseUrl}${path}`);
      expect(res?.status(), path).toBe(200);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) tooWide.push(`${path}: ${width} px`);
      // Every table wider than the screen sits in a focusable, named region that scrolls.
      const bare = await page.evaluate(
        () =>
          [...document.querySelectorAll('main table')]
            .filter((table) => table.getBoundingClientRect().width > document.documentElement.clientWidth)
            .filter((table) => {
              const region = table.closest('.table-scroll');
              return (
                region?.getAttribute('role') !== 'region' ||
                !region.getAttribute('aria-label') ||
                region.getAttribute('tabindex') !== '0'
              );
            }).length,
      );
      if (bare) tooWide.push(`${path}: ${bare} table(s) hors d’une région défilante`);
    }
    expect(tooWide).toEqual([]);
    await context.close();
  });
});
