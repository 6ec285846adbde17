import { Router, type Request } from 'express';
import { assetUrls } from '../shared/asset-url.js';
import type { Geocoder } from '../geocoding/geocoder.js';
import { ValidationError, type FieldError } from '../http/errors.js';
import { toFieldErrors } from '../http/validation.js';
import type { LabelsService } from '../labels/labels.service.js';
import { haversineKm } from '../places/geo.js';
import { DEFAULT_RADIUS_KM, placesQueryShape } from '../places/places.query.js';
import type { PlacesSearch, PlacesService } from '../places/places.service.js';
import type { Clock } from '../shared/clock.js';
import { parisWallTime } from '../shared/paris-time.js';
import { FILTER_KEYS, RADIUS_CHOICES, searchPageQuerySchema, type SearchPageQuery } from './search.query.js';
import { cardOf, formView, markerOf, type FormState } from './search.view.js';

export const RESULTS_PER_PAGE = 20;
export const DEPARTMENT_RADIUS_KM = 100;

/** What the search page loads besides site.css (the page-weight bench reads this list). */
export const SEARCH_PAGE_ASSETS = { scripts: ['/static/build/search.js'], stylesheets: ['/static/build/search.css'] };

export interface SearchDeps {
  places: PlacesService;
  labels: LabelsService;
  geocoder: Geocoder;
  clock: Clock;
  mapTilesUrl: string;
  mapTilesAttribution: string;
}

const FIELD_IDS: Record<string, string> = {
  lat: 'ou', lon: 'ou', bbox: 'ou', page: 'ou', carte: 'ou', open_now: 'open_now',
  services: 'services-groupe-1', publics: 'filtre-publics', prise_en_charge: 'filtre-prise-en-charge', frais: 'filtre-frais',
  modalites_accompagnement: 'filtre-modalites', labels: 'filtre-labels',
};

const asList = (value: unknown): string[] | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean);
const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The query as typed, to show the form again when something in it is wrong. */
function rawFormState(query: Request['query']): FormState {
  const radius = Number(asString(query.radius_km));
  return {
    ou: asString(query.ou),
    radius_km: Number.isFinite(radius) ? radius : undefined,
    services: asList(query.services), publics: asList(query.publics), prise_en_charge: asList(query.prise_en_charge),
    frais: asList(query.frais), modalites_accompagnement: asList(query.modalites_accompagnement), labels: asList(query.labels),
    open_now: ['true', '1', 'on'].includes(asString(query.open_now) ?? ''),
    jour: asString(query.jour), heure: asString(query.heure),
  };
}

/** The same search, as a link: every parameter kept except the ones replaced. */
function linkWith(query: Request['query'], changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key in changes) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string' && v !== '') params.append(key, v);
  }
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text ? `/?${text}` : '/';
}

