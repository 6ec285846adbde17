import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { correctedSearchText } from '../../../server/places/search-words.repository.js';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace, northOf, randomSpot } from '../../support/factories.js';

interface Item {
  id: number;
  nom: string;
  labels: string[];
}
const idsOf = (res: request.Response) =>
  res.body.items.map((item: Item) => item.id).sort((a: number, b: number) => a - b);
const sorted = (...ids: number[]) => [...ids].sort((a, b) => a - b);

describe('GET /api/v1/places filters', () => {
  const { app, db } = createTestContext();

  /** Four places a few hundred metres apart around a spot of their own. */
  async function neighbourhood() {
    const here = randomSpot();
    const near = (km: number) => northOf(here, km);
    const label = await makeLabel(db);
    const admin = await makePlace(db, {
      at: near(0.1),
      services: ['Aide aux démarches administratives'],
      fraisACharge: ['Gratuit'],
      publicsSpecifiquementAdresses: ['Seniors'],
      modalitesAccompagnement: ['Accompagnement individuel'],
      modalitesAcces: ['Se présenter'],
      priseEnChargeSpecifique: ['Surdité'],
      labels: [label.slug],
    });
    const jobs = await makePlace(db, {
      at: near(0.2),
      services: ['Insertion professionnelle via le numérique'],
      fraisACharge: ['Payant'],
      publicsSpecifiquementAdresses: ['Jeunes'],
      modalitesAccompagnement: ['Dans un atelier collectif'],
      modalitesAcces: ['Téléphoner'],
    });
    const both = await makePlace(db, {
      at: near(0.3),
      services: ['Aide aux démarches administratives', 'Insertion professionnelle via le numérique'],
      fraisACharge: ['Gratuit'],
      publicsSpecifiquementAdresses: ['Jeunes', 'Seniors'],
      labels: [label.slug],
      modalitesAccompagnement: ['À distance'],
    });
    const none = await makePlace(db, { at: near(0.4) });
    const query = { lat: here.lat, lon: here.lon, radius_km: 2 };
    return { here, query, label, admin, jobs, both, none };
  }

  it('when filtering by one service, then only places offering it come back', async () => {
    const n = await neighbourhood();
    const res = await request(app)
      .get('/api/v1/places')
      .query({ ...n.query, services: 'Aide aux démarches administratives' });
    expect(idsOf(res)).toEqual(sorted(n.admin.id, n.both.id));
  });

  it('when filtering by two services, then places offering either come back (OR within a list)', async () => {
    const n = await neighbourhood();
    const res = await request(app)
      .get('/api/v1/places')
      .query(
        `lat=${n.here.lat}&lon=${n.here.lon}&radius_km=2` +
          '&services=Aide aux démarches administratives' +
          '&services=Insertion professionnelle via le numérique',
      );
    expect(idsOf(res)).toEqual(sorted(n.admin.id, n.jobs.id, n.both.id));
  });

  it('when filters of different kinds are combined, then a place must match all of them (AND across)', async () => {
    const n = await neighbourhood();
    const res = await request(app)
      .get('/api/v1/places')
      .query({ ...n.query, services: 'Insertion professionnelle via le numérique', frais: 'Gratuit' });
    expect(idsOf(res)).toEqual([n.both.id]);
  });

  it.each([
    ['publics', 'Seniors', ['admin', 'both']],
    ['prise_en_charge', 'Surdité', ['admin']],
    ['frais', 'Payant', ['jobs']],
    ['modalites_acces', 'Téléphoner', ['jobs']],
    ['modalites_accompagnement', 'À distance,Accompagnement individuel', ['admin', 'both']],
  ] as const)('when filtering by %s=%s, then the matching places come back', async (param, value, expected) => {
    const n = await neighbourhood();
    const res = await request(app)
      .get('/api/v1/places')
      .query({ ...n.query, [param]: value });
    expect(idsOf(res)).toEqual(sorted(...expected.map((key) => n[key].id)));
  });

  it('when filtering by label, then only places holding that verified label come back, with it listed', async () => {
    const n = await neighbourhood();
    const res = await request(app)
      .get('/api/v1/places')
      .query({ ...n.query, labels: n.label.slug });
    expect(idsOf(res)).toEqual(sorted(n.admin.id, n.both.id));
    expect(res.body.items.every((item: Item) => item.labels.includes(n.label.slug))).toBe(true);
  });

  it('when a label link is only pending, then the place neither matches the label nor shows it', async () => {
    const here = randomSpot();
    const label = await makeLabel(db);
    const place = await makePlace(db, { at: here });
    await db('place_labels').insert({
      place_id: place.id,
      label_id: label.id,
      verification_status: 'pending',
      origin: 'mediator',
    });
    const res = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon, labels: label.slug });
    expect(res.body.items).toHaveLength(0);
    const all = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon });
    expect(all.body.items[0].labels).toEqual([]);
  });

  it('when a bounding box is given, then only places inside it come back', async () => {
    const here = randomSpot();
    const inside = await makePlace(db, { at: { lat: here.lat + 0.01, lon: here.lon + 0.01 } });
    await makePlace(db, { at: { lat: here.lat + 0.5, lon: here.lon + 0.01 } });
    const bbox = [here.lon, here.lat, here.lon + 0.1, here.lat + 0.1].join(',');
    const res = await request(app).get('/api/v1/places').query({ bbox });
    expect(idsOf(res)).toEqual([inside.id]);
  });

  it('when searching by commune INSEE code or postal code, then places of that commune come back', async () => {
    const here = randomSpot();
    const insee = `2A${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
    const inCommune = await makePlace(db, { at: here, codeInsee: insee, codePostal: '20167' });
    await makePlace(db, { at: northOf(here, 1), codeInsee: null, codePostal: '20000' });
    const byInsee = await request(app).get('/api/v1/places').query({ lat: here.lat, lon: here.lon, commune: insee });
    expect(idsOf(byInsee)).toEqual([inCommune.id]);
    const byPostcode = await request(app)
      .get('/api/v1/places')
      .query({ lat: here.lat, lon: here.lon, code_postal: '20167' });
    expect(idsOf(byPostcode)).toEqual([inCommune.id]);
  });

  describe('text search q', () => {
    it('when the words carry no accents, then accented names still match', async () => {
      const token = `Zéphyrine${Math.floor(Math.random() * 1e6)}`;
      const place = await makePlace(db, { nom: `Médiathèque ${token}`, commune: 'Saint-Étienne-de-Tinée' });
      const res = await request(app)
        .get('/api/v1/places')
        .query({ q: `mediatheque ${token.replace('é', 'e').toLowerCase()}` });
      expect(idsOf(res)).toContain(place.id);
    });

    it('when the same words come with or without accents or capitals, then the same place comes first', async () => {
      const token = `Héloïse${Math.floor(Math.random() * 1e6)}`;
      const place = await makePlace(db, { nom: `Médiathèque ${token}`, commune: 'Saint-Étienne-de-Tinée' });
      const plain = token.replace('é', 'e').replace('ï', 'i');
      for (const q of [
        `Médiathèque ${token}`,
        `mediatheque ${plain.toLowerCase()}`,
        `MEDIATHEQUE ${plain.toUpperCase()}`,
      ]) {
        const res = await request(app).get('/api/v1/places').query({ q });
        expect(res.status).toBe(200);
        expect((res.body.items as Item[])[0]?.id).toBe(place.id);
      }
    });

    it('when the words carry a typo, then the place is still found', async () => {
      const token = `Brocéliande${Math.floor(Math.random() * 1e6)}`;
      const place = await makePlace(db, { nom: `Espace numérique ${token}` });
      const typo = token.replace('li', 'il').toLowerCase(); // "brocéilande…"
      const res = await request(app).get('/api/v1/places').query({ q: typo });
      expect(idsOf(res)).toContain(place.id);
    });

    it('when a word is misspelt, then it is put to the places’ own word: the same list as spelt right', async () => {
      const token = `Kerouzéré${Math.floor(Math.random() * 1e6)}`;
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await makePlace(db, { nom: `Tiers-lieu ${token} ${i}` }));
      const right = token.toLowerCase().replace('é', 'e').replace('é', 'e');
      const misspelt = right.replace('rouz', 'rous'); // "kerousere…"
      expect(await correctedSearchText(db, `TIERS LIEU ${misspelt}`)).toBe(`tiers lieu ${right}`);
      expect(await correctedSearchText(db, 'La XQ')).toBe('la xq'); // words under three letters stay
      const spelt = await request(app)
        .get('/api/v1/places')
        .query({ q: `tiers-lieu ${right}` });
      const typed = await request(app)
        .get('/api/v1/places')
        .query({ q: `tiers-lieu ${misspelt}` });
      expect(idsOf(typed)).toEqual(idsOf(spelt));
      expect([...idsOf(typed)].sort((a, b) => a - b)).toEqual(made.map((p) => p.id));
    });

    it('when searching a commune name, then places of that commune are found', async () => {
      const here = randomSpot();
      const place = await makePlace(db, { at: here, commune: 'Saint-Étienne-de-Tinée' });
      await makePlace(db, { at: northOf(here, 1), commune: 'Nice' });
      const res = await request(app)
        .get('/api/v1/places')
        .query({ q: 'saint etienne de tinee', lat: here.lat, lon: here.lon, radius_km: 5 });
      expect(idsOf(res)).toEqual([place.id]);
    });

    it('when the text looks like SQL, then it is only text: 200 and no harm', async () => {
      const res = await request(app).get('/api/v1/places').query({ q: "'; DROP TABLE places; --" });
      expect(res.status).toBe(200);
      const count = await db('places').count('* as n');
      expect(Number(count[0].n)).toBeGreaterThan(0);
    });
  });
});
