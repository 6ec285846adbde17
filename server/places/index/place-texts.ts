import { SlotById } from './slot-by-id.js';
import { TextMatcher, type TextHit } from './text-matches.js';
import { TRIGRAM_CODES, textWords, wordTrigrams } from './trigrams.js';

export type { TextHit } from './text-matches.js';

/**
 * Growable typed arrays, by a quarter at a time: the token arena of a million places is ~22 MB, and
 * doubling would leave up to as much unused.
 */
function grown<T extends Int32Array | Float64Array | Uint16Array | Uint8Array>(old: T, min: number): T {
  const next = new (old.constructor as new (n: number) => T)(Math.max(min, Math.ceil(old.length * 1.25), 1024));
  next.set(old);
  return next;
}

/**
 * The search text of every published place (located or not), for text search from memory: each
 * place as the ids of its words, each word of the places once with its trigrams, and for each word
 * the places holding it (postings, in place-id order). Built once after a load; a place written
 * afterwards is set apart and read one by one until the postings are built again. Searched by
 * text-matches.ts, which reads the arrays below (public for it, written only here).
 */
export class PlaceTexts {
  private readonly wordIds = new Map<string, number>();
  words: string[] = [];
  trigramStart = new Int32Array(0);
  trigramArena = new Int32Array(0);
  private trigramLength = 0;

  private readonly docById = new SlotById();
  docIds = new Float64Array(0);
  tokenStart = new Int32Array(0);
  tokenCount = new Uint16Array(0);
  alive = new Uint8Array(0);
  isApart = new Uint8Array(0);
  /** The word ids of every place, one after the other: 16 bits while the places hold under 65,536 words. */
  tokens: Uint16Array | Int32Array = new Uint16Array(0);
  private tokenLength = 0;
  docCount = 0;

  // Built by buildPostings(): the docs of each word, and the words of each trigram.
  postingStart = new Int32Array(1);
  postings = new Int32Array(0);
  builtWords = 0;
  wordsOfTrigramStart = new Int32Array(TRIGRAM_CODES + 1);
  wordsOfTrigram = new Int32Array(0);
  /** Places written since the postings were built, or out of id order: read one by one. */
  readonly apart = new Set<number>();
  built = false;
  /** Bumped at every write: a count remembered from a search holds while it has not moved. */
  generation = 0;
  /** By trigram: how many places hold a word with it (at most; a place may hold two such words). */
  trigramDocs = new Int32Array(TRIGRAM_CODES);
  private readonly matcher: TextMatcher;

  /** `postingsAtMost`: what a text may read (text-matches.ts), smaller in tests. */
  constructor(options: { postingsAtMost?: number } = {}) {
    this.matcher = new TextMatcher(this, options.postingsAtMost);
  }

  get size(): number {
    return this.docById.size;
  }

  private wordId(word: string): number {
    let id = this.wordIds.get(word);
    if (id !== undefined) return id;
    id = this.words.push(word) - 1;
    this.wordIds.set(word, id);
    if (id === 65_536 && this.tokens instanceof Uint16Array) this.tokens = Int32Array.from(this.tokens);
    const codes = wordTrigrams(word);
    if (id + 2 > this.trigramStart.length) this.trigramStart = grown(this.trigramStart, id + 2);
    if (this.trigramLength + codes.length > this.trigramArena.length) {
      this.trigramArena = grown(this.trigramArena, this.trigramLength + codes.length);
    }
    this.trigramStart[id] = this.trigramLength;
    this.trigramArena.set(codes, this.trigramLength);
    this.trigramLength += codes.length;
    this.trigramStart[id + 1] = this.trigramLength;
    return id;
  }

  /** Adds or replaces a place's search text (`search_text`: already normalised). */
  upsert(id: number, searchText: string) {
    let doc = this.docById.get(id);
    if (doc === undefined) {
      doc = this.docCount++;
      if (doc >= this.docIds.length) {
        this.docIds = grown(this.docIds, doc + 1);
        this.tokenStart = grown(this.tokenStart, doc + 1);
        this.tokenCount = grown(this.tokenCount, doc + 1);
        this.alive = grown(this.alive, doc + 1);
        this.isApart = grown(this.isApart, doc + 1);
      }
      this.docById.set(id, doc);
      this.docIds[doc] = id;
    }
    if (this.built) this.setApart(doc);
    this.generation++;
    const words = textWords(searchText).slice(0, 65_535);
    if (this.tokenLength + words.length > this.tokens.length) {
      this.tokens = grown(this.tokens, this.tokenLength + words.length);
    }
    this.tokenStart[doc] = this.tokenLength;
    this.tokenCount[doc] = words.length;
    for (const word of words) {
      const wordId = this.wordId(word); // may widen the arena first
      this.tokens[this.tokenLength++] = wordId;
    }
    this.alive[doc] = 1;
  }

  remove(id: number) {
    const doc = this.docById.get(id);
    if (doc === undefined) return;
    this.docById.delete(id);
    this.alive[doc] = 0;
    this.generation++;
  }

  private setApart(doc: number) {
    this.apart.add(doc);
    this.isApart[doc] = 1;
  }

