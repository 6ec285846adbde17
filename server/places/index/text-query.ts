import type { IndexedTexts } from './text-candidates.js';
import { QueryTrigrams } from './trigrams.js';

/** pg_trgm.word_similarity_threshold: a place matches when the query's words are this similar. */
export const THRESHOLD = 0.6;
/** The threshold for bounds, a little lower: a bound never rules out what float4 would let in. */
const BOUND_THRESHOLD = THRESHOLD - 1e-6;
/**
 * Trigram lists read beyond the fewest that guarantee a match is among them: with `fewest + e` lists a
 * match is in at least e + 1 of them, which rules out most places holding a single common one
 * (measured at 1M places: e = 2 cuts the mean of a town's search by a third; more adds little).
 */
const EXTRA_LISTS = 2;

/**
 * A query set over the places' words (IndexedTexts): what a place (a doc) shares with it, whether it
 * holds its words, its similarity. `set` marks the words holding the query's trigrams; `release`
 * clears them. One query at a time (scratch arrays).
 */
export class QueryOverTexts {
  private readonly trigrams = new QueryTrigrams();
  private sequence = new Int32Array(1024);
  private wordMask = new Int32Array(0);
  private touched: number[] = [];
  /** By word: its distinct trigrams + 1, 0 until counted (see distinctTrigrams). */
  private distinct = new Uint16Array(0);
  /** By word holding some of the query's trigrams, two counts (see edge). */
  private edges = new Uint16Array(0);
  /** The query's word ids, in order, when the places hold them all (see holdsQueryRun). */
  private queryWords: Int32Array | null = null;

  constructor(private readonly texts: IndexedTexts) {}

  /** The query's distinct trigram codes. */
  get codes(): readonly number[] {
    return this.trigrams.codes;
  }

  /** A match shares at least this many of the query's trigrams (60 %: its similarity is at most shared / n). */
  get needed(): number {
    return Math.ceil((3 * this.codes.length) / 5);
  }

  /** Sets the query's words, and marks the places' words holding its trigrams (until `release`). */
  set(words: string[]) {
    this.release();
    this.trigrams.set(words);
    const ids = words.map((word) => this.texts.wordIdOf(word) ?? -1);
    this.queryWords = ids.length > 0 && !ids.includes(-1) ? Int32Array.from(ids) : null;
    this.markWords(this.trigrams.codes);
    if (this.edges.length < 2 * this.wordMask.length) this.edges = new Uint16Array(2 * this.wordMask.length);
  }

  release() {
    for (const w of this.touched) {
      this.wordMask[w] = 0;
      this.edges[2 * w] = 0;
      this.edges[2 * w + 1] = 0;
    }
    this.touched = [];
  }

  /** Whether the doc matches the query (pg_trgm's `%>`). */
  matches(doc: number): boolean {
    const n = this.codes.length;
    if (n === 0 || !this.texts.alive[doc]) return false;
    const start = this.texts.tokenStart[doc];
    const end = start + this.texts.tokenCount[doc];
    if (this.holdsQueryRun(start, end)) return true;
    return this.mayMatch(start, end) && this.similarityOf(start, end) >= THRESHOLD;
  }

  /**
   * Whether the doc's words [start, end) may match, without computing the similarity: they share
   * enough of the query's trigrams, close enough together (mayReachThreshold).
   */
  mayMatch(start: number, end: number): boolean {
    return this.sharedAtMost(start, end) >= this.needed && this.mayReachThreshold(start, end);
  }

  /**
   * The rarest of the query's trigrams a match must hold `minHits` of: with n − needed + 1 + e lists, a
   * match holds at least e + 1 of them (EXTRA_LISTS). Undefined when their postings are more than
   * `postingsAtMost`.
   */
  rarestLists(postingsAtMost: number): { codes: number[]; minHits: number } | undefined {
    const n = this.codes.length;
    const fewest = n - this.needed + 1;
    const extra = Math.min(EXTRA_LISTS, n - fewest);
    const { trigramDocs } = this.texts;
    const rarest = [...this.codes].sort((a, b) => trigramDocs[a] - trigramDocs[b]).slice(0, fewest + extra);
    // A text of many common words (up to 200 characters) would read millions of postings: SQL's, a few at once.
    if (rarest.reduce((sum, code) => sum + trigramDocs[code], 0) > postingsAtMost) return undefined;
    return { codes: rarest, minHits: extra + 1 };
  }

  /**
   * Whether the doc's words [start, end) hold the query's words one after the other: its similarity is
   * then 1 without computing it (the run of those words' trigrams holds every trigram of the query and
   * no other; pg_trgm's walk tries that run, as it tries every start before each matching trigram).
   */
  holdsQueryRun(start: number, end: number): boolean {
    const run = this.queryWords;
    if (!run) return false;
    const { tokens } = this.texts;
    const last = end - run.length;
    for (let t = start; t <= last; t++) {
      let j = 0;
      while (j < run.length && tokens[t + j] === run[j]) j++;
      if (j === run.length) return true;
    }
    return false;
  }

  /** How many of the query's trigrams the doc's words [start, end) hold, at most. */
  sharedAtMost(start: number, end: number): number {
    const { tokens } = this.texts;
    let held = 0;
    if (this.codes.length > 31) {
      for (let t = start; t < end; t++) held += this.wordMask[tokens[t]];
      return held;
    }
    for (let t = start; t < end; t++) held |= this.wordMask[tokens[t]];
    return bitCount(held);
  }

