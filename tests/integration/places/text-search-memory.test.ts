import request from 'supertest';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { QueryTrigrams, textWords, wordTrigrams } from '../../../server/places/index/trigrams.js';
import { searchPlaces } from '../../../server/places/places.repository.js';
import { createTestContext } from '../../support/context.js';
import { aloneSpot, eastOf, makePlace, randomSpot } from '../../support/factories.js';

interface Item {
  id: number;
  nom: string;
}

// Random letters: tokens sharing a prefix would match one another by word similarity.
const token = () => Array.from({ length: 10 }, () => 'bcdfghjklmnpqrstvwxz'[Math.floor(Math.random() * 20)]).join('');

describe('text search answered from memory', () => {
  const { app, db, placeIndex } = createTestContext();
  beforeAll(() => placeIndex.start());

  it('when PostgreSQL and memory measure the same texts, then the word similarity is the same', async () => {
    const { rows } = await db.raw<{ rows: { search_text: string }[] }>(
      'SELECT search_text FROM places ORDER BY id DESC LIMIT 60',
    );
    const query = new QueryTrigrams();
    for (const [i, { search_text: text }] of rows.entries()) {
      const words = textWords(text);
      for (const q of [words.slice(0, 2).join(' '), `${words[0]}x`, `${rows[(i + 1) % rows.length].search_text} zq`]) {
        const sql = await db.raw<{ rows: { similarity: number }[] }>(
          'SELECT word_similarity(?, ?)::float8 AS similarity',
          [q, text],
        );
        query.set(textWords(q));
        const codes = Int32Array.from(words.flatMap(wordTrigrams));
        expect(query.similarityTo(codes, 0, codes.length), `${q} / ${text}`).toBe(sql.rows[0].similarity);
      }
    }
  });

  it('when a place has no position, then a search by its name still finds it', async () => {
    const name = token();
    const place = await makePlace(db, { nom: `Point numérique ${name}`, at: null });
    // Its own word alone: "point numerique" and two letters of a word beginning like the random one
    // would bring in another Point numérique (similarity 18 / 28).
    const res = await request(app).get('/api/v1/places').query({ q: name });
    expect(res.status).toBe(200);
    expect((res.body.items as Item[]).map((item) => item.id)).toEqual([place.id]);
    expect(res.body.total).toBe(1);
  });

  it('when a place is renamed, then the next search finds it by its new name only', async () => {
    const [before, after] = [token(), token()];
    const place = await makePlace(db, { nom: `Cyber-base ${before}` });
    expect((await request(app).get('/api/v1/places').query({ q: before })).body.items[0]?.id).toBe(place.id);
    await db('places')
      .where({ id: place.id })
      .update({ nom: `Cyber-base ${after}` });
    expect((await request(app).get('/api/v1/places').query({ q: after })).body.items[0]?.id).toBe(place.id);
    expect((await request(app).get('/api/v1/places').query({ q: before })).body.items).toEqual([]);
  });

  it('when a word is first given to a place, then the next search takes it as typed, not corrected', async () => {
    const word = token();
    const near = await makePlace(db, { nom: `Espace ${word}s` });
    const before = await request(app).get('/api/v1/places').query({ q: word });
    expect((before.body.items as Item[]).map((item) => item.id)).toEqual([near.id]);
    const exact = await makePlace(db, { nom: `Point ${word}` });
    const after = await request(app).get('/api/v1/places').query({ q: word });
    expect((after.body.items as Item[])[0]?.id).toBe(exact.id);
  });

  it('when the same words are searched in SQL, then memory finds the same places', async () => {
    const town = token();
    for (const nom of ['Médiathèque', 'Médiathèques', 'Espace numérique', 'Médiathèque du port']) {
      await makePlace(db, { nom: `${nom} ${town}`, commune: 'Saint-Étienne-de-Tinée' });
    }
    for (const q of [`mediatheque ${town}`, `espace ${town}`, `${town} port`, `${town} mediatheques saint etienne`]) {
      const memory: Item[] = [];
      let cursor: string | undefined;
      do {
        const res = await request(app).get('/api/v1/places').query({ q, limit: 50, cursor });
        expect(res.status).toBe(200);
        memory.push(...(res.body.items as Item[]));
        cursor = res.body.next_cursor ?? undefined;
      } while (cursor && memory.length < 500);
      const sql = await searchPlaces(db, { q }, { mode: 'relevance', limit: 500 });
      // SQL's GiST walk may list places of equal keys out of id order: the same places, whatever their order.
      expect(
        memory.map((item) => item.id).sort((a, b) => a - b),
        q,
      ).toEqual(sql.map((place) => place.id).sort((a, b) => a - b));
    }
  });

  it('when a text is searched around a point, then the nearest matches come first, as in SQL', async () => {
    const here = randomSpot();
    const town = token();
    const far = await makePlace(db, { nom: `Médiathèque ${town}`, at: eastOf(here, 4) });
    const near = await makePlace(db, { nom: `Médiathèque ${town} du port`, at: eastOf(here, 1) });
    await makePlace(db, { nom: `Espace numérique ${town}`, at: eastOf(here, 2) });
    await makePlace(db, { nom: `Médiathèque ${token()}`, at: eastOf(here, 0.5) });
    const query = { q: `mediatheque ${town}`, lat: here.lat, lon: here.lon, radius_km: 10 };
    const res = await request(app).get('/api/v1/places').query(query);
    expect(res.status).toBe(200);
    expect((res.body.items as Item[]).map((item) => item.id)).toEqual([near.id, far.id]);
    expect(res.body).toMatchObject({ total: 2, total_is_lower_bound: false });
    const sql = await searchPlaces(db, { q: query.q, point: here, radiusKm: 10 }, { mode: 'distance', limit: 20 });
    expect(sql.map((place) => place.id)).toEqual([near.id, far.id]);
  });
});

