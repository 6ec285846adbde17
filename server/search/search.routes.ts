import { Router } from 'express';
import { toFieldErrors } from '../http/validation.js';
import { assetUrls } from '../shared/asset-url.js';
import { searchPageQuerySchema } from './search.query.js';
import type { ParsedSearch, SearchService } from './search.service.js';

/** What the search page loads besides site.css (the page-weight bench reads this list). */
export const SEARCH_PAGE_ASSETS = { scripts: ['/static/build/search.js'], stylesheets: ['/static/build/search.css'] };

export interface SearchDeps {
  search: SearchService;
  mapTilesUrl: string;
  mapTilesAttribution: string;
}

/**
 * The home page is the search. With `X-Fragment: results` (the script's requests) only the results
 * part is sent, to replace the list in place; a page without a search is always whole.
 */
export function searchPageRoutes(deps: SearchDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    res.vary('X-Fragment');
    const parsed = searchPageQuerySchema.safeParse(req.query);
    const request: ParsedSearch = parsed.success
      ? { ok: true, query: parsed.data }
      : { ok: false, errors: toFieldErrors(parsed.error) };
    const result = await deps.search.searchPage(request, req.query);

    const fragment = req.get('X-Fragment') === 'results' && result.kind !== 'home';
    res.status(result.kind === 'invalid' ? 400 : 200).render(fragment ? 'pages/search/results' : 'pages/search/index', {
      pageTitle: undefined,
      nav: 'search',
      scripts: assetUrls(SEARCH_PAGE_ASSETS.scripts),
      stylesheets: assetUrls(SEARCH_PAGE_ASSETS.stylesheets),
      map: { tilesUrl: deps.mapTilesUrl, attribution: deps.mapTilesAttribution },
      ...result.view,
      ...(fragment ? { layout: false } : {}),
    });
  });

  return router;
}
