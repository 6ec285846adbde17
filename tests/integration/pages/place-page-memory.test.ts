import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placePath } from '../../../server/places/places.mapping.js';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createPageMemory } from '../../../server/shared/page-memory.js';
import { listReports } from '../../../server/reports/reports.repository.js';
import { createTestContext, fixedClock } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { askedAgain as askedTwice } from '../../support/asked-again.js';
import { csrfFrom } from '../../support/forms.js';
import { uniqueWord } from '../../support/communes.js';
import { createUser, loginAs } from '../../support/session.js';

describe('place pages kept in memory for visitors who are not signed in', () => {
  // Tuesday 1 December 2026, 11:00 in Paris.
  const clock = fixedClock('2026-12-01T10:00:00Z');
  const first = createTestContext({ clock });
  const second = createTestContext({ clock });
  let placeReads = 0;
  const countPlaceReads = (query: { sql: string }) => {
    if (/from "places"/i.test(query.sql) || /\bplaces p\b/.test(query.sql)) placeReads++;
  };

  // Loaded, as main.ts loads it at start-up; until then every page is rendered.
  beforeAll(() => first.placeIndex.start());
  beforeEach(() => {
    placeReads = 0;
    clock.set('2026-12-01T10:00:00Z');
    first.db.on('query', countPlaceReads);
  });
  afterEach(() => {
    first.db.off('query', countPlaceReads);
  });

  const open = (path: string, agent = request(first.app)) => agent.get(path);

  /** `ask` twice (tests/support/asked-again.ts): the second answer and its reads of places. */
  async function askedAgain<T>(ask: () => Promise<T>) {
    const { before, again } = await askedTwice(first.placeIndex, ask, { beforeAgain: () => (placeReads = 0) });
    return { before, again, reads: placeReads };
  }

  it('when two visitors open the same page, then it is read once and each gets a form token of their own', async () => {
    const place = await makePlace(first.db, { nom: `Médiathèque ${uniqueWord()}`, horaires: 'Mo-Fr 09:00-17:00' });
    const path = placePath(place);
    const { before, again, reads } = await askedAgain(() => open(path));
    expect(before.status).toBe(200);
    expect(again.status).toBe(200);
    expect(reads).toBe(0);
    // What is counted: a page opened for the first time reads its place.
    const other = await makePlace(first.db, { nom: `Espace ${uniqueWord()}` });
    placeReads = 0;
    await open(placePath(other));
    expect(placeReads).toBeGreaterThan(0);
    expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
    const token = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    expect(token(again.text)).toBeTruthy();
    expect(token(again.text)).not.toBe(token(before.text));
    expect(again.text.replace(/value="[^"]+"/, '')).toBe(before.text.replace(/value="[^"]+"/, ''));
    expect(again.headers['set-cookie'][0]).toMatch(/^epn\.csrf=/);
  });

  it('when a visitor sends the report form of a page kept in memory, then the report is stored', async () => {
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}` });
    const path = placePath(place);
    await open(path);
    const agent = request.agent(first.app);
    const csrf = await csrfFrom(agent, path);
    const res = await agent
      .post(`/lieux/${place.id}/signalement`)
      .type('form')
      .send({ _csrf: csrf, category: 'horaires', message: 'Fermé le lundi.' });
    expect(res.status).toBe(303);
    expect(await listReports(first.db, { placeId: place.id })).toHaveLength(1);
    const thanks = await agent.get(res.headers.location);
    expect(thanks.text).toContain('Merci ! Votre signalement a bien été envoyé.');
    expect((await open(path)).text).not.toContain('Merci !');
  });

  it('when the place is renamed through another instance, then the next view here shows the new name', async () => {
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}` });
    await open(placePath(place));
    const renamed = `Espace ${uniqueWord()}`;
    await second.db('places').where({ id: place.id }).update({ nom: renamed });
    const res = await open(placePath(place)).redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain(renamed);
  });

  it('when the clock passes the closing time, then the page kept says closed', async () => {
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, horaires: 'Mo-Fr 09:00-12:00' });
    const path = placePath(place);
    const openState = (text: string) => /"open":"([^"]+)"/.exec(text)?.[1];
    expect(openState((await open(path)).text)).toBe('Ouvert · ferme à 12:00');
    clock.set('2026-12-01T11:05:00Z'); // 12:05 in Paris
    expect(openState((await open(path)).text)).toBe('Fermé · ouvre demain à 09:00');
  });

  it('when the address has another slug, then it redirects from memory to the right one, query kept', async () => {
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}` });
    await open(placePath(place));
    const res = await open(`/lieux/${place.id}-autre-nom?depuis=carte`);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`${placePath(place)}?depuis=carte`);
  });

  it('when a place’s detail (API) is asked twice, then it is read once; renamed elsewhere, it shows', async () => {
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}`, horaires: 'Mo-Fr 09:00-17:00' });
    const detail = () => open(`/api/v1/places/${place.id}`);
    const { before, again, reads } = await askedAgain(detail);
    expect(again.status).toBe(200);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.body).toEqual(before.body);
    expect(again.body).toMatchObject({ id: place.id, nom: place.nom, open_now: true, next_change: '2026-12-01T17:00' });
    expect(reads).toBe(0);
    const renamed = `Espace ${uniqueWord()}`;
    await second.db('places').where({ id: place.id }).update({ nom: renamed });
    expect((await detail()).body.nom).toBe(renamed);
    await second.db('places').where({ id: place.id }).update({ status: 'hidden' });
    expect((await detail()).status).toBe(404);
  });

  it('when its mediator opens it signed in, then they see their link; a visitor after them does not', async () => {
    const place = await makePlace(first.db, { nom: `Espace ${uniqueWord()}` });
    const path = placePath(place);
    const user = await createUser(first.db);
    await first
      .db('place_managers')
      .insert({ place_id: place.id, user_id: user.id, status: 'approved', method: 'moderator' });
    await open(path);
    const mediator = await loginAs(first.app, user);
    const theirs = await mediator.get(path);
    expect(theirs.text).toContain('Modifier la fiche de ce lieu');
    expect(theirs.text).toContain('Se déconnecter');
    const visitor = await open(path);
    expect(visitor.text).not.toContain('Modifier la fiche de ce lieu');
    expect(visitor.text).toContain('Gérer ce lieu');
  });
});

