import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCommune, uniqueWord } from '../../support/communes.js';
import { createTestContext } from '../../support/context.js';
import { aloneSpot, eastOf, makeLabel, makePlace, northOf, randomSpot } from '../../support/factories.js';

const cardNames = (html: string) =>
  [...html.matchAll(/<h3 class="place-card-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('the search page (home), server-rendered', () => {
  // 2026-12-01T10:00Z is a Tuesday, 11:00 in Paris.
  const { db, app } = createTestContext();
  // Alone in its lane: the 100 km searches below would list other tests' places near a random spot.
  const spot = aloneSpot(3);
  const communeName = `Villeneuve-${uniqueWord()}`;
  let label: { slug: string; name: string };
  const names = { near: '', middle: '', far: '', outside: '' };

  beforeAll(async () => {
    await makeCommune(db, { nom: communeName, codesPostaux: ['01999'], latitude: spot.lat, longitude: spot.lon });
    label = await makeLabel(db, { name: `Label ${uniqueWord()}` });
    const near = await makePlace(db, {
      at: northOf(spot, 2.4),
      horaires: 'Mo-Fr 09:00-17:00',
      services: ['Aide aux démarches administratives'],
      labels: [label.slug],
    });
    const middle = await makePlace(db, {
      at: eastOf(spot, 8),
      horaires: 'Sa 09:00-12:00',
      services: ['Loisirs et créations numériques'],
    });
    const far = await makePlace(db, { at: northOf(spot, 20) });
    const outside = await makePlace(db, { at: northOf(spot, 60) });
    Object.assign(names, { near: near.nom, middle: middle.nom, far: far.nom, outside: outside.nom });
  });

  const whenVisitorOpensHomePage =
    'when a visitor opens the home page, then one search box, the "Autour de moi" button and the filters are there';
  it(whenVisitorOpensHomePage, async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<label for="ou">Commune, code postal ou adresse</label>');
    expect(res.text).toContain('id="autour-de-moi"');
    expect(res.text).toContain('Ouvert maintenant');
    expect(res.text).toContain('Aide aux démarches administratives');
    expect(res.text).toContain('name="labels"');
    expect(res.text).not.toContain('place-card');
    expect(res.text).not.toMatch(/<script(?![^>]*(src=|type="application\/json"))/); // no inline script
  });

  const whenVisitorSearchesCommune =
    'when a visitor searches a commune, ' +
    'then places within 30 km come nearest first with their distance and open state';
  it(whenVisitorSearchesCommune, async () => {
    const res = await request(app)
      .get('/')
      .query({ ou: communeName.toLowerCase().replace(/-/g, ' ') });
    expect(res.status).toBe(200);
    expect(cardNames(res.text)).toEqual([names.near, names.middle, names.far]);
    expect(res.text).toContain(`3 lieux à moins de 30 km de ${communeName} (01999)`);
    expect(res.text).toContain('à 2,4 km');
    expect(res.text).toContain('Ouvert · ferme à 17:00');
    expect(res.text).toContain('Fermé · ouvre samedi à 09:00');
    expect(res.text).toContain('Horaires non renseignés');
    expect(res.text).toContain(`Labels : ${label.name}`);
    const data = JSON.parse(/<script type="application\/json" id="search-data">([^<]*)<\/script>/.exec(res.text)![1]);
    expect(data.markers.map((m: { nom: string }) => m.nom)).toEqual([names.near, names.middle, names.far]);
    expect(data.center).toEqual({ lat: spot.lat, lon: spot.lon });
  });

  it('when the same search goes through the API, then the places are the same, in the same order', async () => {
    const page = await request(app).get('/').query({ ou: '01999', radius_km: '50' });
    const api = await request(app).get('/api/v1/places').query({ lat: spot.lat, lon: spot.lon, radius_km: 50 });
    expect(cardNames(page.text)).toEqual(api.body.items.map((i: { nom: string }) => i.nom));
    expect(cardNames(page.text)).toHaveLength(3);
  });

  it('when the visitor widens the radius, then farther places appear', async () => {
    const res = await request(app).get('/').query({ ou: communeName, radius_km: '100' });
    expect(cardNames(res.text)).toEqual([names.near, names.middle, names.far, names.outside]);
  });

  it('when the visitor shares its position, then the places around it are listed', async () => {
    const res = await request(app)
      .get('/')
      .query({ lat: String(spot.lat), lon: String(spot.lon), radius_km: '10' });
    expect(cardNames(res.text)).toEqual([names.near, names.middle]);
    expect(res.text).toContain('de votre position');
  });

  it('when filtering "Ouvert maintenant" and a label, then only matching places remain', async () => {
    const open = await request(app).get('/').query({ ou: communeName, open_now: 'true' });
    expect(cardNames(open.text)).toEqual([names.near]);
    const labelled = await request(app).get('/').query({ ou: communeName, labels: label.slug });
    expect(cardNames(labelled.text)).toEqual([names.near]);
    expect(labelled.text).toMatch(new RegExp(`id="labels-${label.slug}"[^>]*checked`));
    const clear = /<a class="clear-filters" href="([^"]+)"/
      .exec(labelled.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(cardNames((await request(app).get(clear)).text)).toEqual([names.near, names.middle, names.far]);
  });

  it('when filtering "Ouvert le … à …", then places open at that day and time remain', async () => {
    const saturday = await request(app).get('/').query({ ou: communeName, jour: '2026-12-05', heure: '10:00' });
    expect(cardNames(saturday.text)).toEqual([names.middle]);
    expect(saturday.text).toContain('value="2026-12-05"');
  });

  const whenOpenAtSearchFinds =
    'when an open-at search finds nothing, ' +
    'then the heading says no place is open then, with a way to drop the filter';
  it(whenOpenAtSearchFinds, async () => {
    const sunday = await request(app).get('/').query({ ou: communeName, jour: '2026-12-06', heure: '10:00' });
    expect(cardNames(sunday.text)).toEqual([]);
    expect(sunday.text).toMatch(new RegExp(`Aucun lieu ouvert à ce moment\\s+à moins de 30 km de ${communeName}`));
    expect(sunday.text).not.toContain('Aucun lieu ne correspond');
    const all = /<a href="([^"]+)">Voir les lieux à toute heure<\/a>/
      .exec(sunday.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(all).not.toContain('jour=');
    expect(cardNames((await request(app).get(all)).text)).toEqual([names.near, names.middle, names.far]);
    // With places open, a heading without a count.
    const open = await request(app).get('/').query({ ou: communeName, open_now: 'true' });
    expect(open.text).toMatch(new RegExp(`Lieux\\s+à moins de 30 km de ${communeName}`));
  });

  it('when the URL has a radius the list does not offer, then it is shown as chosen', async () => {
    const res = await request(app).get('/').query({ ou: communeName, radius_km: '7' });
    expect(res.text).toMatch(/<option value="7" selected>7 km<\/option>/);
    expect(res.text.match(/<option value="\d+" selected>/g)).toHaveLength(1);
    expect(res.text).toContain('à moins de 7 km');
  });

  const whenLabelsOfferedAsFilters =
    'when labels are offered as filters, then only labels with places show, with their count, plus any chosen one';
  it(whenLabelsOfferedAsFilters, async () => {
    const empty = await makeLabel(db, { name: `Vide ${uniqueWord()}` });
    const home = await request(app).get('/');
    expect(home.text).toContain(`>${label.name} (1)</label>`);
    expect(home.text).not.toContain(`value="${empty.slug}"`);
    const chosen = await request(app).get('/').query({ ou: communeName, labels: empty.slug });
    expect(chosen.text).toMatch(new RegExp(`id="labels-${empty.slug}"[^>]*checked`));
  });

  it('when a place is only placed at its commune centre, then its card says the position is approximate', async () => {
    const here = randomSpot();
    const name = `Lieudit-${uniqueWord()}`;
    await makeCommune(db, { nom: name, latitude: here.lat, longitude: here.lon });
    const rough = await makePlace(db, { at: northOf(here, 3), locationPrecision: 'commune' });
    await makePlace(db, { at: northOf(here, 4) });
    const res = await request(app).get('/').query({ ou: name });
    const cards = res.text.split('<li class="place-card"').slice(1);
    expect(cards).toHaveLength(2);
    expect(cards[0]).toContain(rough.nom);
    expect(cards[0]).toContain('Position approximative : centre de la commune');
    expect(cards[0]).toContain('à environ 3 km');
    expect(cards[1]).not.toContain('Position approximative');
  });

  it('when filtering by service, then places offering it remain', async () => {
    const res = await request(app).get('/').query({ ou: communeName, services: 'Loisirs et créations numériques' });
    expect(cardNames(res.text)).toEqual([names.middle]);
  });

  it('when no place is within the radius, then "Aucun lieu" and a link to search farther', async () => {
    const lonely = randomSpot();
    const name = `Hameau-${uniqueWord()}`;
    await makeCommune(db, { nom: name, latitude: lonely.lat, longitude: lonely.lon });
    await makePlace(db, { at: northOf(lonely, 60) });
    const res = await request(app).get('/').query({ ou: name, radius_km: '10' });
    expect(res.text).toMatch(/Aucun lieu\s+à moins de 10 km/);
    const wider = /<a href="([^"]+)">Chercher jusqu’à 100 km<\/a>/
      .exec(res.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(cardNames((await request(app).get(wider)).text)).toHaveLength(1);
  });

  it('when a visitor types a department number, then places around it are listed, 100 km wide', async () => {
    const centre = aloneSpot(4);
    await makeCommune(db, { insee: '2B901', latitude: centre.lat + 0.1, longitude: centre.lon });
    await makeCommune(db, { insee: '2B902', latitude: centre.lat - 0.1, longitude: centre.lon });
    const inside = await makePlace(db, { at: northOf(centre, 80) });
    const res = await request(app).get('/').query({ ou: '2b' });
    expect(res.text).toContain('à moins de 100 km de Haute-Corse (2B)');
    expect(cardNames(res.text)).toEqual([inside.nom]);
    expect(res.text).toMatch(/<option value="100" selected>/);
  });

  it('when the commune is unknown, then a plain message says so (and nothing breaks)', async () => {
    const res = await request(app).get('/').query({ ou: 'Qxzyvwpt' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Nous n’avons pas trouvé la commune ou le code postal « Qxzyvwpt »');
  });

  it('when a value is wrong, then the form comes back with a French message by the field and status 400', async () => {
    const res = await request(app).get('/').query({ ou: communeName, radius_km: 'loin' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('id="radius-erreur"');
    expect(res.text).toContain('Rayon attendu en kilomètres.');
    expect(res.text).toContain(`value="${communeName}"`);
    const day = await request(app).get('/').query({ ou: communeName, jour: '2026-12-05' });
    expect(day.status).toBe(400);
    expect(day.text).toContain('Choisissez aussi une heure.');
    const weird = await request(app).get('/').query({ services: 'Pêche à la ligne', page: 'nimportequoi', carte: 'x' });
    expect(weird.status).toBe(400);
    const cursor = await request(app).get('/').query({ ou: communeName, page: 'bm9ub24' });
    expect(cursor.status).toBe(400);
    expect(cursor.text).toContain('Curseur invalide');
  });

  it('when there are more places than a page, then "Lieux suivants" continues the list without repeats', async () => {
    const crowd = randomSpot();
    const crowdName = `Bourg-${uniqueWord()}`;
    await makeCommune(db, { nom: crowdName, latitude: crowd.lat, longitude: crowd.lon });
    for (let i = 1; i <= 23; i++) await makePlace(db, { at: northOf(crowd, i * 0.5) });
    const first = await request(app).get('/').query({ ou: crowdName });
    expect(cardNames(first.text)).toHaveLength(20);
    expect(first.text).toContain('23 lieux');
    const next = /<a href="([^"]+)" rel="next">Lieux suivants<\/a>/
      .exec(first.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    const second = await request(app).get(next);
    expect(second.status).toBe(200);
    expect(cardNames(second.text)).toHaveLength(3);
    expect(new Set([...cardNames(first.text), ...cardNames(second.text)]).size).toBe(23);
    expect(second.text).toContain('Première page');
  });

  const whenScriptAsksResultsOnly =
    'when the script asks for the results only, ' +
    'then the fragment has the list and the map data, without the layout';
  it(whenScriptAsksResultsOnly, async () => {
    const res = await request(app).get('/').query({ ou: communeName }).set('X-Fragment', 'results');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<html');
    expect(res.text).toContain('id="search-data"');
    expect(cardNames(res.text)).toEqual([names.near, names.middle, names.far]);
  });

  it('when a visitor searches a map area, then places inside it are listed nearest the centre first', async () => {
    const box = [spot.lon - 0.05, spot.lat - 0.05, spot.lon + 0.2, spot.lat + 0.05].join(',');
    const res = await request(app)
      .get('/')
      .query({ bbox: box, lat: String(spot.lat), lon: String(spot.lon), carte: `12/${spot.lat}/${spot.lon}` });
    expect(res.status).toBe(200);
    expect(cardNames(res.text)).toEqual([names.near, names.middle]);
    expect(res.text).toContain('cette zone de la carte');
  });

  const whenOnlyAnArea =
    'when only a map area is sent (no centre), then places inside it are listed nearest its centre first';
  it(whenOnlyAnArea, async () => {
    // Centred 2.8 km north of the spot: "near" is 0.4 km from there, "middle" 8.5 km; "far" is outside.
    const box = [spot.lon - 0.2, spot.lat - 0.05, spot.lon + 0.2, spot.lat + 0.1].join(',');
    const res = await request(app).get('/').query({ bbox: box }).set('X-Fragment', 'results');
    expect(res.status).toBe(200);
    expect(cardNames(res.text)).toEqual([names.near, names.middle]);
    expect(res.text).toContain('cette zone de la carte');
  });

  it('when the map area exceeds any radius (a whole country), then every place inside it is listed', async () => {
    const box = [spot.lon - 6, spot.lat - 4, spot.lon + 6, spot.lat + 4].join(',');
    const res = await request(app)
      .get('/')
      .query({ bbox: box, lat: String(spot.lat - 3.5), lon: String(spot.lon - 5.5) });
    expect(res.status).toBe(200);
    expect(cardNames(res.text)).toEqual(expect.arrayContaining([names.near, names.middle, names.far, names.outside]));
  });
});
