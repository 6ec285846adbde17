/**
 * The requests of issue 10's table, each as a list of paths drawn at random (seeded) and replayed in
 * turn by autocannon: points where people live (communes drawn by population, like the places), the
 * services of the standard, hours by day and at night, words people type, big cities' names.
 */
import { placePath } from '../server/places/places.mapping.js';
import { SERVICES } from '../server/places/standard.js';
import { communeSampler, loadCommunes, seededRandom } from './generate.js';

export type Target = 'hello' | 'minimal' | 'app';

export interface Scenario {
  name: string;
  target: Target;
  paths: string[];
  headers?: Record<string, string>;
}

const PATHS_PER_SCENARIO = 2000;
// Metropolitan France and Corsica: the map's "search this area" at its widest.
const FRANCE_BBOX = '-5.2,41.3,9.6,51.1';
// The clustered map (`/api/v1/map`) over metropolitan France, as the search page opens it.
const MAP_FRANCE_BBOX = '-5.5,41.2,9.8,51.2';
const WORDS = [
  'mediatheque',
  'france services',
  'centre social',
  'espace public numerique',
  'mairie',
  'bibliotheque',
  'tiers-lieu',
  'marseile',
  'cyber-base',
  'maison de quartier',
];

const pad = (n: number) => String(n).padStart(2, '0');

/** What browsers send: brotli and gzip accepted. */
const BROWSER_ENCODINGS = { 'accept-encoding': 'gzip, deflate, br, zstd' };

