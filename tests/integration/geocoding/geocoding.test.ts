import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBanGeocoder } from '../../../server/geocoding/ban.geocoder.js';
import { createOfflineGeocoder } from '../../../server/geocoding/geocoder.js';
import { createGeocoder } from '../../../server/geocoding/index.js';
import { makeCommune, randomPostalCode, uniqueWord } from '../../support/communes.js';
import { createApp } from '../../../server/app.js';
import { createTestContext, fixedClock, testConfig } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';

describe('offline geocoding from the communes table', () => {
  const { db, app } = createTestContext();
  const word = uniqueWord().toLowerCase();
  const saintName = `Saint-Étienne-de-Tinée-${word}`;
  let saint: Awaited<ReturnType<typeof makeCommune>>;
  const geocoder = createOfflineGeocoder({ db });

  beforeAll(async () => {
    saint = await makeCommune(db, { nom: saintName, latitude: 44.25, longitude: 6.92 });
  });

  const whenVisitorTypesNameWithout =
    'when a visitor types the name without accents or hyphens (and "sainte" for "saint"), ' +
    'then the commune is found';
  it(whenVisitorTypesNameWithout, async () => {
    const found = await geocoder.geocode(`sainte etienne de tinee ${word}`);
    expect(found?.insee).toBe(saint.insee);
    expect(found).toMatchObject({ lat: 44.25, lon: 6.92, kind: 'commune', source: 'offline' });
    expect(found?.label).toBe(`${saintName} (${saint.codesPostaux[0]})`);
  });

  it('when a visitor types a postal code, then the commune(s) of that code are found', async () => {
    const found = await geocoder.geocode(saint.codesPostaux[0]);
    expect(found?.kind).toBe('postcode');
    expect([found?.insee, ...(found?.alternatives ?? []).map((a) => a.insee)]).toContain(saint.insee);
  });

  it('when a visitor types an address with a postal code and the commune, then that commune is chosen', async () => {
    const cp = randomPostalCode();
    const w = uniqueWord();
    const a = await makeCommune(db, {
      nom: `Alpha${w}`,
      codesPostaux: [cp],
      latitude: 43,
      longitude: 5,
      population: 50000,
    });
    const b = await makeCommune(db, {
      nom: `Beta${w}`,
      codesPostaux: [cp],
      latitude: 43.1,
      longitude: 5.1,
      population: 100,
    });
    expect((await geocoder.geocode(`12 rue de la Paix ${cp} Beta${w}`))?.insee).toBe(b.insee);
    const byCode = await geocoder.geocode(cp);
    expect(byCode?.insee).toBe(a.insee); // the larger commune first
    expect(byCode?.alternatives.map((x) => x.insee)).toContain(b.insee);
  });

  it('when an address names the commune without a postal code, then the commune is found inside the text', async () => {
    const w = uniqueWord().toLowerCase();
    const c = await makeCommune(db, { nom: `Martiguesz${w}` });
    expect((await geocoder.geocode(`3 avenue du Port martiguesz${w}`))?.insee).toBe(c.insee);
  });

  it('when a former commune name is typed, then the current commune answers', async () => {
    const w = uniqueWord();
    const c = await makeCommune(db, { nom: `Nouvelle${w}`, anciensNoms: [`Ancienne${w}`] });
    expect((await geocoder.geocode(`Ancienne${w}`))?.insee).toBe(c.insee);
  });

  it('when a visitor types "St" or "Ste", then Saint and Sainte communes are found', async () => {
    const w = uniqueWord().toLowerCase();
    const c = await makeCommune(db, { nom: `Sainte-Colombe-${w}` });
    expect((await geocoder.geocode(`ste colombe ${w}`))?.insee).toBe(c.insee);
    expect((await geocoder.suggest(`ste colombe ${w.slice(0, 4)}`)).map((s) => s.insee)).toContain(c.insee);
  });

  it('when a visitor types the start of a name, then larger communes come first among those matching', async () => {
    const w = uniqueWord().toLowerCase();
    const small = await makeCommune(db, { nom: `${w}al`, population: 120 });
    const large = await makeCommune(db, { nom: `${w}igues`, population: 48_000 });
    const insees = (await geocoder.suggest(w.slice(0, 7))).map((s) => s.insee);
    expect(insees.indexOf(large.insee)).toBeGreaterThanOrEqual(0);
    expect(insees.indexOf(large.insee)).toBeLessThan(insees.indexOf(small.insee));
  });

  it('when a commune has several postal codes, then the typed one, else its places’ usual one, else none', async () => {
    const w = uniqueWord();
    const [main, other] = [randomPostalCode(), randomPostalCode()];
    // Listed first: the code of a small hamlet (Martigues: 13117 for Lavéra, 13500 for the town).
    const commune = await makeCommune(db, { nom: `Martigues${w}`, codesPostaux: [other, main] });
    // No place yet: no code rather than a wrong one.
    expect((await geocoder.geocode(`Martigues${w}`))?.label).toBe(`Martigues${w}`);
    for (let i = 0; i < 3; i++)
      await makePlace(db, { codeInsee: commune.insee, codePostal: main, commune: `Martigues${w}` });
    await makePlace(db, { codeInsee: commune.insee, codePostal: other, commune: `Martigues${w}` });
    expect((await geocoder.geocode(`Martigues${w}`))?.label).toBe(`Martigues${w} (${main})`);
    expect((await geocoder.geocode(`Martigues${w} ${other}`))?.label).toBe(`Martigues${w} (${other})`);
    expect((await geocoder.suggest(`Martigues${w}`))[0].label).toBe(`Martigues${w} (${main})`);
  });

  const whenVisitorTypesParis15 =
    'when a visitor types "Paris 15" or a Paris postal code, ' +
    'then the arrondissement is found, not the centre of Paris';
  it(whenVisitorTypesParis15, async () => {
    // The real rows (seeds/data/communes.json): Paris holds every Paris postal code.
    const real = JSON.parse(readFileSync('seeds/data/communes.json', 'utf8')) as {
      insee: string;
      nom: string;
      cp: string[];
      lat: number;
      lon: number;
    }[];
    for (const insee of ['75056', '75115']) {
      const c = real.find((r) => r.insee === insee)!;
      await makeCommune(db, {
        insee,
        nom: c.nom,
        codesPostaux: c.cp,
        latitude: c.lat,
        longitude: c.lon,
        population: insee === '75056' ? 2_100_000 : 230_000,
      });
    }
    for (const typed of ['Paris 15', 'paris 15e', 'Paris 15ème arrondissement', '75015', '75015 Paris']) {
      const found = await geocoder.geocode(typed);
      expect({ typed, insee: found?.insee, label: found?.label, lat: found?.lat }).toEqual({
        typed,
        insee: '75115',
        label: 'Paris 15e Arrondissement (75015)',
        lat: 48.84016,
      });
    }
    expect((await geocoder.geocode('Paris 21'))?.insee).not.toBe('75121');
  });

  it('when nothing matches, then null', async () => {
    expect(await geocoder.geocode('xqzwv kkkkjjj')).toBeNull();
  });

  it('when a visitor types, then suggestions come from /api/v1/communes (accent-insensitive, prefix)', async () => {
    const res = await request(app)
      .get('/api/v1/communes')
      .query({ q: `saint etienne de tinee ${word.slice(0, 5)}` });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { insee: string }) => i.insee)).toContain(saint.insee);
    const byCode = await request(app).get('/api/v1/communes').query({ q: saint.codesPostaux[0] });
    expect(byCode.body.items[0]).toMatchObject({ codePostal: saint.codesPostaux[0] });
  });

  it('when the suggestion query is empty, then 400 problem+json naming q', async () => {
    const res = await request(app).get('/api/v1/communes').query({ q: '' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('q');
  });
});