describe('the memory of place pages', () => {
  const page = (html: string, renderedAt = 0, validUntil?: number) => ({
    key: 'v1',
    path: '/lieux/1-a',
    text: html,
    renderedAt,
    validUntil,
  });

  it('when a page is kept, then each visitor gets it with their own token where the mark was', () => {
    const memory = createPageMemory();
    memory.keep('1', page(`<p>é</p><input value="${memory.tokenMark}"><p>’</p>`));
    const kept = memory.find('1', 'v1', 10);
    expect(kept && memory.body(kept, 'abc').toString()).toBe('<p>é</p><input value="abc"><p>’</p>');
  });

  it('when the key moved on, the open state changed, a minute passed or the clock went back, then it is gone', () => {
    const memory = createPageMemory({ maxAgeMs: 60_000 });
    memory.keep('1', page('a', 1_000, 5_000));
    expect(memory.find('1', 'v2', 2_000)).toBeUndefined();
    memory.keep('1', page('a', 1_000, 5_000));
    expect(memory.find('1', 'v1', 5_000)).toBeUndefined();
    memory.keep('1', page('a', 1_000));
    expect(memory.find('1', 'v1', 60_999)).toBeDefined();
    expect(memory.find('1', 'v1', 61_000)).toBeUndefined();
    memory.keep('1', page('a', 1_000));
    expect(memory.find('1', 'v1', 999)).toBeUndefined();
    expect(memory.size).toEqual({ pages: 0, bytes: 0 });
  });

  it('when the pages outgrow the bound, then the least recently opened go first', () => {
    const memory = createPageMemory({ maxBytes: 30 });
    memory.keep('1', page('x'.repeat(10)));
    memory.keep('2', page('y'.repeat(10)));
    memory.find('1', 'v1', 1);
    memory.keep('3', page('z'.repeat(15)));
    expect(memory.find('2', 'v1', 1)).toBeUndefined();
    expect(memory.find('1', 'v1', 1)).toBeDefined();
    expect(memory.find('3', 'v1', 1)).toBeDefined();
    // Each page counts its address too (here one character).
    expect(memory.size).toEqual({ pages: 2, bytes: 27 });
    memory.keep('4', page('w'.repeat(31)));
    expect(memory.find('4', 'v1', 1)).toBeUndefined();
  });

  it('when a page the same for everyone is sent compressed, then each twin is made once and counted', () => {
    const memory = createPageMemory();
    const html = `<ul>${'<li>Espace public numérique</li>'.repeat(200)}</ul>`;
    memory.keep('1', page(html));
    const kept = memory.find('1', 'v1', 1);
    if (!kept) throw new Error('page not kept');
    const plainBytes = memory.size.bytes;
    const answer = memory.answer(kept, '');
    expect(answer.etag).toMatch(/^W\//);
    const gzip = answer.encoded?.('gzip');
    const br = answer.encoded?.('br');
    expect(gunzipSync(gzip!).toString()).toBe(html);
    expect(brotliDecompressSync(br!).toString()).toBe(html);
    expect(answer.encoded?.('gzip')).toBe(gzip);
    expect(memory.size.bytes).toBe(plainBytes + gzip!.length + br!.length);
    // A page with a visitor's token is theirs: no ETag, no twin.
    memory.keep('2', page(`<input value="${memory.tokenMark}">${html}`));
    const withToken = memory.find('2', 'v1', 1);
    expect(withToken && memory.answer(withToken, 'abc')).toEqual({ body: expect.any(Buffer) });
  });
});