export function buildScenarios(places: { id: number; nom: string }[], seed = 7): Scenario[] {
  const random = seededRandom(seed);
  const communes = loadCommunes();
  const drawCommune = communeSampler(communes, random);
  const many = (make: () => string) => Array.from({ length: PATHS_PER_SCENARIO }, make);
  const point = () => {
    const c = drawCommune();
    return `lat=${(c.lat + (random() - 0.5) * 0.05).toFixed(5)}&lon=${(c.lon + (random() - 0.5) * 0.05).toFixed(5)}`;
  };
  // A city viewport at zoom 12 (about 1,280 × 800 pixels: 0.44° of longitude, 0.24° of latitude)
  // around a point drawn like the others.
  const cityViewport = () => {
    const c = drawCommune();
    const lon = c.lon + (random() - 0.5) * 0.05;
    const lat = c.lat + (random() - 0.5) * 0.05;
    return [lon - 0.22, lat - 0.12, lon + 0.22, lat + 0.12].map((v) => v.toFixed(5)).join(',');
  };
  const service = () => encodeURIComponent(SERVICES[Math.floor(random() * SERVICES.length)]);
  // Monday 7 to Friday 11 December 2026: ordinary weeks, no public holiday.
  const dayTime = () =>
    `2026-12-${pad(7 + Math.floor(random() * 5))}` +
    `T${pad(9 + Math.floor(random() * 8))}:${pad(Math.floor(random() * 60))}`;
  const nightTime = () =>
    `2026-12-${pad(7 + Math.floor(random() * 7))}` +
    `T${pad((21 + Math.floor(random() * 9)) % 24)}:${pad(Math.floor(random() * 60))}`;
  // The biggest cities by name, as people type them (arrondissements folded into their city).
  const cities = [
    ...new Set(
      communes
        .filter((c) => !/^(751|6938|132\d\d)/.test(c.insee))
        .sort((a, b) => b.population - a.population)
        .slice(0, 60)
        .map((c) => c.nom),
    ),
  ].concat(['Paris', 'Lyon', 'Marseille']);

  return [
    { name: 'Express hello (framework ceiling)', target: 'hello', paths: ['/'] },
    { name: 'minimal Express + pg nearest 20', target: 'minimal', paths: many(() => `/nearest?${point()}`) },
    { name: 'nearest 20', target: 'app', paths: many(() => `/api/v1/places?${point()}`) },
    {
      name: 'nearest 20 + service + open_now',
      target: 'app',
      paths: many(() => `/api/v1/places?${point()}&services=${service()}&open_now=true`),
    },
    {
      name: 'nearest 20 + service + open_at by day',
      target: 'app',
      paths: many(() => `/api/v1/places?${point()}&services=${service()}&open_at=${dayTime()}`),
    },
    {
      name: 'nearest 20 + service + open_at at night',
      target: 'app',
      paths: many(() => `/api/v1/places?${point()}&services=${service()}&open_at=${nightTime()}`),
    },
    {
      name: 'text search q=',
      target: 'app',
      paths: many(() => `/api/v1/places?q=${encodeURIComponent(WORDS[Math.floor(random() * WORDS.length)])}`),
    },
    {
      name: 'search page /?ou=<city>',
      target: 'app',
      paths: many(() => `/?ou=${encodeURIComponent(cities[Math.floor(random() * cities.length)])}`),
    },
    { name: 'map bbox France-wide (API)', target: 'app', paths: [`/api/v1/places?bbox=${FRANCE_BBOX}`] },
    {
      name: 'map "search this area" France-wide (results fragment)',
      target: 'app',
      paths: [`/?bbox=${FRANCE_BBOX}`],
      headers: { 'x-fragment': 'results' },
    },
    { name: 'map clusters France-wide, zoom 5', target: 'app', paths: [`/api/v1/map?bbox=${MAP_FRANCE_BBOX}&zoom=5`] },
    { name: 'map clusters France-wide, zoom 6', target: 'app', paths: [`/api/v1/map?bbox=${MAP_FRANCE_BBOX}&zoom=6`] },
    {
      name: 'map clusters city viewport, zoom 12',
      target: 'app',
      paths: many(() => `/api/v1/map?bbox=${cityViewport()}&zoom=12`),
    },
    { name: 'place page', target: 'app', paths: places.length ? places.map((p) => placePath(p)) : ['/lieux/1'] },
    {
      name: 'place detail (API)',
      target: 'app',
      paths: places.length ? places.map((p) => `/api/v1/places/${p.id}`) : ['/api/v1/places/1'],
    },
    // Last: its draws leave the paths of the scenarios above as they were in earlier runs.
    {
      // Towns drawn evenly from ~35,000: nearly every path is new, and 2,000 of them in turn are more
      // than the remembered pages hold: what a text search costs when nobody asked it a moment ago.
      name: 'text search q=, a town never asked before',
      target: 'app',
      paths: many(() => `/api/v1/places?q=${encodeURIComponent(communes[Math.floor(random() * communes.length)].nom)}`),
    },
    {
      // 2,000 points in turn, more search pages than the memory of pages holds (32 MB): each view is
      // searched and rendered, what the search page costs when nobody asked it a moment ago.
      name: 'search page around a point never asked before',
      target: 'app',
      paths: many(() => `/?${point()}`),
    },
    // What a browser asks (it accepts brotli and gzip): the kept answers travel compressed once for
    // all; the rows above, without Accept-Encoding, leave compression out.
    {
      name: 'map clusters France-wide, zoom 5, as a browser asks (br, gzip)',
      target: 'app',
      paths: [`/api/v1/map?bbox=${MAP_FRANCE_BBOX}&zoom=5`],
      headers: BROWSER_ENCODINGS,
    },
    {
      name: 'search page /?ou=<city>, as a browser asks (br, gzip)',
      target: 'app',
      paths: many(() => `/?ou=${encodeURIComponent(cities[Math.floor(random() * cities.length)])}`),
      headers: BROWSER_ENCODINGS,
    },
    // Last again (draws): a text around a point, as another map asks for "médiathèque" near a town.
    {
      name: 'text search q= around a point',
      target: 'app',
      paths: many(
        () => `/api/v1/places?q=${encodeURIComponent(WORDS[Math.floor(random() * WORDS.length)])}&${point()}`,
      ),
    },
    {
      // Last, so that the rows above draw the same points as before. The row "nearest 20" replays
      // 2,000 points, each asked ~4 times in a run: the rows shown then mostly come from the index's
      // display cache. 20,000 points are more than a run asks: each search reads its rows from
      // PostgreSQL, as when people spread over the country search.
      name: 'nearest 20, a point never asked before',
      target: 'app',
      paths: Array.from({ length: 10 * PATHS_PER_SCENARIO }, () => `/api/v1/places?${point()}`),
    },
  ];
}
