import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { placePath } from '../../../server/places/places.mapping.js';
import { createTestContext, fixedClock } from '../../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../../support/factories.js';
import { askedAgain as askedTwice } from '../../support/asked-again.js';
import { uniqueWord } from '../../support/communes.js';
import { createUser, loginAs } from '../../support/session.js';

describe('search pages kept in memory, and a label changed through another instance', () => {
  // Tuesday 1 December 2026, 11:00 in Paris.
  const clock = fixedClock('2026-12-01T10:00:00Z');
  const first = createTestContext({ clock });
  const second = createTestContext({ clock });
  let reads = 0;
  // What a search page reads: the labels, the rows it shows, the label counts. (Not the change log's
  // shared catch-up read, nor the index applying another test file's writes meanwhile.)
  const countReads = (query: { sql: string }) => {
    if (/from "labels"|AS "complementAdresse"|count\(\*\)/.test(query.sql)) reads++;
  };

  beforeAll(() => first.placeIndex.start());
  beforeEach(() => {
    reads = 0;
    clock.set('2026-12-01T10:00:00Z');
    first.db.on('query', countReads);
  });
  afterEach(() => {
    first.db.off('query', countReads);
  });

  const open = (path: string) => request(first.app).get(path);
  const around = (spot: { lat: number; lon: number }) => `/?lat=${spot.lat}&lon=${spot.lon}`;

  /** `ask` twice (tests/support/asked-again.ts): the second answer and its reads. */
  async function askedAgain<T>(ask: () => Promise<T>) {
    const { before, again } = await askedTwice(first.placeIndex, ask, { beforeAgain: () => (reads = 0) });
    return { before, again, reads };
  }

  it('when the same search page is asked twice, nothing changed, then the second asks PostgreSQL nothing', async () => {
    const spot = randomSpot();
    const place = await makePlace(first.db, { nom: `Médiathèque ${uniqueWord()}`, at: spot });
    const { before, again, reads: second } = await askedAgain(() => open(around(spot)));
    expect(again.status).toBe(200);
    expect(again.text).toBe(before.text);
    expect(again.text).toContain(place.nom);
    expect(second).toBe(0);
    // What is counted: a search page asked for the first time reads its rows.
    const elsewhere = randomSpot();
    await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, at: elsewhere });
    reads = 0;
    await open(around(elsewhere));
    expect(reads).toBeGreaterThan(0);
  });

  it('when the address carries a parameter the page does not know, then the page is not kept', async () => {
    const spot = randomSpot();
    await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, at: spot });
    const path = `${around(spot)}&z=${uniqueWord()}`;
    // Rendered at each view: its rows may come from the index's cache, so count the templates.
    const render = vi.spyOn(first.app, 'render');
    try {
      await open(path);
      await open(path);
      expect(render.mock.calls.filter(([view]) => view === 'pages/search/index')).toHaveLength(2);
    } finally {
      render.mockRestore();
    }
  });

  it('when the script asks for the results only, then it gets the fragment, kept apart from the page', async () => {
    const spot = randomSpot();
    await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, at: spot });
    await open(around(spot));
    const fragment = await request(first.app).get(around(spot)).set('X-Fragment', 'results');
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain('<html');
    expect((await open(around(spot))).text).toContain('<html');
  });

  it('when a place is renamed through another instance, then the next search page shows its new name', async () => {
    const spot = randomSpot();
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, at: spot });
    await open(around(spot));
    const renamed = `Espace ${uniqueWord()}`;
    await second.db('places').where({ id: place.id }).update({ nom: renamed });
    expect((await open(around(spot))).text).toContain(renamed);
  });

  it('when a label is created through another instance, then the list of labels here shows it at once', async () => {
    await open('/labels');
    const label = await makeLabel(second.db, { name: `Label ${uniqueWord()}` });
    expect((await open('/labels')).text).toContain(label.name);
  });

  it('when a label is renamed through another instance, then a place page kept here shows its new name', async () => {
    const label = await makeLabel(first.db, { name: `Label ${uniqueWord()}` });
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, labels: [label.slug] });
    expect((await open(placePath(place))).text).toContain(label.name);
    const renamed = `Label ${uniqueWord()}`;
    await second.db('labels').where({ slug: label.slug }).update({ name: renamed });
    const page = await open(placePath(place));
    expect(page.text).toContain(renamed);
    expect(page.text).not.toContain(label.name);
  });

  it('when the clock passes a closing time, then the kept page says the place is closed', async () => {
    const spot = randomSpot();
    await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, at: spot, horaires: 'Mo-Fr 09:00-12:00' });
    expect((await open(around(spot))).text).toContain('ferme à 12:00');
    clock.set('2026-12-01T11:05:00Z'); // 12:05 in Paris
    const after = (await open(around(spot))).text;
    expect(after).not.toContain('ferme à 12:00');
    expect(after).toContain('ouvre demain à 09:00');
  });

  it('when the search asks for places open now, then it is searched again at each view', async () => {
    const spot = randomSpot();
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, at: spot, horaires: 'Mo-Fr 12:00-18:00' });
    const path = `${around(spot)}&open_now=true`;
    expect((await open(path)).text).not.toContain(place.nom);
    clock.set('2026-12-01T11:05:00Z'); // 12:05 in Paris: it has opened
    expect((await open(path)).text).toContain(place.nom);
  });

  it('when a signed-in person searches, then they get their own page, not the one kept for visitors', async () => {
    const spot = randomSpot();
    await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, at: spot });
    await open(around(spot));
    const agent = await loginAs(first.app, await createUser(first.db));
    const theirs = await agent.get(around(spot));
    expect(theirs.text).toContain('Se déconnecter');
    expect((await open(around(spot))).text).not.toContain('Se déconnecter');
  });
});
