import { boundedCache } from '../shared/bounded-cache.js';
import type { PlaceIndex } from './index/place-index.js';
import type { PlacesPage } from './places.responses.js';

/** Pages of at most 25 summaries (~1 kB each) are remembered: 500 of them stay under ~15 MB. */
const MAX_PAGES = 500;
const MAX_REMEMBERED_ITEMS = 25;
/** A label renamed or retired changes no place row: after a minute a page is searched again anyway. */
const MAX_AGE_MS = 60_000;

/**
 * The pages of text searches, remembered while no place changes. A text search runs in PostgreSQL
 * (the trigram index plus the correction of misspelt words: most of the CPU a `q=` costs at 1M
 * places), and people type the same words again and again: "france services", "médiathèque", their
 * town.
 *
 * A page is kept under the version of this instance's index, read after the index has applied every
 * change committed before the request arrived (the same shared read of the change log as a nearest
 * search): a write through any instance, to a place or a label link, makes every page kept before it
 * unreachable, and they leave the LRU in turn. Whatever moves with the clock is left to the caller:
 * the Paris day is part of the key (labels shown until a date), searches "open at" a moment are never
 * kept, and each place's open state is computed again for every answer.
 */
export function createTextSearchPages(index: PlaceIndex) {
  const pages = boundedCache<PlacesPage>({ maxEntries: MAX_PAGES, maxAgeMs: MAX_AGE_MS });

  /** The page for `search` (its parameters, cursor included), from memory or from `run`. */
  return async function textSearchPage(
    search: { limit: number },
    parisDay: string,
    run: () => Promise<PlacesPage>,
  ): Promise<PlacesPage> {
    // Until the index has loaded, its version says nothing: straight to SQL, as before it existed.
    // Longer pages (up to 100, rarely asked) are not kept: the bound on memory counts pages.
    if (!index.ready || search.limit > MAX_REMEMBERED_ITEMS) return run();
    const ticket = index.freshnessTicket();
    await index.freshen(ticket);
    return pages(`${index.version}|${parisDay}|${JSON.stringify(search)}`, run);
  };
}
