import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';

const GENERAL = (overrides: Record<string, string> = {}) => ({
  nom: 'Médiathèque des Essais',
  adresse: '2 place du Marché',
  complement_adresse: '',
  code_postal: '13500',
  commune: 'Martigues',
  latitude: '43.4',
  longitude: '5.05',
  ...overrides,
});

/** The value an input of the returned form holds, as the browser would post it back. */
const inputValue = (html: string, name: string) => {
  const match = new RegExp(`<input id="${name}" name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return match
    ? match[1]
        .replace(/&#x27;/g, "'")
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
    : undefined;
};
const formOf = (html: string) =>
  Object.fromEntries(Object.keys(GENERAL()).map((name) => [name, inputValue(html, name) ?? '']));

describe('a stale save of "Informations générales": three-way conflict page', () => {
  const { app, db } = createTestContext();

  async function twoTabs() {
    const place = await makePlace(db, {
      nom: 'Médiathèque des Essais',
      adresse: '2 place du Marché',
      codePostal: '13500',
      commune: 'Martigues',
      at: { lat: 43.4, lon: 5.05 },
    });
    const user = await createUser(db);
    await db('place_managers').insert({
      place_id: place.id,
      user_id: user.id,
      status: 'approved',
      method: 'moderator',
    });
    const agent = await loginAs(app, user);
    return { place, agent };
  }

  const whenTab1RenamedPlace =
    'when tab 1 renamed the place and tab 2 changed only the commune, ' +
    'then the 409 form holds tab 1’s name and tab 2’s commune, and saving it keeps both';
  it(whenTab1RenamedPlace, async () => {
    const { place, agent } = await twoTabs();
    const tab1 = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 1,
      ...GENERAL({ nom: 'Médiathèque Louis-Aragon' }),
    });
    expect(tab1.status).toBe(303);
    const tab2 = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 1,
      ...GENERAL({ commune: 'Port-de-Bouc' }),
    });
    expect(tab2.status).toBe(409);
    expect(inputValue(tab2.text, 'nom')).toBe('Médiathèque Louis-Aragon');
    expect(inputValue(tab2.text, 'commune')).toBe('Port-de-Bouc');
    expect(tab2.text).toContain('sa valeur est reprise');
    expect(tab2.text).not.toContain('À choisir');
    expect(tab2.text).toContain('name="version" value="2"');

    const again = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, { version: 2, ...formOf(tab2.text) });
    expect(again.status).toBe(303);
    const row = await db('places').where({ id: place.id }).first();
    expect(row).toMatchObject({ nom: 'Médiathèque Louis-Aragon', commune: 'Port-de-Bouc', version: 3 });
  });

  const whenBothTabsChangedSame =
    'when both tabs changed the same field differently, ' +
    'then mine is kept in the form and the field is flagged for a choice, with the other value shown';
  it(whenBothTabsChangedSame, async () => {
    const { place, agent } = await twoTabs();
    await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 1,
      ...GENERAL({ nom: 'Nom de l’onglet 1', adresse: '3 rue Neuve' }),
    });
    const tab2 = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 1,
      ...GENERAL({ nom: 'Nom de l’onglet 2' }),
    });
    expect(tab2.status).toBe(409);
    expect(inputValue(tab2.text, 'nom')).toBe('Nom de l’onglet 2');
    expect(inputValue(tab2.text, 'adresse')).toBe('3 rue Neuve');
    expect(tab2.text).toContain('À choisir');
    expect(tab2.text).toMatch(/id="nom-note"[^>]*>.*Nom de l’onglet 1/);
    expect(tab2.text).toContain('Un champ a été modifié des deux côtés');
  });

  it('when both tabs made the same change, then no choice is asked', async () => {
    const { place, agent } = await twoTabs();
    await postForm(agent, `/mon-espace/lieux/${place.id}/general`, { version: 1, ...GENERAL({ nom: 'Même nom' }) });
    const tab2 = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 1,
      ...GENERAL({ nom: 'Même nom', commune: 'Istres' }),
    });
    expect(tab2.status).toBe(409);
    expect(tab2.text).not.toContain('À choisir');
    expect(inputValue(tab2.text, 'commune')).toBe('Istres');
  });

  it('when several saves happened since my version, then the base is the value when my form was read', async () => {
    const { place, agent } = await twoTabs();
    await postForm(agent, `/mon-espace/lieux/${place.id}/general`, { version: 1, ...GENERAL({ nom: 'Étape 1' }) });
    await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 2,
      ...GENERAL({ nom: 'Étape 2', adresse: '9 rue Haute' }),
    });
    const stale = await postForm(agent, `/mon-espace/lieux/${place.id}/general`, {
      version: 1,
      ...GENERAL({ code_postal: '13110' }),
    });
    expect(stale.status).toBe(409);
    expect(formOf(stale.text)).toMatchObject({
      nom: 'Étape 2',
      adresse: '9 rue Haute',
      code_postal: '13110',
      commune: 'Martigues',
    });
  });

  const whenMyStaleHoursForm =
    'when my stale hours form left the hours as they were, ' +
    'then the 409 grid shows the hours online now; when I changed them too, mine are kept and flagged';
  it(whenMyStaleHoursForm, async () => {
    const { place, agent } = await twoTabs();
    await postForm(agent, `/mon-espace/lieux/${place.id}/horaires`, {
      version: 1,
      mode: 'grille',
      h_Mo_1_from: '09:00',
      h_Mo_1_to: '12:00',
    });
    // A second tab, opened at version 1 (no hours yet), saves its empty grid unchanged.
    const untouched = await postForm(agent, `/mon-espace/lieux/${place.id}/horaires`, { version: 1, mode: 'grille' });
    expect(untouched.status).toBe(409);
    expect(untouched.text).not.toContain('À choisir');
    expect(untouched.text).toContain('id="h_Mo_1_from" name="h_Mo_1_from" value="09:00"');
    // The same tab had typed Tuesday afternoon: both changed the hours.
    const clash = await postForm(agent, `/mon-espace/lieux/${place.id}/horaires`, {
      version: 1,
      mode: 'grille',
      h_Tu_1_from: '14:00',
      h_Tu_1_to: '17:00',
    });
    expect(clash.status).toBe(409);
    expect(clash.text).toContain('À choisir');
    expect(clash.text).toContain('id="h_Tu_1_from" name="h_Tu_1_from" value="14:00"');
    expect(clash.text).toContain('Mo 09:00-12:00');
  });
});
