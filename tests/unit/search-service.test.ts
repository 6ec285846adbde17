import { describe, expect, it } from 'vitest';
import type { GeocodeResult, Geocoder } from '../../server/geocoding/geocoder.js';
import { ValidationError } from '../../server/http/errors.js';
import type { Label } from '../../server/labels/labels.repository.js';
import { haversineKm } from '../../server/places/geo.js';
import type { PlaceSummary, PlacesPage } from '../../server/places/places.responses.js';
import type { PlacesSearch } from '../../server/places/places.service.js';
import { toFieldErrors } from '../../server/http/validation.js';
import { searchPageQuerySchema } from '../../server/search/search.query.js';
import { createSearchService, type ParsedSearch, type SearchServiceDeps } from '../../server/search/search.service.js';

// The service's collaborators, written by hand: what it asked and what they answer (no database here).
const label: Label = {
  id: 1,
  slug: 'netpublic',
  name: 'NetPublic',
  kind: 'programme_national',
  issuer: null,
  description: null,
  history: null,
  website: null,
  activeFromYear: null,
  activeUntilYear: null,
  standardField: null,
  standardValue: null,
  placeCount: 4,
};

const summary: PlaceSummary = {
  id: 7,
  nom: 'EPN du Port',
  adresse: '1 quai',
  complement_adresse: null,
  code_postal: '13500',
  commune: 'Martigues',
  code_insee: '13056',
  latitude: 43.4,
  longitude: 5.05,
  location_precision: 'exact',
  labels: ['netpublic'],
  services: ['Aide aux démarches administratives'],
  frais_a_charge: [],
  modalites_accompagnement: [],
  horaires: 'Mo-Fr 09:00-17:00',
  open_now: true,
  next_change: '2026-12-01T17:00',
  distance_km: 2.4,
  url: '/lieux/7-epn-du-port',
};

const martigues: GeocodeResult = {
  label: 'Martigues (13500)',
  lat: 43.4045,
  lon: 5.0501,
  kind: 'commune',
  source: 'offline',
  alternatives: [
    {
      label: 'Martigues-Plage (13999)',
      nom: 'Martigues-Plage',
      insee: '13999',
      codePostal: '13999',
      lat: 43.3,
      lon: 5.1,
    },
  ],
};

function setUp(options: { found?: GeocodeResult | null; page?: PlacesPage; searchError?: Error; total?: number } = {}) {
  const searches: PlacesSearch[] = [];
  const counted: PlacesSearch[] = [];
  const geocoded: string[] = [];
  const geocoder: Geocoder = {
    geocode: (text) => {
      geocoded.push(text);
      return Promise.resolve(options.found === undefined ? martigues : options.found);
    },
  } as Geocoder;
  const deps: SearchServiceDeps = {
    places: {
      search: (query) => {
        searches.push(query);
        if (options.searchError) return Promise.reject(options.searchError);
        return Promise.resolve(options.page ?? { items: [summary], next_cursor: null });
      },
      count: (query) => {
        counted.push(query);
        return Promise.resolve({ total: options.total ?? 1, isLowerBound: false });
      },
      // No in-memory index here: nothing is kept.
      pageKey: () => Promise.resolve(undefined),
    },
    labels: { list: () => Promise.resolve([label]) },
    geocoder,
    clock: { now: () => new Date('2026-12-01T10:00:00Z') }, // Tuesday, 11:00 in Paris
  };
  const service = createSearchService(deps);
  /** As the route does: parse what was typed, then ask the service. */
  const searchPage = (typed: Record<string, string | string[]>) => {
    const parsed = searchPageQuerySchema.safeParse(typed);
    const request: ParsedSearch = parsed.success
      ? { ok: true, query: parsed.data }
      : { ok: false, errors: toFieldErrors(parsed.error) };
    return service.searchPage(request, typed);
  };
  return { searchPage, searches, counted, geocoded };
}

