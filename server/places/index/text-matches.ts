import { forEachCandidate, type IndexedTexts } from './text-candidates.js';
import { LikelyMatches } from './text-likely.js';
import { QueryOverTexts, THRESHOLD } from './text-query.js';

export type { IndexedTexts } from './text-candidates.js';

/**
 * Postings a text may read (~5 ms a million): 99.9 % of 2,000 towns' names read under 1.2 million at
 * 1M places; a text of many common words read 2.6 million (29 ms).
 */
const POSTINGS_AT_MOST = 2_000_000;
/**
 * Work a text may do, in candidates read (~80 ns each, a similarity counting SIMILARITY_WORK): about
 * 20 ms. Past it the walk stops and PostgreSQL answers, a few at once: short common words ("ru de l")
 * make nearly every place a candidate, and a few towns' names most of a million (Saint-Samson-de-la-
 * Roque: 90 ms).
 */
const WORK_AT_MOST = 250_000;
const SIMILARITY_WORK = 20;
/** Answers of `ids` kept at most (each at most TEXT_MATCHES_READ ids, or null for a common text). */
const IDS_KEPT = 200;
/**
 * Counts made by searches, kept for the count asked after each page. Other searches run while a
 * page's rows are read (50 at once under load): one kept count would be another text's by then.
 */
const COUNTS_KEPT = 256;
/** Candidates `candidates` may read, as a multiple of WORK_AT_MOST (each a few trigrams' test, ~20 ns). */
const CANDIDATE_READS = 4;

/** A page of a text search: `limit` matches after `after`; `countUpTo`, see TextMatcher.search. */
export interface TextPage {
  limit: number;
  after?: { key: number; id: number };
  countUpTo?: number;
}

export interface TextHit {
  id: number;
  /** 1 − word similarity, as float4: the SQL sort key `search_text <->> query`. */
  key: number;
}

/**
 * Text search over the places' words (IndexedTexts): a place matches a query exactly as in SQL
 * (`search_text %> query`: word similarity ≥ 0.6) and is ordered as there (`search_text <->> query`,
 * then id); only the candidates come from the postings of the query's rarest trigrams instead of a
 * walk through every weak match (see walk). One query at a time (scratch arrays).
 */
export class TextMatcher {
  private readonly query: QueryOverTexts;
  private readonly scratch = { marks: new Uint8Array(0) };
  private readonly likely: LikelyMatches;
  /**
   * By words, the matches the last searches counted (a page and its count ask together). Kept while
   * nothing is written.
   */
  private readonly keptCounts = new Map<string, KeptCount>();
  private countsGeneration = -1;
  /** Answers of `ids` while nothing is written: people search the same words again and again. */
  private readonly keptIds = new Map<string, number[] | null>();
  private idsGeneration = -1;

  constructor(
    private readonly texts: IndexedTexts,
    private readonly postingsAtMost = POSTINGS_AT_MOST,
    private readonly workAtMost = WORK_AT_MOST,
  ) {
    this.query = new QueryOverTexts(texts);
    this.likely = new LikelyMatches(texts, this.query, this.scratch, {
      postingsAtMost,
      readAtMost: workAtMost * CANDIDATE_READS,
    });
  }

