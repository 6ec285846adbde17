import type { Geocoder } from '../geocoding/geocoder.js';
import { ValidationError, type FieldError } from '../http/errors.js';
import type { Label } from '../labels/labels.read.js';
import type { LabelsService } from '../labels/labels.service.js';
import { haversineKm } from '../places/geo.js';
import { DEFAULT_RADIUS_KM, placesQueryShape } from '../places/places.query.js';
import type { PlacesSearch, PlacesService } from '../places/places.service.js';
import type { Clock } from '../shared/clock.js';
import { parisToday, soonestParisMinute } from '../shared/paris-time.js';
import { FILTER_KEYS, RADIUS_CHOICES, type SearchPageQuery } from './search.query.js';
import { cardOf, markerOf } from '../places/place-cards.js';
import { formView, type FormState } from './search.view.js';
import { MESSAGES } from '../shared/messages.js';
import { boundedCache } from '../shared/bounded-cache.js';

const RESULTS_PER_PAGE = 20;
const DEPARTMENT_RADIUS_KM = 100;
/**
 * What a visitor types is geocoded once per this many distinct texts and this long: communes are
 * reference data (seeded), and the search page asked the database 1–2 times per view for the same
 * big cities' names.
 */
const GEOCODE_CACHE = { maxEntries: 2000, maxAgeMs: 60 * 60_000 };

/**
 * The query string as the visitor sent it (`req.query`'s plain data): links to the same search keep
 * every parameter as typed, and a wrong query is shown again as typed.
 */
export type TypedParams = Record<string, unknown>;

/** What the route parsed: the query, or why it could not be read. */
export type ParsedSearch = { ok: true; query: SearchPageQuery } | { ok: false; errors: FieldError[] };

/**
 * The search page's data, ready for the template: `home` (nothing asked yet), `invalid` (answered
 * with 400 and the form's messages) or `results`.
 */
export type SearchPageResult =
  | { kind: 'home'; view: Record<string, unknown> }
  | { kind: 'invalid'; view: Record<string, unknown> }
  | { kind: 'results'; view: Record<string, unknown>; nextChange: Date | null };

const FIELD_IDS: Record<string, string> = {
  lat: 'ou',
  lon: 'ou',
  bbox: 'ou',
  page: 'ou',
  carte: 'ou',
  open_now: 'open_now',
  services: 'services-groupe-1',
  publics: 'filtre-publics',
  prise_en_charge: 'filtre-prise-en-charge',
  frais: 'filtre-frais',
  modalites_accompagnement: 'filtre-modalites',
  labels: 'filtre-labels',
};

const asList = (value: unknown): string[] | undefined =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean);
const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);
/** What was typed in a text field, or undefined when it was left blank. */
const typedText = (text: string | undefined) => (text === '' ? undefined : text);

/** The query as typed, to show the form again when something in it is wrong. */
function typedFormState(typed: TypedParams): FormState {
  const radius = Number(asString(typed.radius_km));
  return {
    ou: asString(typed.ou),
    radius_km: Number.isFinite(radius) ? radius : undefined,
    services: asList(typed.services),
    publics: asList(typed.publics),
    prise_en_charge: asList(typed.prise_en_charge),
    frais: asList(typed.frais),
    modalites_accompagnement: asList(typed.modalites_accompagnement),
    labels: asList(typed.labels),
    open_now: ['true', '1', 'on'].includes(asString(typed.open_now) ?? ''),
    jour: asString(typed.jour),
    heure: asString(typed.heure),
  };
}

/** The same search, as a link: every parameter kept except the ones replaced. */
function linkWith(typed: TypedParams, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(typed)) {
    if (key in changes) continue;
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === 'string' && v !== '') params.append(key, v);
  }
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text ? `/?${text}` : '/';
}