  /** Builds the postings over every place (a second or so at a million places). */
  buildPostings() {
    const wordCount = this.words.length;
    const lastDoc = new Int32Array(wordCount).fill(-1);
    const starts = new Int32Array(wordCount + 1);
    this.forEachWordOnce(lastDoc, (word) => starts[word + 1]++);
    for (let w = 0; w < wordCount; w++) starts[w + 1] += starts[w];
    const postings = new Int32Array(starts[wordCount]);
    const fill = starts.slice(0, wordCount);
    lastDoc.fill(-1);
    this.forEachWordOnce(lastDoc, (word, doc) => (postings[fill[word]++] = doc));
    this.postingStart = starts;
    this.postings = postings;
    // The arena's spare room, and the tokens of texts replaced since the last build, go.
    this.compactTokens();
    this.buildWordsOfTrigram(wordCount);
    this.builtWords = wordCount;
    this.apart.clear();
    this.isApart.fill(0);
    // A place put back after others with larger ids breaks the id order of its postings.
    let largest = -1;
    for (let doc = 0; doc < this.docCount; doc++) {
      if (!this.alive[doc]) continue;
      if (this.docIds[doc] < largest) this.setApart(doc);
      else largest = this.docIds[doc];
    }
    this.built = true;
    this.generation++;
  }

  private compactTokens() {
    const compact = new (this.tokens.constructor as new (n: number) => Uint16Array | Int32Array)(
      this.size === 0 ? 0 : this.liveTokens(),
    );
    let n = 0;
    for (let doc = 0; doc < this.docCount; doc++) {
      if (!this.alive[doc]) continue;
      const start = this.tokenStart[doc];
      compact.set(this.tokens.subarray(start, start + this.tokenCount[doc]), n);
      this.tokenStart[doc] = n;
      n += this.tokenCount[doc];
    }
    this.tokens = compact;
    this.tokenLength = n;
  }

  private liveTokens(): number {
    let n = 0;
    for (let doc = 0; doc < this.docCount; doc++) if (this.alive[doc]) n += this.tokenCount[doc];
    return n;
  }

  private forEachWordOnce(lastDoc: Int32Array, visit: (word: number, doc: number) => void) {
    for (let doc = 0; doc < this.docCount; doc++) {
      if (!this.alive[doc]) continue;
      const end = this.tokenStart[doc] + this.tokenCount[doc];
      for (let t = this.tokenStart[doc]; t < end; t++) {
        const word = this.tokens[t];
        if (lastDoc[word] === doc) continue;
        lastDoc[word] = doc;
        visit(word, doc);
      }
    }
  }

  private buildWordsOfTrigram(wordCount: number) {
    const starts = new Int32Array(TRIGRAM_CODES + 1);
    const each = (visit: (code: number, word: number) => void) => {
      const seen = new Set<number>();
      for (let w = 0; w < wordCount; w++) {
        seen.clear();
        for (let t = this.trigramStart[w]; t < this.trigramStart[w + 1]; t++) {
          const code = this.trigramArena[t];
          if (seen.has(code)) continue;
          seen.add(code);
          visit(code, w);
        }
      }
    };
    each((code) => starts[code + 1]++);
    for (let c = 0; c < TRIGRAM_CODES; c++) starts[c + 1] += starts[c];
    const words = new Int32Array(starts[TRIGRAM_CODES]);
    const fill = starts.slice(0, TRIGRAM_CODES);
    each((code, word) => (words[fill[code]++] = word));
    this.wordsOfTrigramStart = starts;
    this.wordsOfTrigram = words;
    this.trigramDocs.fill(0);
    each((code, word) => (this.trigramDocs[code] += this.postingStart[word + 1] - this.postingStart[word]));
  }

  /**
   * The `limit` best matches after `after` (ordered by key, then id), or undefined before the first
   * build or for a text too costly here (POSTINGS_AT_MOST). `words`: the query's, normalised and
   * corrected (see text-matches.ts).
   */
  search(words: string[], page: { limit: number; after?: { key: number; id: number } }): TextHit[] | undefined {
    return this.matcher.search(words, page);
  }

  /**
   * The ids of every place matching these words, null past `atMost`; undefined before the first build
   * or for a text too costly here (POSTINGS_AT_MOST).
   */
  ids(words: string[], atMost: number): number[] | null | undefined {
    return this.matcher.ids(words, atMost);
  }

  /**
   * A test of whether the place of this id matches these words, for a walk of the index's tree; call
   * `release` after the walk (one at a time). Undefined before the first build.
   */
  prepare(words: string[]): { matches: (id: number) => boolean; release: () => void } | undefined {
    const prepared = this.matcher.prepare(words);
    if (!prepared) return undefined;
    return {
      matches: (id) => {
        const doc = this.docById.get(id);
        return doc !== undefined && prepared.matches(doc);
      },
      release: prepared.release,
    };
  }

  /**
   * How many places match, counting no further than `upTo`; undefined before the first build or for a
   * text too costly here (POSTINGS_AT_MOST).
   */
  count(words: string[], upTo: number): number | undefined {
    return this.matcher.count(words, upTo);
  }
}