  /**
   * The `limit` best matches after `after` (ordered by key, then id), or undefined before the first
   * build or for a text too costly here (POSTINGS_AT_MOST). `words`: the query's, normalised and
   * corrected. `countUpTo`: the matches are also counted, no further than that, for the `count` asked
   * beside the page (a second walk would read the same postings and test the same places again).
   */
  search(words: string[], page: TextPage): TextHit[] | undefined {
    const after = page.after ? { key: Math.fround(page.after.key), id: page.after.id } : undefined;
    let countUpTo = page.countUpTo ?? 0;
    const best: TextHit[] = [];
    // `countingWork`: the work done while counting, set aside from the budget (see walk).
    const walked = { matches: 0, stopped: false, pruned: false, countingWork: 0 };
    // Until the count is reached, every candidate is tested: nothing is passed over, nothing stops.
    const full = () => best.length === page.limit && walked.matches >= countUpTo;
    const least = { worst: -1, shared: 0 };
    const end = this.walk(words, {
      // Once full, a later place must share enough trigrams for its best key to come before the worst.
      leastShared: (n) => {
        if (!full()) return 0;
        walked.pruned = true;
        const worst = best[best.length - 1].key;
        if (worst !== least.worst) {
          let shared = Math.max(0, Math.floor(n * (1 - worst)) - 1);
          while (shared <= n && !(Math.fround(1 - Math.fround(shared / n)) < worst)) shared++;
          least.worst = worst;
          least.shared = shared;
        }
        return least.shared;
      },
      // Candidates come in id order: a later one that can at best tie with the worst kept loses the tie.
      mayEnter: (lowestKey, inOrder) => {
        if (!full()) return true;
        const worst = best[best.length - 1].key;
        const may = lowestKey < worst || (lowestKey === worst && !inOrder);
        if (!may) walked.pruned = true;
        return may;
      },
      visit: (doc, key) => {
        walked.matches++;
        const id = this.texts.docIds[doc];
        if (after && (key < after.key || (key === after.key && id <= after.id))) return;
        if (best.length === page.limit) {
          const worst = best[best.length - 1];
          if (key > worst.key || (key === worst.key && id > worst.id)) return;
          best.pop();
        }
        let at = best.length;
        while (at > 0 && (best[at - 1].key > key || (best[at - 1].key === key && best[at - 1].id > id))) at--;
        best.splice(at, 0, { id, key });
      },
      // Full of exact matches: nothing later in id order comes before them.
      done: (work) => {
        if (walked.matches < countUpTo) {
          // Counting: no more than half of what a text may do, and not taken from the page's budget
          // (its own walk, pruned from there as before, has what it had without the count).
          walked.countingWork = work;
          if (work > this.workAtMost / 2) countUpTo = 0;
        }
        return (walked.stopped = full() && best[best.length - 1].key === 0);
      },
      workAside: () => walked.countingWork,
    });
    // A walk that neither stopped early nor passed over a candidate measured every match; one that
    // stopped or gave up met at least that many. Too many postings: the count would give up too.
    if (end === 'answered') {
      this.keepCount(words, { count: walked.matches, complete: !walked.stopped && !walked.pruned });
    } else if (end === 'overWork') {
      this.keepCount(words, { count: walked.matches, complete: false });
    } else if (end === 'overPostings') {
      this.keepCount(words, { count: 0, complete: false, costly: true });
    }
    return end === 'answered' ? best : undefined;
  }

  private keepCount(words: string[], counted: KeptCount) {
    if (this.countsGeneration !== this.texts.generation) {
      this.keptCounts.clear();
      this.countsGeneration = this.texts.generation;
    }
    // The oldest goes first (a Map iterates in insertion order).
    if (this.keptCounts.size >= COUNTS_KEPT) {
      for (const oldest of this.keptCounts.keys()) {
        this.keptCounts.delete(oldest);
        break;
      }
    }
    this.keptCounts.set(words.join(' '), counted);
  }

  /**
   * How many places match, counting no further than `upTo`; undefined before the first build or for a
   * text too costly here (POSTINGS_AT_MOST).
   */
  count(words: string[], upTo: number): number | undefined {
    const kept = this.countsGeneration === this.texts.generation ? this.keptCounts.get(words.join(' ')) : undefined;
    if (kept && (kept.complete || kept.count >= upTo)) return Math.min(kept.count, upTo);
    if (kept?.costly) return undefined;
    let found = 0;
    const answered =
      'answered' ===
      this.walk(words, {
        leastShared: () => 0,
        mayEnter: () => true,
        visit: () => found++,
        done: () => found >= upTo,
      });
    return answered ? Math.min(found, upTo) : undefined;
  }

  /**
   * The ids of every place matching these words, or null when more than `atMost` do (the walk stops
   * there); undefined before the first build or for a text too costly here (POSTINGS_AT_MOST).
   * Answers are kept while nothing is written (IDS_KEPT):
   * a page and its count ask for the same, and people search the same words again.
   */
  ids(words: string[], atMost: number): number[] | null | undefined {
    const key = `${atMost}|${words.join(' ')}`;
    if (this.idsGeneration !== this.texts.generation || this.keptIds.size >= IDS_KEPT) {
      this.keptIds.clear();
      this.idsGeneration = this.texts.generation;
    }
    const kept = this.keptIds.get(key);
    if (kept !== undefined) return kept;
    const ids: number[] = [];
    const walked = { over: false };
    const answered =
      'answered' ===
      this.walk(words, {
        leastShared: () => 0,
        mayEnter: () => true,
        visit: (doc) => {
          if (ids.length === atMost) walked.over = true;
          else ids.push(this.texts.docIds[doc]);
        },
        done: () => walked.over,
      });
    if (!answered) return undefined;
    const answer = walked.over ? null : ids;
    this.keptIds.set(key, answer);
    return answer;
  }

