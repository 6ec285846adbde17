import { forEachCandidate, type IndexedTexts } from './text-candidates.js';
import { QueryTrigrams } from './trigrams.js';

export type { IndexedTexts } from './text-candidates.js';

/** pg_trgm.word_similarity_threshold: a place matches when the query's words are this similar. */
const THRESHOLD = 0.6;
/**
 * Trigram lists read beyond the fewest that guarantee a match is among them: with `fewest + e` lists a
 * match is in at least e + 1 of them, which rules out most places holding a single common one
 * (measured at 1M places: e = 2 cuts the mean of a town's search by a third; more adds little).
 */
const EXTRA_LISTS = 2;
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
  private readonly query = new QueryTrigrams();
  private sequence = new Int32Array(1024);
  private wordMask = new Int32Array(0);
  private readonly scratch = { marks: new Uint8Array(0) };
  /** The number of matches of the last search that walked every candidate (a page and its count ask together). */
  private lastCount: { words: string; generation: number; count: number } | undefined;
  /** Answers of `ids` while nothing is written: people search the same words again and again. */
  private readonly keptIds = new Map<string, number[] | null>();
  private idsGeneration = -1;

  constructor(
    private readonly texts: IndexedTexts,
    private readonly postingsAtMost = POSTINGS_AT_MOST,
    private readonly workAtMost = WORK_AT_MOST,
  ) {}

  /**
   * The `limit` best matches after `after` (ordered by key, then id), or undefined before the first
   * build or for a text too costly here (POSTINGS_AT_MOST). `words`: the query's, normalised and
   * corrected.
   */
  search(words: string[], page: { limit: number; after?: { key: number; id: number } }): TextHit[] | undefined {
    const after = page.after ? { key: Math.fround(page.after.key), id: page.after.id } : undefined;
    const best: TextHit[] = [];
    const full = () => best.length === page.limit;
    const walked = { matches: 0, stopped: false, pruned: false };
    const least = { worst: -1, shared: 0 };
    const answered = this.walk(words, {
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
        if (full()) {
          const worst = best[best.length - 1];
          if (key > worst.key || (key === worst.key && id > worst.id)) return;
          best.pop();
        }
        let at = best.length;
        while (at > 0 && (best[at - 1].key > key || (best[at - 1].key === key && best[at - 1].id > id))) at--;
        best.splice(at, 0, { id, key });
      },
      // Full of exact matches: nothing later in id order comes before them.
      done: () => (walked.stopped = full() && best[best.length - 1].key === 0),
    });
    // A walk that neither stopped early nor passed over a candidate measured every match.
    if (answered && !walked.stopped && !walked.pruned) {
      this.lastCount = { words: words.join(' '), generation: this.texts.generation, count: walked.matches };
    }
    return answered ? best : undefined;
  }

  /**
   * How many places match, counting no further than `upTo`; undefined before the first build or for a
   * text too costly here (POSTINGS_AT_MOST).
   */
  count(words: string[], upTo: number): number | undefined {
    const kept = this.lastCount;
    if (kept?.generation === this.texts.generation && kept.words === words.join(' ')) return Math.min(kept.count, upTo);
    let found = 0;
    const answered = this.walk(words, {
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
    const answered = this.walk(words, {
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

  /**
   * A test of whether a place (a doc) matches these words, for a walk that meets the places another
   * way (nearest first): valid until `release`, one at a time (the scratch arrays are the matcher's).
   * Undefined before the first build.
   */
  prepare(words: string[]): { matches: (doc: number) => boolean; release: () => void } | undefined {
    if (!this.texts.built) return undefined;
    this.query.set(words);
    const n = this.query.codes.length;
    const needed = Math.ceil((3 * n) / 5);
    const touched = this.markWords(this.query.codes);
    return {
      matches: (doc) => {
        if (n === 0 || !this.texts.alive[doc]) return false;
        const start = this.texts.tokenStart[doc];
        const end = start + this.texts.tokenCount[doc];
        return this.sharedAtMost(start, end, n) >= needed && this.similarityOf(start, end) >= THRESHOLD;
      },
      release: () => {
        for (const w of touched) this.wordMask[w] = 0;
      },
    };
  }

  /** How many of the query's n trigrams the doc's words [start, end) hold, at most (wordMask set). */
  private sharedAtMost(start: number, end: number, n: number): number {
    const { tokens } = this.texts;
    let held = 0;
    if (n > 31) {
      for (let t = start; t < end; t++) held += this.wordMask[tokens[t]];
      return held;
    }
    for (let t = start; t < end; t++) held |= this.wordMask[tokens[t]];
    return bitCount(held);
  }

  /**
   * Visits each matching place with its key: the candidates in id order until `sink.done()`, then the
   * places set apart. A match shares at least m = 60 % of the query's n trigrams (similarity ≤ shared /
   * n), so it holds at least e + 1 of any n − m + 1 + e of them: the candidates are the places whose
   * words hold that many of the rarest (EXTRA_LISTS). Each candidate's shared trigrams bound its
   * similarity before it is computed.
   */
  private walk(words: string[], sink: TextSink): boolean {
    if (!this.texts.built) return false;
    this.query.set(words);
    const codes = this.query.codes;
    const n = codes.length;
    if (n === 0) return true;
    const needed = Math.ceil((3 * n) / 5);
    const touched = this.markWords(codes);
    try {
      let work = 0;
      const check = (doc: number, inOrder: boolean) => {
        work++;
        if (!this.texts.alive[doc]) return;
        const start = this.texts.tokenStart[doc];
        const end = start + this.texts.tokenCount[doc];
        const shared = this.sharedAtMost(start, end, n);
        if (shared < needed || !sink.mayEnter(Math.fround(1 - Math.fround(shared / n)), inOrder)) return;
        work += SIMILARITY_WORK;
        const similarity = this.similarityOf(start, end);
        if (similarity >= THRESHOLD) sink.visit(doc, Math.fround(1 - similarity));
      };
      const fewest = n - needed + 1;
      const extra = Math.min(EXTRA_LISTS, n - fewest);
      const rarest = [...codes]
        .sort((a, b) => this.texts.trigramDocs[a] - this.texts.trigramDocs[b])
        .slice(0, fewest + extra);
      // A text of many common words (up to 200 characters) would read millions of postings: SQL's, a few at once.
      if (rarest.reduce((sum, code) => sum + this.texts.trigramDocs[code], 0) > this.postingsAtMost) return false;
      // A doc sharing s trigrams holds at least s − (n − lists) of the lists' trigrams.
      const hitsNeeded = () => Math.max(extra + 1, sink.leastShared(n) - (n - rarest.length));
      forEachCandidate(this.texts, this.scratch, rarest, { minHits: extra + 1, hitsNeeded }, (doc) => {
        if (!this.texts.isApart[doc]) check(doc, true);
        return sink.done() || work > this.workAtMost;
      });
      // Short common words ("ru de l") make nearly every place a candidate and none an exact match.
      if (work > this.workAtMost) return false;
      for (const doc of this.texts.apart) check(doc, false);
      return true;
    } finally {
      for (const w of touched) this.wordMask[w] = 0;
    }
  }

  /**
   * Each word holding some of the query's trigrams gets their bits in `wordMask` (past 31 trigrams, their
   * number: a sum over a place's words then bounds what it shares, as a union would). Returns them.
   */
  private markWords(codes: readonly number[]): number[] {
    if (this.wordMask.length < this.texts.words.length) this.wordMask = new Int32Array(this.texts.words.length * 2);
    const wide = codes.length > 31;
    const touched: number[] = [];
    const mark = (w: number, bit: number) => {
      if (this.wordMask[w] === 0) touched.push(w);
      this.wordMask[w] = wide ? this.wordMask[w] + 1 : this.wordMask[w] | (1 << bit);
    };
    codes.forEach((code, bit) => {
      for (let i = this.texts.wordsOfTrigramStart[code]; i < this.texts.wordsOfTrigramStart[code + 1]; i++) {
        mark(this.texts.wordsOfTrigram[i], bit);
      }
    });
    // Words first seen since the build are not in wordsOfTrigram (only places set apart hold them).
    for (let w = this.texts.builtWords; w < this.texts.words.length; w++) {
      const seen = new Set<number>();
      for (let i = this.texts.trigramStart[w]; i < this.texts.trigramStart[w + 1]; i++) {
        const code = this.texts.trigramArena[i];
        const bit = codes.indexOf(code);
        if (bit < 0 || seen.has(code)) continue;
        seen.add(code);
        mark(w, bit);
      }
    }
    return touched;
  }

  /** pg_trgm's word similarity of the query to the doc whose tokens are [start, end). */
  private similarityOf(start: number, end: number): number {
    let length = 0;
    for (let t = start; t < end; t++) {
      const word = this.texts.tokens[t];
      length += this.texts.trigramStart[word + 1] - this.texts.trigramStart[word];
    }
    if (length > this.sequence.length) this.sequence = new Int32Array(length * 2);
    let n = 0;
    for (let t = start; t < end; t++) {
      const word = this.texts.tokens[t];
      for (let i = this.texts.trigramStart[word]; i < this.texts.trigramStart[word + 1]; i++)
        this.sequence[n++] = this.texts.trigramArena[i];
    }
    return this.query.similarityTo(this.sequence, 0, n);
  }
}

interface TextSink {
  /** The fewest of the query's n trigrams a place must share to still enter the answer (in id order). */
  leastShared(n: number): number;
  /** Whether a place whose key is at least `lowestKey` could still enter the answer. */
  mayEnter(lowestKey: number, inOrder: boolean): boolean;
  visit(doc: number, key: number): void;
  done(): boolean;
}

function bitCount(bits: number): number {
  let v = bits - ((bits >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