describe('the BAN street-address adapter (a local server stands in for the national API)', () => {
  const { db } = createTestContext();
  let server: Server;
  let baseUrl = '';
  let behaviour: 'ok' | 'silent' | 'error' | 'empty' = 'ok';
  const seen: string[] = [];
  let fallbackCommune: Awaited<ReturnType<typeof makeCommune>>;

  beforeAll(async () => {
    fallbackCommune = await makeCommune(db, { nom: `Repli${uniqueWord()}`, latitude: 47.1, longitude: 2.2 });
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      // Never answers (until the server closes): only the adapter's own timeout can end the wait.
      if (behaviour === 'silent') return;
      if (behaviour === 'error') {
        res.statusCode = 502;
        res.end('bad gateway');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          type: 'FeatureCollection',
          features:
            behaviour === 'empty'
              ? []
              : [
                  {
                    type: 'Feature',
                    geometry: { type: 'Point', coordinates: [5.0501, 43.4045] },
                    properties: {
                      label: '12 Rue de la Paix 13500 Martigues',
                      score: 0.93,
                      type: 'housenumber',
                      citycode: '13056',
                      postcode: '13500',
                    },
                  },
                ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const ban = () => createBanGeocoder({ baseUrl, timeoutMs: 300, fallback: createOfflineGeocoder({ db }) });

  it('when the BAN answers, then the street address is placed where it says', async () => {
    behaviour = 'ok';
    const found = await ban().geocode('12 rue de la paix martigues');
    expect(found).toMatchObject({
      lat: 43.4045,
      lon: 5.0501,
      kind: 'address',
      source: 'ban',
      label: '12 Rue de la Paix 13500 Martigues',
    });
    expect(seen.at(-1)).toContain('/search/?q=12+rue+de+la+paix+martigues');
  });

  const whenBANNeverAnswers =
    'when the BAN never answers, then the request is abandoned at the timeout and the offline table answers';
  it(whenBANNeverAnswers, async () => {
    behaviour = 'silent';
    const logged: unknown[] = [];
    const geocoder = createBanGeocoder({
      baseUrl,
      timeoutMs: 300,
      fallback: createOfflineGeocoder({ db }),
      log: (_message, error) => logged.push(error),
    });
    const found = await geocoder.geocode(fallbackCommune.nom);
    expect(found).toMatchObject({ insee: fallbackCommune.insee, source: 'offline' });
    expect(logged).toHaveLength(1);
    expect((logged[0] as Error).name).toBe('TimeoutError');
  });

  it('when the BAN fails or finds nothing, then the offline table answers', async () => {
    behaviour = 'error';
    expect((await ban().geocode(fallbackCommune.nom))?.source).toBe('offline');
    behaviour = 'empty';
    expect((await ban().geocode(fallbackCommune.nom))?.insee).toBe(fallbackCommune.insee);
  });

  it('when GEOCODER=ban, then the search page finds places around the street address the BAN gives', async () => {
    behaviour = 'ok';
    const app = createApp({
      config: testConfig({ GEOCODER: 'ban', BAN_API_URL: baseUrl }),
      db,
      clock: fixedClock('2026-12-01T10:00:00Z'),
      log: () => {},
    });
    const place = await makePlace(db, { at: { lat: 43.4045, lon: 5.0601 } });
    const res = await request(app).get('/').query({ ou: '12 rue de la paix martigues', radius_km: '5' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('de 12 Rue de la Paix 13500 Martigues');
    expect(res.text).toContain(place.nom);
  });

  it('when GEOCODER=ban is configured, then the adapter is used; by default the offline table', async () => {
    behaviour = 'ok';
    const configured = createGeocoder({
      db,
      config: { GEOCODER: 'ban', BAN_API_URL: baseUrl, GEOCODER_TIMEOUT_MS: 500 },
    });
    expect((await configured.geocode('12 rue de la paix martigues'))?.source).toBe('ban');
    const offline = createGeocoder({
      db,
      config: { GEOCODER: 'offline', BAN_API_URL: baseUrl, GEOCODER_TIMEOUT_MS: 500 },
    });
    expect((await offline.geocode(fallbackCommune.nom))?.source).toBe('offline');
  });
});
