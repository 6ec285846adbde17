import { boundedCache } from '../shared/bounded-cache.js';
import type { PlaceIndex } from './index/place-index.js';
import type { PlacesPage } from './places.responses.js';

/** A count of matching places; past the service's cap, `total` is the cap and `isLowerBound` is true. */
export interface PlaceCount {
  total: number;
  isLowerBound: boolean;
}

/** Pages of at most 25 summaries (~1 kB each) are remembered: 500 of them stay under ~15 MB. */
const MAX_PAGES = 500;
const MAX_REMEMBERED_ITEMS = 25;
/** A count is two numbers: many more of them. */
const MAX_COUNTS = 5000;
/** A label renamed or retired changes no place row: after a minute a page is searched again anyway. */
const MAX_AGE_MS = 60_000;

/**
 * The answers of the searches PostgreSQL runs (the in-memory index answers those around a point),
 * remembered while no place changes:
 * - text searches: the trigram index plus the correction of misspelt words are most of the CPU a
 *   `q=` costs at 1M places, and people type the same words again and again ("france services",
 *   "médiathèque", their town);
 * - lists in name order, by box, commune, postal code or label, and their counts: the map's box
 *   over France walks the name order of a million rows, and every client of the API asks it alike.
 *
 * An answer is kept under the version of this instance's index, read after the index has applied
 * every change committed before the request arrived (the same shared read of the change log as a
 * nearest search): a write through any instance, to a place, a label link or a label, makes every
 * answer kept before it unreachable, and they leave the LRU in turn. Whatever moves with the clock
 * is left to the caller: the Paris day is part of the key (labels shown until a date), searches
 * "open at" a moment are never kept, and each place's open state is computed again for every answer.
 */
export function createSqlSearchAnswers(index: PlaceIndex) {
  const pages = boundedCache<PlacesPage>({ maxEntries: MAX_PAGES, maxAgeMs: MAX_AGE_MS });
  const counts = boundedCache<PlaceCount>({ maxEntries: MAX_COUNTS, maxAgeMs: MAX_AGE_MS });

  /** The key of `search` once the index is fresh; undefined until the index has loaded (its version says nothing). */
  async function keyOf(search: object, parisDay: string): Promise<string | undefined> {
    if (!index.ready) return undefined;
    await index.freshen(index.freshnessTicket());
    return `${index.version}|${parisDay}|${JSON.stringify(search)}`;
  }

  return {
    /** The page for `search` (its parameters, cursor included), from memory or from `run`. */
    async page(search: { limit: number }, parisDay: string, run: () => Promise<PlacesPage>): Promise<PlacesPage> {
      // Longer pages (up to 100, rarely asked) are not kept: the bound on memory counts pages.
      const key = search.limit > MAX_REMEMBERED_ITEMS ? undefined : await keyOf(search, parisDay);
      return key === undefined ? run() : pages(key, run);
    },

    /** The count for `search` (the cursor and the page's length aside), from memory or from `run`. */
    async count(search: object, parisDay: string, run: () => Promise<PlaceCount>): Promise<PlaceCount> {
      const key = await keyOf(search, parisDay);
      return key === undefined ? run() : counts(key, run);
    },
  };
}
