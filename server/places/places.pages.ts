import { Router, type Response } from 'express';
import { assetUrls } from '../shared/asset-url.js';
import { z } from 'zod';
import { NotFoundError, type FieldError } from '../http/errors.js';
import { renderToString } from '../http/render-to-string.js';
import { fromParisWallTime } from '../shared/paris-time.js';
import { placePath } from './places.mapping.js';
import type { PlacesService } from './places.service.js';
import type { Clock } from '../shared/clock.js';
import { MESSAGES } from '../shared/messages.js';
import type { CurrentUser } from '../accounts/accounts.types.js';
import { createPageMemory } from '../shared/page-memory.js';
import { placeView } from './place-page-view.js';

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
  /**
   * Who last updated the place and how to manage or claim it (the place-stewardship partial), given
   * by the editing feature (server/app.ts).
   */
  stewardship?: (visitor: CurrentUser | undefined, placeId: number) => Promise<object>;
}

export const PLACE_PAGE_ASSETS = { scripts: ['/static/build/place.js'], stylesheets: ['/static/build/place.css'] };

const placeRefSchema = z.object({
  ref: z.string().regex(/^\d{1,15}(-[a-z0-9-]*)?$/, 'Adresse de lieu attendue : /lieux/123-nom-du-lieu.'),
});

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
  const { html } = await placePageHtml(deps, res, id, report, loaded);
  res.status(status).type('html').send(html);
}

/**
 * The page's HTML. `tokenMark`: printed instead of the visitor's form token, for a page kept for
 * every visitor (place-page-memory.ts). Also the place's next change of open state.
 */
async function placePageHtml(
  deps: PlacePageDeps,
  res: Response,
  id: number,
  report: ReportFormView,
  loaded?: PublishedPlace,
  tokenMark?: string,
): Promise<{ html: string; nextChange: Date | null; path: string }> {
  const { place, labels, state } = loaded ?? (await deps.places.getPublished(id));
  const now = deps.clock.now();
  const view = placeView(place, labels, state, now);
  const [relatedArticles, placeStewardship] = await Promise.all([
    deps.articles ? deps.articles.articlesForPlace(place.id) : [],
    deps.stewardship?.(res.locals.currentUser, place.id),
  ]);
  const locals = {
    ...(tokenMark ? { csrfToken: tokenMark } : {}),
    placeStewardship,
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
  };
  const html = await renderToString(res, 'pages/places/show', locals);
  const nextChange = state.nextChange ? fromParisWallTime(state.nextChange) : null;
  return { html, nextChange, path: view.path };
}

export function placePagesRoutes(deps: PlacePageDeps): Router {
  const router = Router();
  const memory = createPageMemory();

  router.get('/lieux/:ref', async (req, res) => {
    // A malformed address is a page that does not exist (404), not a bad request: people type URLs.
    const parsed = placeRefSchema.safeParse(req.params);
    if (!parsed.success) throw new NotFoundError(MESSAGES.placeNotPublished);
    const id = Number(parsed.data.ref.split('-')[0]);
    if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError(MESSAGES.placeNotPublished);
    const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const sent = req.query.signalement === 'merci';
    // What a signed-in person sees is theirs (their menu, "Modifier la fiche"); the thanks after a
    // report are for one visitor. Everyone else gets the page kept in memory, if it still holds.
    const shared = !res.locals.currentUser && !sent;
    const key = shared ? await deps.places.pageKey() : undefined;
    const renderedAt = deps.clock.now().getTime();
    const kept = key ? memory.find(String(id), key, renderedAt) : undefined;
    if (kept) {
      if (req.path !== kept.path) return res.redirect(301, `${kept.path}${search}`);
      return res.type('html').send(memory.body(kept, String(res.locals.csrfToken)));
    }

    // A duplicate merged into another place: its old address (id or slug) leads to the kept one, for good.
    const found = await deps.places.forPage(id);
    if (found.kind === 'merged') return res.redirect(301, `${placePath(found.kept)}${search}`);
    const canonical = placePath(found.place);
    if (req.path !== canonical) return res.redirect(301, `${canonical}${search}`);
    if (!key) return renderPlacePage(deps, res, id, { sent }, 200, found);
    const page = await placePageHtml(deps, res, id, {}, found, memory.tokenMark);
    memory.keep(String(id), {
      key,
      path: page.path,
      text: page.html,
      renderedAt,
      validUntil: page.nextChange?.getTime(),
    });
    res.type('html').send(memory.withToken(page.html, String(res.locals.csrfToken)));
  });

  return router;
}
