/**
 * pg_trgm's word similarity, in memory, so that a text search answered here ranks places exactly as
 * PostgreSQL's `search_text <->> query` did (migration 20261202_0600).
 *
 * Texts are already normalised (`search_normalize`: no accents, lower case) and split into words of
 * [a-z0-9]. pg_trgm pads each word with two spaces before and one after and takes every three
 * characters in a row: "lyon" gives "  l", " ly", "lyo", "yon", "on ". A trigram is a number here:
 * 37 symbols (space, a–z, 0–9), so 37³ codes, and a scratch array indexed by code stands in for
 * pg_trgm's sorted arrays.
 */

export const TRIGRAM_CODES = 37 * 37 * 37;

function symbol(code: number): number {
  if (code >= 97 && code <= 122) return code - 96; // a–z: 1–26
  if (code >= 48 && code <= 57) return code - 21; // 0–9: 27–36
  return 0;
}

/** The trigram codes of one word, in order (its length + 1 of them). */
export function wordTrigrams(word: string): number[] {
  const padded = [0, 0, ...Array.from(word, (c) => symbol(c.charCodeAt(0))), 0];
  const codes: number[] = [];
  for (let i = 0; i + 2 < padded.length; i++) codes.push((padded[i] * 37 + padded[i + 1]) * 37 + padded[i + 2]);
  return codes;
}

/** The words of a normalised text, as pg_trgm splits them (runs of letters and digits). */
export function textWords(text: string): string[] {
  return text.split(/[^a-z0-9]+/).filter((word) => word !== '');
}

/** float4 division, as pg_trgm's CALCSML. */
const similarity = (count: number, ulen1: number, ulen2: number) => Math.fround(count / (ulen1 + ulen2 - count));

/**
 * The query's side of a word similarity: its distinct trigrams, marked in `found` (indexed by code).
 * One query at a time per instance of the scratch arrays.
 */
export class QueryTrigrams {
  readonly found = new Uint8Array(TRIGRAM_CODES);
  /** A code → last position scratch, -1 everywhere between two calls. */
  private readonly lastpos = new Int32Array(TRIGRAM_CODES).fill(-1);
  private marked: number[] = [];
  distinct = 0;

  /** The query's distinct trigram codes. */
  get codes(): readonly number[] {
    return this.marked;
  }

  /** Marks the trigrams of these words (the query's), forgetting the previous query's. */
  set(words: readonly string[]) {
    for (const code of this.marked) this.found[code] = 0;
    this.marked = [];
    for (const word of words) {
      for (const code of wordTrigrams(word)) {
        if (this.found[code]) continue;
        this.found[code] = 1;
        this.marked.push(code);
      }
    }
    this.distinct = this.marked.length;
  }

  /**
   * pg_trgm's `word_similarity(query, text)` where `text` has the trigram codes `sequence[from..to)`:
   * the greatest similarity between the query's trigrams and any run of the text's, a run's
   * similarity being shared / (query's + run's distinct − shared). A port of pg_trgm's
   * iterate_word_similarity (plain, not strict), float4 included, so that ties fall as in SQL.
   */
  similarityTo(sequence: Int32Array, from: number, to: number): number {
    const { found, lastpos } = this;
    const ulen1 = this.distinct;
    let ulen2 = 0;
    let count = 0;
    let lower = -1;
    let best = 0;
    for (let i = from; i < to; i++) {
      const code = sequence[i];
      if (lower >= 0 || found[code]) {
        if (lastpos[code] < 0) {
          ulen2++;
          if (found[code]) count++;
        }
        lastpos[code] = i;
      }
      if (!found[code]) continue;
      // The run ends here (pg_trgm's `upper`).
      if (lower === -1) {
        lower = i;
        ulen2 = 1;
      }
      let current = similarity(count, ulen1, ulen2);
      // A later start of the run may be more similar: try each, as pg_trgm does.
      let runCount = count;
      let runUlen2 = ulen2;
      const previousLower = lower;
      for (let start = lower; start <= i; start++) {
        const candidate = similarity(runCount, ulen1, runUlen2);
        if (candidate > current) {
          current = candidate;
          ulen2 = runUlen2;
          lower = start;
          count = runCount;
        }
        const dropped = sequence[start];
        if (lastpos[dropped] === start) {
          runUlen2--;
          if (found[dropped]) runCount--;
        }
      }
      if (current > best) best = current;
      for (let start = previousLower; start < lower; start++) {
        const dropped = sequence[start];
        if (lastpos[dropped] === start) lastpos[dropped] = -1;
      }
    }
    for (let i = from; i < to; i++) lastpos[sequence[i]] = -1;
    return best;
  }
}
