import { Router, type Response } from 'express';
import { assetUrls } from '../shared/asset-url.js';
import { z } from 'zod';
import { NotFoundError, type FieldError } from '../http/errors.js';
import { openStateText } from '../shared/open-state.js';
import {
  dayMonth,
  fromParisWallTime,
  hourMinute,
  isoDay,
  isoMinute,
  parisToday,
  parisWallTime,
  type WallTime,
} from '../shared/paris-time.js';
import { openIntervals } from '../shared/opening-hours.js';
import { placePath } from './places.mapping.js';
import type { PlacesService } from './places.service.js';
import type { Clock } from '../shared/clock.js';
import type { Place, PlaceLabelLink } from './places.types.js';
import { MESSAGES } from '../shared/messages.js';

interface ArticleLink {
  title: string;
  url: string;
}

/** Optional: the blog's links to articles that mention a place or a label (wired in app.ts). */
interface RelatedArticlesSource {
  articlesForPlace(id: number): Promise<ArticleLink[]>;
  articlesForLabel(slug: string): Promise<ArticleLink[]>;
}

export interface PlacePageDeps {
  places: PlacesService;
  clock: Clock;
  articles?: RelatedArticlesSource;
  mapTilesUrl: string;
  mapTilesAttribution: string;
  /** For the canonical link (absolute); optional. */
  publicBaseUrl?: string;
  /**
   * The "Signaler une erreur" form's choices, given by the reports feature (server/app.ts), so that
   * places does not import reports, which renders this page again with its form's errors.
   */
  reportCategories: readonly { value: string; label: string }[];
}

/**
 * Only http(s) addresses become links: imported data may hold anything, and a `javascript:` URL in
 * site_web, prise_rdv or fiche_acces_libre would run on click (issue 11, stored XSS).
 */
const isWebAddress = (url: string | null | undefined): url is string =>
  typeof url === 'string' && /^https?:\/\//i.test(url.trim());

export const PLACE_PAGE_ASSETS = { scripts: ['/static/build/place.js'], stylesheets: ['/static/build/place.css'] };

const placeRefSchema = z.object({
  ref: z.string().regex(/^\d{1,15}(-[a-z0-9-]*)?$/, 'Adresse de lieu attendue : /lieux/123-nom-du-lieu.'),
});

const DAY_LABELS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];

/**
 * The opening hours of the next 7 days (Paris time), today first and marked: the days a visitor can
 * still go, so "ouvre lundi à 09:00" is always about a day in the table. Null when unknown.
 */
export function weekTable(horaires: string | null, now: Date) {
  if (!horaires) return null;
  const today = parisWallTime(now);
  const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
  const dayAt = (offset: number) => {
    const d = new Date(todayUtc + offset * 86_400_000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: (d.getUTCDay() + 6) % 7,
    }; // Monday = 0
  };
  const days = Array.from({ length: 7 }, (_, i) => dayAt(i));
  const from = fromParisWallTime({ ...days[0], hour: 0, minute: 0, second: 0 });
  const to = fromParisWallTime({ ...dayAt(7), hour: 0, minute: 0, second: 0 });
  const intervals = openIntervals(horaires, from, to);
  if (!intervals) return null;
  return days.map((day, i) => {
    const key = isoDay(day);
    const slots = intervals
      .filter((interval) => isoDay(interval.from) === key)
      .map(
        (interval) =>
          `${hourMinute(interval.from)} – ${isoDay(interval.to) === key ? hourMinute(interval.to) : '24:00'}`,
      );
    return {
      name: DAY_LABELS[day.weekday],
      date: dayMonth(day),
      today: i === 0,
      hours: slots.length ? slots.join(', ') : 'Fermé',
      closed: slots.length === 0,
    };
  });
}