describe('a common text around a point where few places hold it', () => {
  // A text matching two places is common here; its likely matches are few enough to be read, and a
  // walk through the places around the point would give up at the sixth test.
  const { app, db, placeIndex } = createTestContext({
    textBudget: { matchesRead: 1, candidatesRead: 100_000, walkTests: 5, countTests: 5 },
  });
  beforeAll(() => placeIndex.start());

  it('when nearer places do not match, then the nearest matches still come from memory, counted', async () => {
    const here = aloneSpot(5);
    for (let i = 1; i <= 8; i++) await makePlace(db, { nom: `Espace ${token()}`, at: eastOf(here, i / 10) });
    const made = [];
    for (let i = 1; i <= 3; i++) made.push(await makePlace(db, { nom: `Médiathèque ${token()}`, at: eastOf(here, i) }));
    const query = { q: 'mediatheque', lat: here.lat, lon: here.lon, radius_km: 5 };
    // Once in the index's tree, as places are a second after their last change (before, each is tested).
    await request(app).get('/api/v1/places').query(query);
    await vi.waitFor(() => expect(placeIndex.store.changedSinceBuild.size).toBe(0), { timeout: 5000 });
    const res = await request(app).get('/api/v1/places').query(query);
    expect(res.status).toBe(200);
    expect((res.body.items as Item[]).map((item) => item.id)).toEqual(made.map((place) => place.id));
    // Handed to PostgreSQL, the count would say nothing (see below): this one is memory's.
    expect(res.body).toMatchObject({ total: 3, total_is_lower_bound: false });
    const second = await request(app)
      .get('/api/v1/places')
      .query({ ...query, limit: 2 });
    expect((second.body.items as Item[]).map((item) => item.id)).toEqual(made.slice(0, 2).map((place) => place.id));
  });
});

describe('a common text around a point, after writes', () => {
  const { app, db, placeIndex } = createTestContext({
    textBudget: { matchesRead: 1, candidatesRead: 100_000, walkTests: 5, countTests: 5 },
  });
  beforeAll(() => placeIndex.start());
  const inTree = async () => {
    await request(app).get('/api/v1/places').query({ lat: 0, lon: 0 });
    await vi.waitFor(() => expect(placeIndex.store.changedSinceBuild.size).toBe(0), { timeout: 5000 });
  };

  it('when places are renamed after a search, then the next one finds them by their new names only', async () => {
    const here = aloneSpot(6);
    const places = [];
    for (let i = 1; i <= 4; i++) places.push(await makePlace(db, { nom: `Espace ${token()}`, at: eastOf(here, i) }));
    const query = { q: 'mediatheque', lat: here.lat, lon: here.lon, radius_km: 10 };
    const ids = async () => {
      const res = await request(app).get('/api/v1/places').query(query);
      expect(res.status).toBe(200);
      return { ids: (res.body.items as Item[]).map((item) => item.id), total: res.body.total };
    };
    await inTree();
    expect(await ids()).toEqual({ ids: [], total: 0 });
    await db('places')
      .where({ id: places[2].id })
      .update({ nom: `Médiathèque ${token()}` });
    await db('places')
      .where({ id: places[0].id })
      .update({ nom: `Médiathèque ${token()}` });
    await inTree();
    expect(await ids()).toEqual({ ids: [places[0].id, places[2].id], total: 2 });
    await db('places')
      .where({ id: places[0].id })
      .update({ nom: `Espace ${token()}` });
    await inTree();
    expect(await ids()).toEqual({ ids: [places[2].id], total: 1 });
  });
});

describe('a text around a point too costly to test in memory', () => {
  // A text matching two places is common here, its likely matches too many, and its walk gives up at
  // the second test.
  const { app, db, placeIndex } = createTestContext({
    textBudget: { matchesRead: 1, candidatesRead: 1, walkTests: 1, countTests: 1 },
  });
  beforeAll(() => placeIndex.start());

  it('when the walk would test too many places, then PostgreSQL answers the same page, uncounted', async () => {
    const here = aloneSpot(7);
    const made = [];
    for (let i = 1; i <= 3; i++) made.push(await makePlace(db, { nom: `Médiathèque ${token()}`, at: eastOf(here, i) }));
    const query = { q: 'mediatheque', lat: here.lat, lon: here.lon, radius_km: 5 };
    const res = await request(app).get('/api/v1/places').query(query);
    expect(res.status).toBe(200);
    expect((res.body.items as Item[]).map((item) => item.id)).toEqual(made.map((place) => place.id));
    // The count stops after its budget too, having met fewer than 1,001: nothing said.
    expect(res.body.total).toBeNull();
  });
});