/** The form again, with the first message of each field and a summary that links to the fields. */
function invalidSearch(errors: FieldError[], state: FormState, labels: Label[]): SearchPageResult {
  const byField: Record<string, string> = {};
  for (const e of errors) byField[e.field.split('.')[0]] ??= e.message;
  return {
    kind: 'invalid',
    view: {
      pageTitle: 'Erreur dans la recherche',
      form: formView(state, labels, RADIUS_CHOICES, DEFAULT_RADIUS_KM),
      errors: byField,
      errorList: errors.map((e) => ({
        field: FIELD_IDS[e.field.split('.')[0]] ?? e.field.split('.')[0],
        message: e.message,
      })),
    },
  };
}

interface Where {
  point?: { lat: number; lon: number };
  /** In words, for the title: the commune found, "votre position"… */
  label?: string;
  /** What was typed matched no commune: the words search the places' names instead. */
  notFound: boolean;
  alternatives: { label: string; url: string }[];
  /** A whole department ("13", "2A") is searched wider than a commune. */
  defaultRadius: number;
}

/** The search page: reads a parsed query, geocodes what was typed, searches the places, builds the view. */
export interface SearchServiceDeps {
  places: Pick<PlacesService, 'search' | 'count' | 'pageKey'>;
  labels: Pick<LabelsService, 'list'>;
  geocoder: Geocoder;
  clock: Clock;
}

