import { Router } from 'express';
import { renderToString } from '../http/render-to-string.js';
import { sendKept } from '../shared/send-kept.js';
import { toFieldErrors } from '../http/validation.js';
import { assetUrls } from '../shared/asset-url.js';
import type { Clock } from '../shared/clock.js';
import { createPageMemory } from '../shared/page-memory.js';
import { searchPageQuerySchema } from './search.query.js';
import type { ParsedSearch, SearchService } from './search.service.js';

/** What the search page loads besides site.css (the page-weight bench reads this list). */
export const SEARCH_PAGE_ASSETS = { scripts: ['/static/build/search.js'], stylesheets: ['/static/build/search.css'] };

const KNOWN_PARAMETERS = new Set(Object.keys(searchPageQuerySchema.shape));
const MAX_KEPT_ADDRESS = 1000;

/**
 * Pages are kept by address: only addresses the form or the map makes (known parameters, a sane
 * length), not any made-up query string, which would push the useful pages out of the memory.
 */
const keepable = (address: string, query: object) =>
  address.length <= MAX_KEPT_ADDRESS && Object.keys(query).every((key) => KNOWN_PARAMETERS.has(key));

export interface SearchDeps {
  search: SearchService;
  clock: Clock;
  mapTilesUrl: string;
  mapTilesAttribution: string;
}

/**
 * The home page is the search. With `X-Fragment: results` (the script's requests) only the results
 * part is sent, to replace the list in place; a page without a search is always whole. Pages shown
 * to visitors who are not signed in are kept in memory (server/shared/page-memory.ts) under the
 * in-memory index's version: asked again, no query and no template until a place or label changes.
 */
export function searchPageRoutes(deps: SearchDeps): Router {
  const router = Router();
  const memory = createPageMemory();

  router.get('/', async (req, res) => {
    res.vary('X-Fragment');
    const parsed = searchPageQuerySchema.safeParse(req.query);
    const request: ParsedSearch = parsed.success
      ? { ok: true, query: parsed.data }
      : { ok: false, errors: toFieldErrors(parsed.error) };
    const asksFragment = req.get('X-Fragment') === 'results';
    // Kept for everyone but the signed-in (their menu) and searches by opening time: a place not on
    // the page may open in a minute and belong on it.
    const shared =
      !res.locals.currentUser &&
      parsed.success &&
      !parsed.data.open_now &&
      !parsed.data.jour &&
      !parsed.data.heure &&
      keepable(req.originalUrl, req.query);
    const key = shared ? await deps.search.pageKey() : undefined;
    const address = `${asksFragment ? 'results' : 'page'} ${req.originalUrl}`;
    const now = deps.clock.now().getTime();
    const kept = key ? memory.find(address, key, now) : undefined;
    if (kept) return sendKept(req, res, 'html', memory.answer(kept, ''));

    const result = await deps.search.searchPage(request, req.query);
    const fragment = asksFragment && result.kind !== 'home';
    const status = result.kind === 'invalid' ? 400 : 200;
    const html = await renderToString(res, fragment ? 'pages/search/results' : 'pages/search/index', {
      pageTitle: undefined,
      nav: 'search',
      scripts: assetUrls(SEARCH_PAGE_ASSETS.scripts),
      stylesheets: assetUrls(SEARCH_PAGE_ASSETS.stylesheets),
      map: { tilesUrl: deps.mapTilesUrl, attribution: deps.mapTilesAttribution },
      ...result.view,
      ...(fragment ? { layout: false } : {}),
    });
    if (key && status === 200) {
      const validUntil = result.kind === 'results' ? result.nextChange?.getTime() : undefined;
      memory.keep(address, { key, path: req.path, text: html, renderedAt: now, validUntil });
    }
    res.status(status).type('html').send(html);
  });

  return router;
}
