import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, fixedClock } from '../../support/context.js';
import { eastOf, makeLabel, makePlace, northOf, randomSpot } from '../../support/factories.js';
import { askedAgain as askedTwice } from '../../support/asked-again.js';

interface Item {
  id: number;
  nom: string;
  labels: string[];
  open_now: boolean | null;
}

describe('text searches asked again (pages remembered until a place changes)', () => {
  // Tuesday 1 December 2026, 10:00 in Paris.
  const clock = fixedClock('2026-12-01T09:00:00Z');
  const first = createTestContext({ clock });
  const second = createTestContext({ clock });
  let textSearches = 0;
  const countTextSearches = (query: { sql: string }) => {
    if (query.sql.includes('search_text <->>')) textSearches++;
  };

  // Loaded, as main.ts loads it at start-up; until then text searches go straight to SQL.
  beforeAll(() => first.placeIndex.start());
  beforeEach(() => {
    textSearches = 0;
    clock.set('2026-12-01T09:00:00Z');
    first.db.on('query', countTextSearches);
  });
  afterEach(() => {
    first.db.off('query', countTextSearches);
  });

  // Random letters: tokens sharing a prefix would match one another by word similarity.
  const token = () => Array.from({ length: 12 }, () => 'bcdfghjklmnpqrstvwxz'[Math.floor(Math.random() * 20)]).join('');
  const search = async (q: string) => {
    const res = await request(first.app).get('/api/v1/places').query({ q });
    expect(res.status).toBe(200);
    return res.body.items as Item[];
  };

  /** `ask` twice (tests/support/asked-again.ts): the second answer and the text searches it ran. */
  async function askedAgain<T>(ask: () => Promise<T>, between: () => void = () => {}) {
    const { before, again } = await askedTwice(first.placeIndex, ask, {
      eachAttempt: () => clock.set('2026-12-01T09:00:00Z'),
      beforeAgain: () => {
        between();
        textSearches = 0;
      },
    });
    return { before, again, textSearches };
  }

  it('when the same words are searched twice and nothing changed, then PostgreSQL searches once', async () => {
    const word = token();
    const place = await makePlace(first.db, { nom: `Médiathèque ${word}` });
    const { before, again, textSearches: searched } = await askedAgain(() => search(word));
    expect(again).toEqual(before);
    expect(again.map((item) => item.id)).toEqual([place.id]);
    expect(searched).toBe(0);
  });

  it('when a place is renamed through another instance, then the next search here finds its new name', async () => {
    const word = token();
    const place = await makePlace(first.db, { nom: 'Espace numérique du marché' });
    const ids = async () => (await search(word)).map((item) => item.id);
    expect(await ids()).not.toContain(place.id);
    await second
      .db('places')
      .where({ id: place.id })
      .update({ nom: `Espace numérique ${word}` });
    expect(await ids()).toContain(place.id);
  });

  it('when a label is linked to a place after a search, then the next search shows it', async () => {
    const word = token();
    const place = await makePlace(first.db, { nom: `Fablab ${word}` });
    const label = await makeLabel(first.db);
    const labelsShown = async () => (await search(word)).flatMap((item) => item.labels);
    expect(await labelsShown()).toEqual([]);
    await second.db('place_labels').insert({
      place_id: place.id,
      label_id: label.id,
      origin: 'import',
      verification_status: 'verified',
    });
    expect(await labelsShown()).toEqual([label.slug]);
  });

  it('when the clock passes the closing time, then the remembered page says the place is closed', async () => {
    const word = token();
    await makePlace(first.db, { nom: `Cyber-base ${word}`, horaires: 'Mo-Fr 09:00-12:00' });
    const {
      before,
      again,
      textSearches: searched,
    } = await askedAgain(
      () => search(word),
      // 13:30 in Paris, the same day: the same remembered page.
      () => clock.set('2026-12-01T12:30:00Z'),
    );
    expect(before.map((item) => item.open_now)).toEqual([true]);
    expect(again.map((item) => item.open_now)).toEqual([false]);
    expect(searched).toBe(0);
  });

  it('when the search asks what is open at a moment, then it is searched every time', async () => {
    const word = token();
    await makePlace(first.db, { nom: `Tiers-lieu ${word}`, horaires: 'Mo-Fr 09:00-12:00' });
    for (let i = 1; i <= 2; i++) {
      const res = await request(first.app).get('/api/v1/places').query({ q: word, open_now: true });
      expect(res.body.items).toHaveLength(1);
      expect(textSearches).toBe(i);
    }
  });
});