export function createSearchService(deps: SearchServiceDeps) {
  const geocoded = boundedCache<Awaited<ReturnType<Geocoder['geocode']>>>(GEOCODE_CACHE);

  /**
   * Where to search: a point (geolocation, "search this area"), else the centre of a map area sent
   * alone (so the in-memory index answers nearest the centre, as the map's own requests do, instead of
   * SQL sorting every place of a country-wide box), else what was typed, geocoded.
   */
  async function locate(query: SearchPageQuery, typed: TypedParams): Promise<Where> {
    const box = query.bbox;
    const point =
      query.lat !== undefined && query.lon !== undefined
        ? { lat: query.lat, lon: query.lon }
        : box && !query.ou
          ? { lat: (box.minLat + box.maxLat) / 2, lon: (box.minLon + box.maxLon) / 2 }
          : undefined;
    if (point) {
      const label = typedText(query.ou) ?? (box ? 'cette zone de la carte' : 'votre position');
      return { point, label, notFound: false, alternatives: [], defaultRadius: DEFAULT_RADIUS_KM };
    }
    if (!query.ou) return { notFound: false, alternatives: [], defaultRadius: DEFAULT_RADIUS_KM };
    const text = query.ou;
    const found = await geocoded(text, () => deps.geocoder.geocode(text));
    if (!found) return { notFound: true, alternatives: [], defaultRadius: DEFAULT_RADIUS_KM };
    return {
      point: { lat: found.lat, lon: found.lon },
      label: found.label,
      notFound: false,
      alternatives: found.alternatives
        .slice(0, 5)
        .map((a) => ({ label: a.label, url: linkWith(typed, { ou: a.label, page: undefined }) })),
      defaultRadius: found.kind === 'department' ? DEPARTMENT_RADIUS_KM : DEFAULT_RADIUS_KM,
    };
  }

  async function searchPage(parsed: ParsedSearch, typed: TypedParams): Promise<SearchPageResult> {
    const labels = await deps.labels.list();
    if (!parsed.ok) return invalidSearch(parsed.errors, typedFormState(typed), labels);
    const { query } = parsed;

    let openAt: Date | undefined;
    if (query.jour && query.heure) {
      const at = placesQueryShape.open_at.safeParse(`${query.jour}T${query.heure}`);
      if (!at.success || !at.data)
        return invalidSearch([{ field: 'jour', message: MESSAGES.dateDoesNotExist }], typedFormState(typed), labels);
      openAt = at.data;
    }

    const state: FormState = {
      ...query,
      bbox: query.bbox
        ? [query.bbox.minLon, query.bbox.minLat, query.bbox.maxLon, query.bbox.maxLat].join(',')
        : undefined,
      carte: asString(typed.carte),
    };
    const makeForm = (defaultRadius: number) => ({
      ...formView(state, labels, RADIUS_CHOICES, defaultRadius),
      clearUrl: linkWith(
        typed,
        Object.fromEntries([...FILTER_KEYS, 'open_now', 'jour', 'heure', 'page'].map((key) => [key, undefined])),
      ),
    });
    const hasFilters =
      FILTER_KEYS.some((key) => (query[key]?.length ?? 0) > 0) || query.open_now === true || openAt !== undefined;
    const searching =
      typedText(query.ou) !== undefined || query.lat !== undefined || query.bbox !== undefined || hasFilters;
    if (!searching) return { kind: 'home', view: { form: makeForm(DEFAULT_RADIUS_KM), home: true } };

    const where = await locate(query, typed);
    const { point } = where;
    // An area of the map: the circle around its centre that holds the whole box (the box filters).
    const radius =
      query.bbox && point
        ? Math.ceil(
            Math.max(
              ...[
                [query.bbox.minLat, query.bbox.minLon],
                [query.bbox.maxLat, query.bbox.maxLon],
                [query.bbox.minLat, query.bbox.maxLon],
                [query.bbox.maxLat, query.bbox.minLon],
              ].map(([lat, lon]) => haversineKm(point, { lat, lon })),
            ),
          ) + 1
        : (query.radius_km ?? where.defaultRadius);
    const search: PlacesSearch = {
      lat: point?.lat,
      lon: point?.lon,
      radius_km: point ? radius : undefined,
      bbox: query.bbox,
      q: where.notFound ? query.ou : undefined,
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
        return invalidSearch(
          error.fieldErrors.map((e) => ({ ...e, field: e.field === 'cursor' ? 'page' : e.field })),
          state,
          labels,
        );
      }
      throw error;
    }
    // Open-at searches are not counted, nor text searches (count is then null): an empty list says so
    // in words, with a way out.
    const count = openAt || query.open_now ? null : await deps.places.count(search);
    const total = count?.total ?? null;
    const labelNames = new Map(labels.map((l) => [l.slug, l.name]));
    const today = parisToday(deps.clock.now());
    const cards = page.items.map((item) => cardOf(item, labelNames, today));
    const circle = point && !query.bbox ? radius : null;
    return {
      kind: 'results',
      nextChange: soonestParisMinute(page.items.map((item) => item.next_change)),
      view: {
        pageTitle: where.label ? `Lieux près de ${where.label}` : 'Résultats de la recherche',
        form: makeForm(where.defaultRadius),
        results: {
          cards,
          total,
          totalIsLowerBound: count?.isLowerBound ?? false,
          where: where.label,
          notFound: where.notFound,
          typed: query.ou,
          alternatives: where.alternatives,
          radius: circle,
          byDistance: Boolean(point),
          openFilter: openAt ? `${query.jour ?? ''} à ${query.heure ?? ''}` : null,
          nextUrl: page.next_cursor ? linkWith(typed, { page: page.next_cursor }) : null,
          firstUrl: query.page ? linkWith(typed, { page: undefined }) : null,
          widerRadius:
            circle !== null && cards.length === 0 && radius < 100
              ? linkWith(typed, { radius_km: '100', page: undefined })
              : null,
          openEmpty: (openAt !== undefined || query.open_now === true) && cards.length === 0 && !query.page,
          withoutOpenUrl: linkWith(typed, { open_now: undefined, jour: undefined, heure: undefined, page: undefined }),
          mapData: {
            center: point ?? null,
            radiusKm: circle,
            bbox: query.bbox ?? null,
            view: query.carte ?? null,
            markers: cards.map(markerOf).filter(Boolean),
          },
        },
      },
    };
  }

  // What a search page shown to anyone is filed under in memory (search.routes.ts): the places'.
  return { searchPage, pageKey: deps.places.pageKey };
}

export type SearchService = ReturnType<typeof createSearchService>;
