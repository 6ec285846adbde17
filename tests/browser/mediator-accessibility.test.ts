import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxMailer } from '../../server/mail/mailer.js';
import { axeViolations } from '../support/axe.js';
import { useBrowser } from '../support/browser.js';
import { createTestContext } from '../support/context.js';
import { makePlace, randomSpot } from '../support/factories.js';
import { linkFromOutbox } from '../support/outbox.js';
import { createUser, TEST_PASSWORD, type TestUser } from '../support/session.js';

// One page per test, so that none runs near its timeout; the sign-in is shared by each describe.
const outbox = await mkdtemp(path.join(os.tmpdir(), 'epn-axe-outbox-'));
afterAll(() => rm(outbox, { recursive: true, force: true }));

const { app, db } = createTestContext({ mailer: createOutboxMailer(outbox, 'EPN Finder <test@epn.test>') });
const browser = useBrowser(() => app);

/** A signed-in tab; axe is injected as an inline script, so only these test contexts bypass the CSP. */
async function signIn(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${browser.baseUrl}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Mon espace' }).waitFor();
  return { context, page };
}

/** Opens `path`, expects 200, and returns axe's violations there. */
async function checkPage(page: Page, path: string): Promise<string[]> {
  const res = await page.goto(`${browser.baseUrl}${path}`);
  expect(res?.status(), path).toBe(200);
  return axeViolations(page);
}

describe('axe on accounts, editing and moderation pages, as a moderator with a place: no WCAG 2.1 AA violation', () => {
  let tab: { context: BrowserContext; page: Page } | undefined; // unset if beforeAll fails
  let placeId = 0;
  let placeName = '';
  let otherPlaceId = 0;

  beforeAll(async () => {
    const user = await createUser(db, { role: 'moderator' });
    const place = await makePlace(db, { at: randomSpot(), nom: `Espace ${Date.now()}` });
    await db('place_managers').insert({
      place_id: place.id,
      user_id: user.id,
      status: 'approved',
      method: 'moderator',
    });
    placeId = place.id;
    placeName = place.nom;
    otherPlaceId = (await makePlace(db, { at: randomSpot(), nom: `Autre lieu ${Date.now()}` })).id;
    tab = await signIn(user);
  });
  afterAll(() => tab?.context.close());

  // `:place` is the moderator's place, `:other` a place someone else could run (its claim page).
  it.each([
    '/mon-espace',
    '/mon-espace/lieux/:place',
    '/mon-espace/lieux/:place/general',
    '/mon-espace/lieux/:place/horaires',
    '/mon-espace/lieux/:place/services',
    '/mon-espace/lieux/:place/labels',
    '/mon-espace/lieux/:place/contacts',
    '/mon-espace/lieux/:place/description',
    '/mon-espace/lieux/:place/modalites',
    '/mon-espace/lieux/:place/historique',
    '/mon-espace/lieux/:other/demande',
    '/mon-espace/nouveau-lieu',
    '/moderation',
    '/moderation/journal',
    '/moderation/lieux/:place/statut',
    '/api',
  ])('when axe checks %s, then no violation', async (template) => {
    const path = template.replace(':place', String(placeId)).replace(':other', String(otherPlaceId));
    expect(await checkPage(tab!.page, path)).toEqual([]);
  });

  it('when axe checks the three-way conflict page (a field changed on both sides), then no violation', async () => {
    const { page } = tab!;
    await page.goto(`${browser.baseUrl}/mon-espace/lieux/${placeId}/general`);
    const version = (await db('places').where({ id: placeId }).first()).version as number;
    await db('places')
      .where({ id: placeId })
      .update({ nom: 'Nom changé ailleurs', version: version + 1 });
    await db('place_revisions').insert({
      place_id: placeId,
      version: version + 1,
      user_id: null,
      author_role: 'moderator',
      kind: 'edit',
      changes: JSON.stringify({ nom: { old: placeName, new: 'Nom changé ailleurs' } }),
    });
    await page.getByLabel(/^Nom du lieu/).fill('Mon nom');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('À choisir').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('when axe checks the queue sent back with a missing reason next to its field, then no violation', async () => {
    const { page } = tab!;
    const claimant = await createUser(db);
    await db('place_managers').insert({ place_id: placeId, user_id: claimant.id, status: 'pending' });
    await page.goto(`${browser.baseUrl}/moderation`);
    await page
      .locator('li.card', { hasText: `${claimant.email} veut gérer` })
      .getByRole('button', { name: 'Refuser' })
      .click();
    await page.getByText('Indiquez le motif du refus').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('axe on the administration pages, signed in as an admin: no WCAG 2.1 AA violation', () => {
  let tab: { context: BrowserContext; page: Page } | undefined; // unset if beforeAll fails
  let articleId = 0;

  beforeAll(async () => {
    const [article] = await db('articles')
      .insert({
        slug: `article-axe-${Date.now()}`,
        title: 'Article vérifié par axe',
        body_markdown: 'Du **texte**.',
        status: 'draft',
        position: 1,
      })
      .returning('id');
    articleId = article.id;
    tab = await signIn(await createUser(db, { role: 'admin' }));
  });
  afterAll(() => tab?.context.close());

  it('when axe checks the accounts list, then no violation', async () => {
    expect(await checkPage(tab!.page, '/admin/utilisateurs')).toEqual([]);
  });

  it('when axe checks an article’s form, then no violation', async () => {
    expect(await checkPage(tab!.page, `/admin/articles/${articleId}/modifier`)).toEqual([]);
  });
});

describe('axe on the pages of someone not signed in: no WCAG 2.1 AA violation', () => {
  let context: BrowserContext | undefined; // unset if beforeAll fails
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ bypassCSP: true });
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  it.each([
    '/connexion',
    '/connexion/lien',
    '/inscription',
    '/mot-de-passe-oublie',
    '/compte/verifier?jeton=jeton-invalide',
  ])('when axe checks %s, then no violation', async (path) => {
    await page.goto(`${browser.baseUrl}${path}`);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('when axe checks the new password form, reached from a real reset link, then no violation', async () => {
    const user = await createUser(db);
    await page.goto(`${browser.baseUrl}/mot-de-passe-oublie`);
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.locator('main form button[type="submit"]').click();
    await page.getByRole('heading', { name: 'Vérifiez votre boîte e-mail' }).waitFor();
    const reset = new URL(await linkFromOutbox(outbox, user.email));
    expect(reset.pathname).toBe('/mot-de-passe/nouveau');
    await page.goto(`${browser.baseUrl}${reset.pathname}${reset.search}`);
    await page
      .getByLabel(/^Nouveau mot de passe|^Mot de passe/)
      .first()
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
