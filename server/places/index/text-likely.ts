import { forEachCandidate, type IndexedTexts } from './text-candidates.js';
import type { QueryOverTexts } from './text-query.js';

/** Answers kept at most, whatever their size. */
const ANSWERS_KEPT = 200;
/** Ids kept, all texts together (8 bytes each: 16 MB at most). */
const IDS_KEPT = 2_000_000;

/**
 * The places that may match a text, for a search around a point with a common text: the nearest of
 * them are tested, not every place of the radius (text-walks.ts). They are those sharing enough of
 * the query's trigrams (every match is among them, and most of them match): `built`, those among the
 * places not written since the postings were built, by id, kept until the next build (a write does
 * not undo them, as each place is tested against its words of the moment); `since`, the places
 * written since (a few thousand at most), found again at each call.
 */
export class LikelyMatches {
  private readonly kept = new Map<string, Float64Array | null>();
  private keptIds = 0;
  private keptBuild = -1;

  constructor(
    private readonly texts: IndexedTexts,
    private readonly query: QueryOverTexts,
    private readonly scratch: { marks: Uint8Array },
    private readonly budget: { postingsAtMost: number; readAtMost: number },
  ) {}

  /**
   * Null when more than `atMost` places are likely, or when its postings or candidates are too many to
   * read (`budget`); undefined before the first build.
   */
  of(words: string[], atMost: number): { built: Float64Array; since: number[] } | null | undefined {
    const key = `${atMost}|${words.join(' ')}`;
    if (this.keptBuild !== this.texts.builds || this.kept.size >= ANSWERS_KEPT || this.keptIds > IDS_KEPT) {
      this.kept.clear();
      this.keptIds = 0;
      this.keptBuild = this.texts.builds;
    }
    let built = this.kept.get(key);
    if (built === undefined) {
      const found = this.amongBuilt(words, atMost);
      if (found === undefined) return undefined;
      this.kept.set(key, found);
      this.keptIds += found?.length ?? 0;
      built = found;
    }
    if (built === null) return null;
    return { built, since: this.amongWrittenSince(words, built) };
  }

  /**
   * The candidates of the postings (text-candidates.ts) sharing enough trigrams, close enough together
   * (QueryOverTexts.mayMatch), no similarity computed.
   */
  private amongBuilt(words: string[], atMost: number): Float64Array | null | undefined {
    const { texts, query } = this;
    if (!texts.built) return undefined;
    query.set(words);
    try {
      if (query.codes.length === 0) return new Float64Array(0);
      // Too many postings or candidates to read: as too many likely (the tree walk is tried, then SQL).
      const lists = query.rarestLists(this.budget.postingsAtMost);
      if (!lists) return null;
      const found: number[] = [];
      const walked = { read: 0, over: false };
      const { readAtMost } = this.budget;
      const hits = { minHits: lists.minHits, hitsNeeded: () => 0 };
      forEachCandidate(texts, this.scratch, lists.codes, hits, (doc) => {
        if (!texts.isApart[doc] && texts.alive[doc]) {
          const start = texts.tokenStart[doc];
          if (query.mayMatch(start, start + texts.tokenCount[doc])) {
            if (found.length === atMost) walked.over = true;
            else found.push(texts.docIds[doc]);
          }
        }
        return walked.over || ++walked.read > readAtMost;
      });
      if (walked.read > readAtMost) return null;
      return walked.over ? null : Float64Array.from(found);
    } finally {
      query.release();
    }
  }

  /** The places written since the build that share enough of the query's trigrams, but those in `built`. */
  private amongWrittenSince(words: string[], built: Float64Array): number[] {
    const { texts, query } = this;
    const since: number[] = [];
    if (texts.apart.size === 0) return since;
    query.set(words);
    try {
      for (const doc of texts.apart) {
        if (!texts.alive[doc]) continue;
        const start = texts.tokenStart[doc];
        if (!query.mayMatch(start, start + texts.tokenCount[doc])) continue;
        // Set apart after `built` was kept: in it already.
        const id = texts.docIds[doc];
        if (!sortedHas(built, id)) since.push(id);
      }
    } finally {
      query.release();
    }
    return since;
  }
}

/** Whether this list of ids, in increasing order, holds `id`: by bisection. */
function sortedHas(ids: Float64Array, id: number): boolean {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle] < id) low = middle + 1;
    else high = middle;
  }
  return low < ids.length && ids[low] === id;
}