/** "+33479885936" → "04 79 88 59 36" (metropolitan numbers read the French way). */
export function phoneDisplay(phone: string): string {
  const match = /^\+33(\d{9})$/.exec(phone);
  if (!match) return phone;
  return `0${match[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ');
}

const YEAR_MS = 365 * 86_400_000;

/** Everything the place page shows, ready for the template. */
export function placeView(
  place: Place,
  labels: PlaceLabelLink[],
  state: { open: boolean | null; nextChange: WallTime | null },
  now: Date,
) {
  const today = parisToday(now);
  const next = state.nextChange ? isoMinute(state.nextChange) : null;
  // A position that is only the commune's centre is no place to be guided to: the address search is.
  const approximate = place.locationPrecision === 'commune';
  const point =
    place.latitude !== null && place.longitude !== null && !approximate
      ? { lat: place.latitude, lon: place.longitude }
      : null;
  const addressLine = [place.adresse, place.complementAdresse, `${place.codePostal} ${place.commune}`]
    .filter(Boolean)
    .join(', ');
  const checkedOn = place.verifiedAt ?? new Date(`${place.dateMaj}T12:00:00Z`);
  return {
    id: place.id,
    nom: place.nom,
    path: placePath(place),
    adresse: place.adresse,
    complementAdresse: place.complementAdresse,
    codePostal: place.codePostal,
    commune: place.commune,
    addressLine,
    lat: place.latitude,
    lon: place.longitude,
    approximate,
    directions: point
      ? `https://www.openstreetmap.org/directions?route=%3B${point.lat}%2C${point.lon}`
      : `https://www.openstreetmap.org/search?query=${encodeURIComponent(addressLine)}`,
    geoLink: point
      ? `geo:${point.lat},${point.lon}?q=${point.lat},${point.lon}(${encodeURIComponent(place.nom)})`
      : null,
    telephone: place.telephone ? { href: `tel:${place.telephone}`, text: phoneDisplay(place.telephone) } : null,
    courriels: place.courriels,
    sites: place.siteWeb
      .filter(isWebAddress)
      .map((url) => ({ url, text: url.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '') })),
    priseRdv: isWebAddress(place.priseRdv) ? place.priseRdv : null,
    ficheAccesLibre: isWebAddress(place.ficheAccesLibre) ? place.ficheAccesLibre : null,
    open: openStateText(state.open, next, today),
    week: weekTable(place.horaires, now),
    horaires: place.horaires,
    services: place.services,
    publics: place.publicsSpecifiquementAdresses,
    priseEnCharge: place.priseEnChargeSpecifique,
    modalitesAcces: place.modalitesAcces,
    modalitesAccompagnement: place.modalitesAccompagnement,
    frais: place.fraisACharge,
    itinerant: place.itinerance.includes('Itinérant'),
    labels: labels.map((l) => ({ slug: l.slug, name: l.name })),
    autresLabels: place.autresFormationsLabels,
    structureParente: place.structureParente,
    resume: place.presentationResume,
    detail: place.presentationDetail,
    dateMaj: place.dateMaj,
    verifiedAt: place.verifiedAt,
    stale: now.getTime() - checkedOn.getTime() > YEAR_MS,
  };
}

export interface ReportFormView {
  values?: { category?: string; message?: string; email?: string };
  errors?: Record<string, string>;
  errorList?: FieldError[];
  sent?: boolean;
}

type PublishedPlace = Awaited<ReturnType<PlacesService['getPublished']>>;

/**
 * Renders a place page; the report routes call it again to show the form with its errors. `loaded`:
 * the place as the route already read it (each query is a round trip the page would pay twice).
 */
export async function renderPlacePage(
  deps: PlacePageDeps,
  res: Response,
  id: number,
  report: ReportFormView = {},
  status = 200,
  loaded?: PublishedPlace,
) {
  const { place, labels, state } = loaded ?? (await deps.places.getPublished(id));
  const now = deps.clock.now();
  const view = placeView(place, labels, state, now);
  const relatedArticles = deps.articles ? await deps.articles.articlesForPlace(place.id) : [];
  res.status(status).render('pages/places/show', {
    pageTitle: `${report.errors ? 'Erreur dans le signalement — ' : ''}${place.nom}, ${place.commune}`,
    metaDescription:
      place.presentationResume ??
      `${place.nom} : lieu d’aide au numérique à ${place.commune}. Horaires, services, contacts.`,
    nav: 'search',
    canonicalUrl: deps.publicBaseUrl ? new URL(view.path, deps.publicBaseUrl).toString() : undefined,
    ogTitle: place.nom,
    scripts: assetUrls(PLACE_PAGE_ASSETS.scripts),
    stylesheets: assetUrls(PLACE_PAGE_ASSETS.stylesheets),
    map: { tilesUrl: deps.mapTilesUrl, attribution: deps.mapTilesAttribution },
    place: view,
    mapData:
      view.lat !== null
        ? {
            markers: [
              {
                id: view.id,
                nom: view.nom,
                url: view.path,
                lat: view.lat,
                lon: view.lon,
                open: view.open.text,
                ...(view.approximate ? { approximate: true } : {}),
              },
            ],
          }
        : null,
    relatedArticles,
    report: {
      ...report,
      values: report.values ?? {},
      errors: report.errors ?? {},
      errorList: report.errorList?.map((e) => ({ field: `signalement-${e.field}`, message: e.message })) ?? [],
      categories: deps.reportCategories.map(({ value, label }) => ({
        value,
        label,
        checked: report.values?.category === value,
      })),
      // Back on the form's own section after an error (client/place.ts then focuses the error summary).
      action: `/lieux/${place.id}/signalement#signaler`,
    },
  });
}

export function placePagesRoutes(deps: PlacePageDeps): Router {
  const router = Router();

  router.get('/lieux/:ref', async (req, res) => {
    // A malformed address is a page that does not exist (404), not a bad request: people type URLs.
    const parsed = placeRefSchema.safeParse(req.params);
    if (!parsed.success) throw new NotFoundError(MESSAGES.placeNotPublished);
    const id = Number(parsed.data.ref.split('-')[0]);
    if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError(MESSAGES.placeNotPublished);
    const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    // A duplicate merged into another place: its old address (id or slug) leads to the kept one, for good.
    const found = await deps.places.forPage(id);
    if (found.kind === 'merged') return res.redirect(301, `${placePath(found.kept)}${search}`);
    const canonical = placePath(found.place);
    if (req.path !== canonical) return res.redirect(301, `${canonical}${search}`);
    await renderPlacePage(deps, res, id, { sent: req.query.signalement === 'merci' }, 200, found);
  });

  return router;
}