  /** The places that may match these words (see LikelyMatches). */
  candidates(words: string[], atMost: number): { built: Float64Array; since: number[] } | null | undefined {
    return this.likely.of(words, atMost);
  }

  /**
   * A test of whether a place (a doc) matches these words, for a walk that meets the places another
   * way (nearest first): valid until `release`, one at a time (the scratch arrays are the matcher's).
   * Undefined before the first build.
   */
  prepare(words: string[]): { matches: (doc: number) => boolean; release: () => void } | undefined {
    if (!this.texts.built) return undefined;
    const { query } = this;
    query.set(words);
    return { matches: (doc) => query.matches(doc), release: () => query.release() };
  }

  /**
   * Visits each matching place with its key: the candidates in id order until `sink.done()`, then the
   * places set apart. A match shares at least m = 60 % of the query's n trigrams (similarity ≤ shared /
   * n), so it holds at least e + 1 of any n − m + 1 + e of them: the candidates are the places whose
   * words hold that many of the rarest (EXTRA_LISTS). Each candidate's shared trigrams bound its
   * similarity before it is computed.
   */
  private walk(words: string[], sink: TextSink): WalkEnd {
    const { texts, query } = this;
    if (!texts.built) return 'unbuilt';
    query.set(words);
    try {
      const n = query.codes.length;
      if (n === 0) return 'answered';
      const needed = query.needed;
      let work = 0;
      const over = () => work - (sink.workAside?.() ?? 0) > this.workAtMost;
      const check = (doc: number, inOrder: boolean) => {
        work++;
        if (!texts.alive[doc]) return;
        const start = texts.tokenStart[doc];
        const end = start + texts.tokenCount[doc];
        const shared = query.sharedAtMost(start, end);
        if (shared < needed || !sink.mayEnter(Math.fround(1 - Math.fround(shared / n)), inOrder)) return;
        if (query.holdsQueryRun(start, end)) {
          sink.visit(doc, 0);
          return;
        }
        if (!query.mayReachThreshold(start, end)) return;
        work += SIMILARITY_WORK;
        const similarity = query.similarityOf(start, end);
        if (similarity >= THRESHOLD) sink.visit(doc, Math.fround(1 - similarity));
      };
      const lists = query.rarestLists(this.postingsAtMost);
      if (!lists) return 'overPostings';
      const { codes: rarest, minHits } = lists;
      // A doc sharing s trigrams holds at least s − (n − lists) of the lists' trigrams.
      const hitsNeeded = () => Math.max(minHits, sink.leastShared(n) - (n - rarest.length));
      forEachCandidate(texts, this.scratch, rarest, { minHits, hitsNeeded }, (doc) => {
        if (!texts.isApart[doc]) check(doc, true);
        return sink.done(work) || over();
      });
      // Short common words ("ru de l") make nearly every place a candidate and none an exact match.
      if (over()) return 'overWork';
      for (const doc of texts.apart) check(doc, false);
      return 'answered';
    } finally {
      query.release();
    }
  }
}

/** Matches a search counted: all of them when `complete`, else at least `count`; `costly`: too many postings. */
interface KeptCount {
  count: number;
  complete: boolean;
  costly?: boolean;
}

/** How a walk ended: every candidate read (or stopped by its sink), or given up, or nothing built yet. */
type WalkEnd = 'answered' | 'overPostings' | 'overWork' | 'unbuilt';

interface TextSink {
  /** The fewest of the query's n trigrams a place must share to still enter the answer (in id order). */
  leastShared(n: number): number;
  /** Whether a place whose key is at least `lowestKey` could still enter the answer. */
  mayEnter(lowestKey: number, inOrder: boolean): boolean;
  visit(doc: number, key: number): void;
  /** Whether the walk may stop, told the work done so far. */
  done(work: number): boolean;
  /** Work done so far that does not count against what a text may do (a search's counting). */
  workAside?(): number;
}