export function searchPageRoutes(deps: SearchDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const fragment = req.get('X-Fragment') === 'results';
    res.vary('X-Fragment');
    const labels = await deps.labels.list();
    const labelNames = new Map(labels.map((l) => [l.slug, l.name]));
    const base = {
      pageTitle: undefined as string | undefined,
      nav: 'search',
      scripts: assetUrls(SEARCH_PAGE_ASSETS.scripts),
      stylesheets: assetUrls(SEARCH_PAGE_ASSETS.stylesheets),
      map: { tilesUrl: deps.mapTilesUrl, attribution: deps.mapTilesAttribution },
    };

    const renderErrors = (errors: FieldError[], state: FormState) => {
      const byField: Record<string, string> = {};
      for (const e of errors) {
        const key = e.field.split('.')[0];
        byField[key] ??= e.message;
      }
      res.status(400).render(fragment ? 'pages/search/results' : 'pages/search/index', {
        ...base,
        ...(fragment ? { layout: false } : {}),
        pageTitle: 'Erreur dans la recherche',
        form: formView(state, labels, RADIUS_CHOICES, DEFAULT_RADIUS_KM),
        errors: byField,
        errorList: errors.map((e) => ({ field: FIELD_IDS[e.field.split('.')[0]] ?? e.field.split('.')[0], message: e.message })),
      });
    };

    const parsed = searchPageQuerySchema.safeParse(req.query);
    if (!parsed.success) return renderErrors(toFieldErrors(parsed.error), rawFormState(req.query));
    const query: SearchPageQuery = parsed.data;

    let openAt: Date | undefined;
    if (query.jour && query.heure) {
      const at = placesQueryShape.open_at.safeParse(`${query.jour}T${query.heure}`);
      if (!at.success || !at.data) return renderErrors([{ field: 'jour', message: 'Cette date n’existe pas.' }], rawFormState(req.query));
      openAt = at.data;
    }

    const state: FormState = {
      ...query,
      bbox: query.bbox ? [query.bbox.minLon, query.bbox.minLat, query.bbox.maxLon, query.bbox.maxLat].join(',') : undefined,
      carte: typeof req.query.carte === 'string' ? req.query.carte : undefined,
    };
    const makeForm = (defaultRadius: number) => ({
      ...formView(state, labels, RADIUS_CHOICES, defaultRadius),
      clearUrl: linkWith(req.query, Object.fromEntries([...FILTER_KEYS, 'open_now', 'jour', 'heure', 'page'].map((key) => [key, undefined]))),
    });
    const hasFilters = FILTER_KEYS.some((key) => (query[key]?.length ?? 0) > 0) || query.open_now || openAt !== undefined;
    const searching = Boolean(query.ou || query.lat !== undefined || query.bbox || hasFilters);
    if (!searching) {
      return res.render('pages/search/index', { ...base, form: makeForm(DEFAULT_RADIUS_KM), home: true });
    }

    // Where: a point (geolocation, "search this area"), else what was typed, geocoded.
    let point: { lat: number; lon: number } | undefined;
    let where: string | undefined;
    let notFound = false;
    let alternatives: { label: string; url: string }[] = [];
    // A whole department ("13", "2A") is searched wider than a commune.
    let defaultRadius: number = DEFAULT_RADIUS_KM;
    if (query.lat !== undefined && query.lon !== undefined) {
      point = { lat: query.lat, lon: query.lon };
      where = query.ou || (query.bbox ? 'cette zone de la carte' : 'votre position');
    } else if (query.ou) {
      const found = await deps.geocoder.geocode(query.ou);
      if (found) {
        point = { lat: found.lat, lon: found.lon };
        where = found.label;
        if (found.kind === 'department') defaultRadius = DEPARTMENT_RADIUS_KM;
        alternatives = found.alternatives.slice(0, 5).map((a) => ({ label: a.label, url: linkWith(req.query, { ou: a.label, page: undefined }) }));
      } else {
        notFound = true;
      }
    }

    // An area of the map: the circle around its centre that holds the whole box (the box filters).
    const radius = query.bbox && point
      ? Math.ceil(Math.max(...[[query.bbox.minLat, query.bbox.minLon], [query.bbox.maxLat, query.bbox.maxLon], [query.bbox.minLat, query.bbox.maxLon], [query.bbox.maxLat, query.bbox.minLon]]
        .map(([lat, lon]) => haversineKm(point!, { lat, lon })))) + 1
      : (query.radius_km ?? defaultRadius);
    const search: PlacesSearch = {
      lat: point?.lat,
      lon: point?.lon,
      radius_km: point ? radius : undefined,
      bbox: query.bbox,
      q: notFound ? query.ou : undefined,
      services: query.services,
      publics: query.publics,
      prise_en_charge: query.prise_en_charge,
      frais: query.frais,
      modalites_accompagnement: query.modalites_accompagnement,
      labels: query.labels,
      open_now: query.open_now,
      open_at: openAt,
      cursor: query.page,
      limit: RESULTS_PER_PAGE,
    };
    let page;
    try {
      page = await deps.places.search(search);
    } catch (error) {
      if (error instanceof ValidationError) {
        return renderErrors(error.fieldErrors.map((e) => ({ ...e, field: e.field === 'cursor' ? 'page' : e.field })), state);
      }
      throw error;
    }
    const total = openAt || query.open_now ? null : await deps.places.count(search);
    const wall = parisWallTime(deps.clock.now());
    const today = `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
    const cards = page.items.map((item) => cardOf(item, labelNames, today));
    const mapData = {
      center: point ?? null,
      radiusKm: point && !query.bbox ? radius : null,
      bbox: query.bbox ?? null,
      view: query.carte ?? null,
      markers: cards.map(markerOf).filter(Boolean),
    };
    const widerRadius = point && !query.bbox && cards.length === 0 && radius < 100 ? linkWith(req.query, { radius_km: '100', page: undefined }) : null;
    const viewModel = {
      ...base,
      pageTitle: where ? `Lieux près de ${where}` : 'Résultats de la recherche',
      form: makeForm(defaultRadius),
      results: {
        cards,
        total,
        where,
        notFound,
        typed: query.ou,
        alternatives,
        radius: point && !query.bbox ? radius : null,
        byDistance: Boolean(point),
        openFilter: openAt ? `${query.jour} à ${query.heure}` : null,
        nextUrl: page.next_cursor ? linkWith(req.query, { page: page.next_cursor }) : null,
        firstUrl: query.page ? linkWith(req.query, { page: undefined }) : null,
        widerRadius,
        // Open-at searches are not counted: an empty list says so in words, with a way out.
        openEmpty: total === null && cards.length === 0 && !query.page,
        withoutOpenUrl: linkWith(req.query, { open_now: undefined, jour: undefined, heure: undefined, page: undefined }),
        mapData,
      },
    };
    if (fragment) return res.render('pages/search/results', { ...viewModel, layout: false });
    res.render('pages/search/index', viewModel);
  });

  return router;
}