  /**
   * Whether some run of the doc's words [start, end) may reach the threshold, by a bound cheaper than
   * the similarity. A run's similarity is shared / (n + its distinct trigrams − shared). A run that
   * matters starts in a word a at or before a's last trigram of the query, so it holds a's trigrams
   * after that one; it ends in a word b at or after b's first, so it holds b's trigrams before that
   * one; and it holds every trigram of the words between. It shares at most the union of those words'
   * trigrams with the query, and holds at least the most of any one of those pieces outside the query
   * (not their sum: they may repeat each other). A common word and a word of the query far apart in a
   * place's text ("paris 15e arrondissement" for "parroy") are then passed over without computing
   * the similarity. Past 31 trigrams (no bits), true.
   */
  mayReachThreshold(start: number, end: number): boolean {
    const n = this.codes.length;
    if (n > 31) return true;
    const { tokens } = this.texts;
    const { wordMask } = this;
    for (let a = start; a < end; a++) {
      const first = tokens[a];
      let union = wordMask[first];
      if (union === 0) continue;
      // Within one word: similarity ≤ shared / n.
      if (bitCount(union) >= n * BOUND_THRESHOLD) return true;
      let outside = this.edge(first, 1);
      for (let b = a + 1; b < end; b++) {
        if (b - 1 > a) outside = Math.max(outside, this.outsideTrigrams(tokens[b - 1]));
        if (n < (n + outside) * BOUND_THRESHOLD) break;
        const last = tokens[b];
        if (wordMask[last] === 0) continue;
        union |= wordMask[last];
        if (bitCount(union) >= (n + Math.max(outside, this.edge(last, 0))) * BOUND_THRESHOLD) return true;
      }
    }
    return false;
  }

  /** The distinct trigrams of a word outside the query's. */
  private outsideTrigrams(word: number): number {
    return this.distinctTrigrams(word) - bitCount(this.wordMask[word]);
  }

  /** A word's distinct trigrams, counted once per word (its trigrams never change). */
  private distinctTrigrams(word: number): number {
    if (word >= this.distinct.length) {
      const grown = new Uint16Array(Math.max(this.texts.words.length, word + 1) * 2);
      grown.set(this.distinct);
      this.distinct = grown;
    }
    if (this.distinct[word] === 0) {
      const { trigramStart, trigramArena } = this.texts;
      this.distinct[word] = distinctIn(trigramArena, trigramStart[word], trigramStart[word + 1]) + 1;
    }
    return this.distinct[word] - 1;
  }

  /**
   * For a word holding some of the query's trigrams: how many distinct trigrams outside the query it
   * holds before its first of the query (`side` 0) or after its last (1). Measured at first need
   * (+ 1 in `edges`, 0 until then) and forgotten at `release`.
   */
  private edge(word: number, side: 0 | 1): number {
    const at = 2 * word;
    if (this.edges[at] === 0) {
      const { trigramStart, trigramArena } = this.texts;
      const { found } = this.trigrams;
      const from = trigramStart[word];
      const to = trigramStart[word + 1];
      let first = from;
      while (first < to && !found[trigramArena[first]]) first++;
      let last = to - 1;
      while (last > first && !found[trigramArena[last]]) last--;
      this.edges[at] = distinctIn(trigramArena, from, first) + 1;
      this.edges[at + 1] = distinctIn(trigramArena, last + 1, to) + 1;
    }
    return this.edges[at + side] - 1;
  }

  /** pg_trgm's word similarity of the query to the doc whose tokens are [start, end). */
  similarityOf(start: number, end: number): number {
    const { tokens, trigramStart, trigramArena } = this.texts;
    let length = 0;
    for (let t = start; t < end; t++) length += trigramStart[tokens[t] + 1] - trigramStart[tokens[t]];
    if (length > this.sequence.length) this.sequence = new Int32Array(length * 2);
    let n = 0;
    for (let t = start; t < end; t++) {
      const word = tokens[t];
      for (let i = trigramStart[word]; i < trigramStart[word + 1]; i++) this.sequence[n++] = trigramArena[i];
    }
    return this.trigrams.similarityTo(this.sequence, 0, n);
  }

  /**
   * Each word holding some of the query's trigrams gets their bits in `wordMask` (past 31 trigrams, their
   * number: a sum over a place's words then bounds what it shares, as a union would).
   */
  private markWords(codes: readonly number[]) {
    const { texts } = this;
    if (this.wordMask.length < texts.words.length) this.wordMask = new Int32Array(texts.words.length * 2);
    const wide = codes.length > 31;
    const mark = (w: number, bit: number) => {
      if (this.wordMask[w] === 0) this.touched.push(w);
      this.wordMask[w] = wide ? this.wordMask[w] + 1 : this.wordMask[w] | (1 << bit);
    };
    codes.forEach((code, bit) => {
      for (let i = texts.wordsOfTrigramStart[code]; i < texts.wordsOfTrigramStart[code + 1]; i++) {
        mark(texts.wordsOfTrigram[i], bit);
      }
    });
    // Words first seen since the build are not in wordsOfTrigram (only places set apart hold them).
    for (let w = texts.builtWords; w < texts.words.length; w++) {
      const seen = new Set<number>();
      for (let i = texts.trigramStart[w]; i < texts.trigramStart[w + 1]; i++) {
        const code = texts.trigramArena[i];
        const bit = codes.indexOf(code);
        if (bit < 0 || seen.has(code)) continue;
        seen.add(code);
        mark(w, bit);
      }
    }
  }
}

/** The distinct values of codes[from..to) (a few: compared pairwise). */
function distinctIn(codes: Int32Array, from: number, to: number): number {
  let distinct = 0;
  for (let i = from; i < to; i++) {
    let j = from;
    while (j < i && codes[j] !== codes[i]) j++;
    if (j === i) distinct++;
  }
  return distinct;
}

function bitCount(bits: number): number {
  let v = bits - ((bits >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