// The view is template data: read it as such.
interface Results {
  cards: { nom: string; open: { text: string } }[];
  total: number | null;
  where?: string;
  notFound: boolean;
  radius: number | null;
  byDistance: boolean;
  alternatives: { label: string; url: string }[];
  nextUrl: string | null;
  firstUrl: string | null;
  widerRadius: string | null;
  openEmpty: boolean;
  withoutOpenUrl: string;
  openFilter: string | null;
  mapData: { center: unknown; radiusKm: number | null; bbox: unknown; markers: unknown[] };
}
const resultsOf = (view: Record<string, unknown>) => view.results as Results;
const formOf = (view: Record<string, unknown>) =>
  view.form as {
    ou: string;
    defaultRadius: number;
    clearUrl: string;
    radiusOptions: { value: number; selected: boolean }[];
  };

describe('the search service (the search page’s data from a parsed query)', () => {
  it('when nothing is asked, then it is the home page: the form with the default radius; no search runs', async () => {
    const { searchPage, searches, geocoded } = setUp();
    const result = await searchPage({});
    expect(result.kind).toBe('home');
    expect(result.view.home).toBe(true);
    expect(formOf(result.view).defaultRadius).toBe(30);
    expect(searches).toEqual([]);
    expect(geocoded).toEqual([]);
  });

  const communeSearch =
    'when a commune is typed, then it is geocoded and its places are searched around it, nearest first, ' +
    'with the open state in words';
  it(communeSearch, async () => {
    const { searchPage, searches } = setUp();
    const result = await searchPage({ ou: 'martigues', services: 'Aide aux démarches administratives' });
    expect(result.kind).toBe('results');
    expect(searches[0]).toMatchObject({
      lat: 43.4045,
      lon: 5.0501,
      radius_km: 30,
      q: undefined,
      services: ['Aide aux démarches administratives'],
      limit: 20,
    });
    expect(result.view.pageTitle).toBe('Lieux près de Martigues (13500)');
    const results = resultsOf(result.view);
    expect(results).toMatchObject({
      total: 1,
      where: 'Martigues (13500)',
      notFound: false,
      radius: 30,
      byDistance: true,
    });
    expect(results.cards.map((c) => [c.nom, c.open.text])).toEqual([['EPN du Port', 'Ouvert · ferme à 17:00']]);
    expect(results.mapData).toMatchObject({ center: { lat: 43.4045, lon: 5.0501 }, radiusKm: 30, bbox: null });
    expect(results.mapData.markers).toHaveLength(1);
  });

  it('when the commune has namesakes, then each is offered as the same search elsewhere, back on page 1', async () => {
    const { searchPage } = setUp();
    const result = await searchPage({ ou: 'martigues', frais: 'Gratuit', page: 'abc' });
    expect(resultsOf(result.view).alternatives).toEqual([
      { label: 'Martigues-Plage (13999)', url: '/?frais=Gratuit&ou=Martigues-Plage+%2813999%29' },
    ]);
  });

  it('when a whole department is found, then it is searched 100 km wide unless a radius was chosen', async () => {
    const department: GeocodeResult = {
      label: 'Bouches-du-Rhône (13)',
      lat: 43.5,
      lon: 5.1,
      kind: 'department',
      alternatives: [],
      source: 'offline',
    };
    const wide = setUp({ found: department });
    await wide.searchPage({ ou: '13' });
    expect(wide.searches[0].radius_km).toBe(100);
    const chosen = setUp({ found: department });
    await chosen.searchPage({ ou: '13', radius_km: '10' });
    expect(chosen.searches[0].radius_km).toBe(10);
  });

  it('when the words match no commune, then they search the places’ names, with no point and no distance', async () => {
    const { searchPage, searches } = setUp({ found: null });
    const result = await searchPage({ ou: 'Cyberbase' });
    expect(searches[0]).toMatchObject({ lat: undefined, lon: undefined, radius_km: undefined, q: 'Cyberbase' });
    expect(result.view.pageTitle).toBe('Résultats de la recherche');
    expect(resultsOf(result.view)).toMatchObject({ notFound: true, byDistance: false, radius: null });
  });

  it('when a map area is searched, then the circle covers the box, the box filters, no radius is shown', async () => {
    const { searchPage, searches, geocoded } = setUp();
    const result = await searchPage({ lat: '43.4', lon: '5.0', bbox: '4.9,43.3,5.1,43.5' });
    expect(geocoded).toEqual([]);
    const farthestCorner = Math.max(
      ...[
        [43.3, 4.9],
        [43.5, 5.1],
        [43.3, 5.1],
        [43.5, 4.9],
      ].map(([lat, lon]) => haversineKm({ lat: 43.4, lon: 5.0 }, { lat, lon })),
    );
    expect(searches[0].radius_km).toBe(Math.ceil(farthestCorner) + 1);
    expect(searches[0].bbox).toEqual({ minLon: 4.9, minLat: 43.3, maxLon: 5.1, maxLat: 43.5 });
    expect(result.view.pageTitle).toBe('Lieux près de cette zone de la carte');
    expect(resultsOf(result.view)).toMatchObject({ radius: null, widerRadius: null });
  });

  const unreadableQuery =
    'when the query cannot be read, then the form comes back as typed with a message for each wrong field, ' +
    'and nothing is searched';
  it(unreadableQuery, async () => {
    const { searchPage, searches } = setUp();
    const result = await searchPage({ ou: 'Martigues', lat: '43.4', services: 'Aide aux démarches administratives' });
    expect(result.kind).toBe('invalid');
    expect(result.view.pageTitle).toBe('Erreur dans la recherche');
    expect(result.view.errors).toEqual({ lon: 'lat et lon vont ensemble.' });
    expect(result.view.errorList).toEqual([{ field: 'ou', message: 'lat et lon vont ensemble.' }]);
    expect(formOf(result.view).ou).toBe('Martigues');
    expect(searches).toEqual([]);
  });

  it('when the places service refuses the page cursor, then its message is on the form’s "page" field', async () => {
    const { searchPage } = setUp({
      searchError: new ValidationError([{ field: 'cursor', message: 'Curseur invalide.' }]),
    });
    const result = await searchPage({ ou: 'martigues', page: 'zzz' });
    expect(result.kind).toBe('invalid');
    expect(result.view.errors).toEqual({ page: 'Curseur invalide.' });
    expect(formOf(result.view).ou).toBe('martigues');
  });

  it('when only places open at a time are asked, then none are counted; an empty list offers a way out', async () => {
    const { searchPage, counted, searches } = setUp({ page: { items: [], next_cursor: null } });
    const result = await searchPage({ ou: 'martigues', jour: '2026-12-25', heure: '10:00' });
    expect(searches[0].open_at).toEqual(new Date('2026-12-25T09:00:00Z'));
    expect(counted).toEqual([]);
    const results = resultsOf(result.view);
    expect(results).toMatchObject({
      total: null,
      openEmpty: true,
      openFilter: '2026-12-25 à 10:00',
      withoutOpenUrl: '/?ou=martigues',
    });
    expect(results.widerRadius).toBe('/?ou=martigues&jour=2026-12-25&heure=10%3A00&radius_km=100');
  });

  it('when there is a next page, then its link keeps the whole search; later pages link back to page 1', async () => {
    const { searchPage } = setUp({ page: { items: [summary], next_cursor: 'c2' } });
    const result = await searchPage({ ou: 'martigues', open_now: 'true', page: 'c1' });
    const results = resultsOf(result.view);
    expect(results.nextUrl).toBe('/?ou=martigues&open_now=true&page=c2');
    expect(results.firstUrl).toBe('/?ou=martigues&open_now=true');
    expect(formOf(result.view).clearUrl).toBe('/?ou=martigues');
  });
});
