import { SlotById } from './slot-by-id.js';
import { Known, TextMatchMemos } from './text-match-memo.js';
import { TextMatcher, type TextHit, type TextPage } from './text-matches.js';
import { TRIGRAM_CODES, wordTrigrams } from './trigrams.js';
import { WordTable } from './word-table.js';

export type { TextHit, TextPage } from './text-matches.js';

/** Places written since the build, read one by one until the next (see needsBuild). */
const APART_AT_MOST = 2000;
/** Tokens of replaced or removed texts the arena may hold before it is compacted (or a quarter of it). */
const WASTED_AT_MOST = 1_000_000;
/** Words first seen since the build, which every search tries one by one. */
const NEW_WORDS_AT_MOST = 10_000;

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
  private readonly wordTable = new WordTable((word, id) => this.addWord(word, id));
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
  /** Tokens of texts replaced or removed since the last build (room the arena still holds). */
  private wastedTokens = 0;
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
  /** Bumped at every build of the postings. */
  builds = 0;
  /** By trigram: how many places hold a word with it (at most; a place may hold two such words). */
  trigramDocs = new Int32Array(TRIGRAM_CODES);
  private readonly matcher: TextMatcher;
  private readonly memos = new TextMatchMemos();

  /** `postingsAtMost`, `workAtMost`: what a text may read and do (text-matches.ts), smaller in tests. */
  constructor(options: { postingsAtMost?: number; workAtMost?: number } = {}) {
    this.matcher = new TextMatcher(this, options.postingsAtMost, options.workAtMost);
  }

  get size(): number {
    return this.docById.size;
  }

  /** Every word of the places, by id. */
  get words(): readonly string[] {
    return this.wordTable.words;
  }

  wordIdOf(word: string): number | undefined {
    return this.wordTable.idOf(word);
  }

  /** Files a word seen for the first time: its trigrams, and wider tokens past 65,536 words. */
  private addWord(word: string, id: number) {
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
  }

  /** Adds or replaces a place's search text (`search_text`: already normalised). */
  upsert(id: number, searchText: string) {
    // Its words (at most 65,535, as a doc's count is 16 bits), new ones filed on the way.
    const ids = this.wordTable.idsOf(searchText, 65_535);
    const count = ids.length;
    let doc = this.docById.get(id);
    // A place read again for another change (its hours, a label) keeps its words where they are.
    if (doc !== undefined && this.holds(doc, ids)) return;
    if (doc !== undefined) this.wastedTokens += this.tokenCount[doc];
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
    if (this.tokenLength + count > this.tokens.length) this.tokens = grown(this.tokens, this.tokenLength + count);
    this.tokenStart[doc] = this.tokenLength;
    this.tokenCount[doc] = count;
    this.tokens.set(ids, this.tokenLength);
    this.tokenLength += count;
    this.alive[doc] = 1;
  }

  remove(id: number) {
    const doc = this.docById.get(id);
    if (doc === undefined) return;
    this.docById.delete(id);
    this.alive[doc] = 0;
    this.wastedTokens += this.tokenCount[doc];
    this.generation++;
  }

  /** Whether the doc's words are these already. */
  private holds(doc: number, ids: Int32Array): boolean {
    if (this.tokenCount[doc] !== ids.length) return false;
    const start = this.tokenStart[doc];
    for (let i = 0; i < ids.length; i++) if (this.tokens[start + i] !== ids[i]) return false;
    return true;
  }

  /**
   * Whether the postings should be built again: many places written since (each read one by one),
   * much room left by replaced or removed texts, or many words new since (each tried at every search).
   */
  get needsBuild(): boolean {
    return (
      this.apart.size > APART_AT_MOST ||
      this.wastedTokens > Math.max(WASTED_AT_MOST, this.tokenLength / 4) ||
      this.words.length - this.builtWords > NEW_WORDS_AT_MOST
    );
  }

  private setApart(doc: number) {
    this.apart.add(doc);
    this.isApart[doc] = 1;
  }

  /** Builds the postings over every place (a second or so at a million places). */
  buildPostings() {
    // Places in id order, without the removed ones and the room of replaced texts: the postings are
    // then in id order too, and nothing stays apart.
    this.renumber();
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
    this.buildWordsOfTrigram(wordCount);
    this.builtWords = wordCount;
    this.apart.clear();
    this.wastedTokens = 0;
    this.built = true;
    this.generation++;
    this.builds++;
  }

  /** The live places again, numbered in id order, their tokens one after the other. */
  private renumber() {
    const live: number[] = [];
    let sorted = true;
    for (let doc = 0; doc < this.docCount; doc++) {
      if (!this.alive[doc]) continue;
      if (live.length > 0 && this.docIds[doc] < this.docIds[live[live.length - 1]]) sorted = false;
      live.push(doc);
    }
    if (!sorted) live.sort((a, b) => this.docIds[a] - this.docIds[b]);
    const count = live.length;
    const docIds = new Float64Array(count);
    const tokenStart = new Int32Array(count);
    const tokenCount = new Uint16Array(count);
    let length = 0;
    for (const doc of live) length += this.tokenCount[doc];
    const tokens = new (this.tokens.constructor as new (n: number) => Uint16Array | Int32Array)(length);
    let n = 0;
    live.forEach((doc, next) => {
      const start = this.tokenStart[doc];
      tokens.set(this.tokens.subarray(start, start + this.tokenCount[doc]), n);
      docIds[next] = this.docIds[doc];
      tokenStart[next] = n;
      tokenCount[next] = this.tokenCount[doc];
      n += this.tokenCount[doc];
      this.docById.set(docIds[next], next);
    });
    this.docIds = docIds;
    this.tokenStart = tokenStart;
    this.tokenCount = tokenCount;
    this.alive = new Uint8Array(count).fill(1);
    this.isApart = new Uint8Array(count);
    this.tokens = tokens;
    this.tokenLength = n;
    this.docCount = count;
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
   * corrected (see text-matches.ts); the matches counted beside, up to `page.countUpTo`, answer `count`.
   */
  search(words: string[], page: TextPage): TextHit[] | undefined {
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
   * The places that may match these words (every match among them, most of them matches: test each
   * with `prepare`): those not written since the build, by id, and those written since; null past
   * `atMost` or for a text too costly to list; undefined before the first build (see text-likely.ts).
   */
  candidates(words: string[], atMost: number): { built: Float64Array; since: number[] } | null | undefined {
    return this.matcher.candidates(words, atMost);
  }

  /**
   * A test of whether the place of this id matches these words, for a walk of the index's tree; call
   * `release` after the walk (one at a time). Undefined before the first build. Its answers are kept
   * while nothing is written (text-match-memo.ts): the words are set in the matcher only when a
   * place is asked for the first time.
   */
  prepare(words: string[]): { matches: (id: number) => boolean; release: () => void } | undefined {
    if (!this.built) return undefined;
    const memo = this.memos.of(words, this.generation, this.docIds.length);
    let prepared: ReturnType<TextMatcher['prepare']>;
    return {
      matches: (id) => {
        const doc = this.docById.get(id);
        if (doc === undefined) return false;
        const known = memo.get(doc);
        if (known !== Known.NotAsked) return known === Known.Matches;
        prepared ??= this.matcher.prepare(words);
        const matches = prepared?.matches(doc) ?? false;
        memo.set(doc, matches);
        return matches;
      },
      release: () => prepared?.release(),
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