describe('lists in name order asked again (by box, commune…): remembered until a place changes', () => {
  const { app, db, placeIndex } = createTestContext();
  let listings = 0;
  const countListings = (query: { sql: string }) => {
    if (/order by "?p"?\."?nom/i.test(query.sql) || query.sql.includes('count')) listings++;
  };
  beforeAll(() => placeIndex.start());
  beforeEach(() => {
    listings = 0;
    db.on('query', countListings);
  });
  afterEach(() => {
    db.off('query', countListings);
  });

  /** A box of 2 km around a spot, as "W,S,E,N". */
  const boxAround = (at: { lat: number; lon: number }) =>
    [eastOf(at, -2).lon, northOf(at, -2).lat, eastOf(at, 2).lon, northOf(at, 2).lat].join(',');
  const list = async (bbox: string) => {
    const res = await request(app).get('/api/v1/places').query({ bbox });
    expect(res.status).toBe(200);
    return res.body as { items: Item[]; total: number };
  };

  it('when the same box is listed twice and nothing changed, then PostgreSQL lists and counts it once', async () => {
    const here = randomSpot();
    await makePlace(db, { at: here, nom: 'Bibliothèque B' });
    await makePlace(db, { at: northOf(here, 0.5), nom: 'Atelier A' });
    const { before, again } = await askedTwice(placeIndex, () => list(boxAround(here)), {
      beforeAgain: () => (listings = 0),
    });
    expect(again).toEqual(before);
    expect(again.items.map((item) => item.nom)).toEqual(['Atelier A', 'Bibliothèque B']);
    expect(again.total).toBe(2);
    expect(listings).toBe(0);
  });

  it('when a list is asked again, then the same bytes come with the same ETag, and its ETag gets 304', async () => {
    const here = randomSpot();
    await makePlace(db, { at: here });
    const ask = () =>
      request(app)
        .get('/api/v1/places')
        .query({ bbox: boxAround(here) });
    const { before, again } = await askedTwice(placeIndex, async () => {
      const res = await ask();
      return { text: res.text, etag: res.headers.etag, type: res.headers['content-type'] };
    });
    expect(again).toEqual(before);
    expect(again.type).toBe('application/json; charset=utf-8');
    expect((await ask().set('If-None-Match', again.etag)).status).toBe(304);
  });

  it('when a place of a remembered box is renamed by plain SQL, then the next list shows the new name', async () => {
    const here = randomSpot();
    const place = await makePlace(db, { at: here, nom: 'Ancien nom de la liste' });
    const names = async () => (await list(boxAround(here))).items.map((item) => item.nom);
    expect(await names()).toEqual(['Ancien nom de la liste']);
    expect(await names()).toEqual(['Ancien nom de la liste']);
    await db('places').where({ id: place.id }).update({ nom: 'Nouveau nom de la liste' });
    expect(await names()).toEqual(['Nouveau nom de la liste']);
  });

  it('when a place is added to a remembered box, then the next list counts it', async () => {
    const here = randomSpot();
    await makePlace(db, { at: here });
    expect((await list(boxAround(here))).total).toBe(1);
    expect((await list(boxAround(here))).total).toBe(1);
    await makePlace(db, { at: eastOf(here, 0.5) });
    expect((await list(boxAround(here))).total).toBe(2);
  });
});
