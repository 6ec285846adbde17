import { SlotById } from './slot-by-id.js';
import { QueryTrigrams, TRIGRAM_CODES, textWords, wordTrigrams } from './trigrams.js';

/** pg_trgm.word_similarity_threshold: a place matches when the query's words are this similar. */
const THRESHOLD = 0.6;
/** Up to this many postings, the candidates are sorted; beyond, marked in a byte per place. */
const SORTED_AT_MOST = 65_536;

export interface TextHit {
  id: number;
  /** 1 − word similarity, as float4: the SQL sort key `search_text <->> query`. */
  key: number;
}

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
 * afterwards is set apart and read one by one until the postings are built again.
 *
 * A place matches a query as in SQL (`search_text %> query`: word similarity ≥ 0.6) among the places
 * holding, for each of the query's words that exists in the places (three letters or more, not a
 * function word), that word or one near it ("mediatheques" for "mediatheque"): a bounded candidate
 * set taken from the rarest such word, instead of a walk through every weak match.
 */
export class PlaceTexts {
  private readonly wordIds = new Map<string, number>();
  private words: string[] = [];
  private trigramStart = new Int32Array(0);
  private trigramArena = new Int32Array(0);
  private trigramLength = 0;

  private readonly docById = new SlotById();
  private docIds = new Float64Array(0);
  private tokenStart = new Int32Array(0);
  private tokenCount = new Uint16Array(0);
  private alive = new Uint8Array(0);
  private isApart = new Uint8Array(0);
  /** The word ids of every place, one after the other: 16 bits while the places hold under 65,536 words. */
  private tokens: Uint16Array | Int32Array = new Uint16Array(0);
  private tokenLength = 0;
  private docCount = 0;

  // Built by buildPostings(): the docs of each word, and the words of each trigram.
  private postingStart = new Int32Array(1);
  private postings = new Int32Array(0);
  private builtWords = 0;
  private wordsOfTrigramStart = new Int32Array(TRIGRAM_CODES + 1);
  private wordsOfTrigram = new Int32Array(0);
  /** Places written since the postings were built, or out of id order: read one by one. */
  readonly apart = new Set<number>();
  private built = false;

  private readonly query = new QueryTrigrams();
  private sequence = new Int32Array(1024);
  private wordMask = new Int32Array(0);
  private marks = new Uint8Array(0);
  /** By trigram: how many places hold a word with it (at most; a place may hold two such words). */
  private trigramDocs = new Int32Array(TRIGRAM_CODES);

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
   * build. `words`: the query's, normalised and corrected.
   */
  search(words: string[], page: { limit: number; after?: { key: number; id: number } }): TextHit[] | undefined {
    const after = page.after ? { key: Math.fround(page.after.key), id: page.after.id } : undefined;
    const best: TextHit[] = [];
    const full = () => best.length === page.limit;
    const answered = this.walk(words, {
      // Candidates come in id order: a later one that can at best tie with the worst kept loses the tie.
      mayEnter: (lowestKey, inOrder) => {
        if (!full()) return true;
        const worst = best[best.length - 1].key;
        return lowestKey < worst || (lowestKey === worst && !inOrder);
      },
      visit: (doc, key) => {
        const id = this.docIds[doc];
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
      done: () => full() && best[best.length - 1].key === 0,
    });
    return answered ? best : undefined;
  }

  /** How many places match, counting no further than `upTo`; undefined before the first build. */
  count(words: string[], upTo: number): number | undefined {
    let found = 0;
    const answered = this.walk(words, {
      mayEnter: () => true,
      visit: () => found++,
      done: () => found >= upTo,
    });
    return answered ? Math.min(found, upTo) : undefined;
  }

  /**
   * Visits each matching place with its key: the candidates in id order until `sink.done()`, then the
   * places set apart. A match shares at least 60 % of the query's trigrams (similarity ≤ shared /
   * query's), so it holds one of the query's rarest (n − m + 1) trigrams: the candidates are the places
   * holding a word with one of those. Each candidate's shared trigrams bound its similarity before it
   * is computed.
   */
  private walk(words: string[], sink: TextSink): boolean {
    if (!this.built) return false;
    this.query.set(words);
    const codes = this.query.codes;
    const n = codes.length;
    if (n === 0) return true;
    const needed = Math.ceil((3 * n) / 5);
    const touched = this.markWords(codes);
    try {
      const wide = n > 31;
      const check = (doc: number, inOrder: boolean) => {
        if (!this.alive[doc]) return;
        const start = this.tokenStart[doc];
        const end = start + this.tokenCount[doc];
        let held = 0;
        for (let t = start; t < end; t++)
          held = wide ? held + this.wordMask[this.tokens[t]] : held | this.wordMask[this.tokens[t]];
        const shared = wide ? held : bitCount(held);
        if (shared < needed || !sink.mayEnter(Math.fround(1 - Math.fround(shared / n)), inOrder)) return;
        const similarity = this.similarityOf(start, end);
        if (similarity >= THRESHOLD) sink.visit(doc, Math.fround(1 - similarity));
      };
      const rarest = [...codes].sort((a, b) => this.trigramDocs[a] - this.trigramDocs[b]).slice(0, n - needed + 1);
      this.eachCandidate(rarest, (doc) => {
        if (!this.isApart[doc]) check(doc, true);
        return sink.done();
      });
      for (const doc of this.apart) check(doc, false);
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
    if (this.wordMask.length < this.words.length) this.wordMask = new Int32Array(this.words.length * 2);
    const wide = codes.length > 31;
    const touched: number[] = [];
    const mark = (w: number, bit: number) => {
      if (this.wordMask[w] === 0) touched.push(w);
      this.wordMask[w] = wide ? this.wordMask[w] + 1 : this.wordMask[w] | (1 << bit);
    };
    codes.forEach((code, bit) => {
      for (let i = this.wordsOfTrigramStart[code]; i < this.wordsOfTrigramStart[code + 1]; i++) {
        mark(this.wordsOfTrigram[i], bit);
      }
    });
    // Words first seen since the build are not in wordsOfTrigram (only places set apart hold them).
    for (let w = this.builtWords; w < this.words.length; w++) {
      const seen = new Set<number>();
      for (let i = this.trigramStart[w]; i < this.trigramStart[w + 1]; i++) {
        const code = this.trigramArena[i];
        const bit = codes.indexOf(code);
        if (bit < 0 || seen.has(code)) continue;
        seen.add(code);
        mark(w, bit);
      }
    }
    return touched;
  }

  /** The candidates holding one of these trigrams, each once, in doc (= id) order, until `visit` says stop. */
  private eachCandidate(codes: number[], visit: (doc: number) => boolean) {
    let total = 0;
    const lists: number[] = [];
    for (const code of codes) {
      for (let i = this.wordsOfTrigramStart[code]; i < this.wordsOfTrigramStart[code + 1]; i++) {
        const w = this.wordsOfTrigram[i];
        lists.push(w);
        total += this.postingStart[w + 1] - this.postingStart[w];
      }
    }
    if (total <= SORTED_AT_MOST) {
      const docs = new Int32Array(total);
      let n = 0;
      for (const w of lists) {
        docs.set(this.postings.subarray(this.postingStart[w], this.postingStart[w + 1]), n);
        n += this.postingStart[w + 1] - this.postingStart[w];
      }
      docs.sort();
      for (let i = 0; i < n; i++) if ((i === 0 || docs[i] !== docs[i - 1]) && visit(docs[i])) return;
      return;
    }
    // Many: marked in a byte per place, then read in order.
    if (this.marks.length < this.docCount) this.marks = new Uint8Array(this.docIds.length);
    const marks = this.marks;
    try {
      for (const w of lists)
        for (let i = this.postingStart[w]; i < this.postingStart[w + 1]; i++) marks[this.postings[i]] = 1;
      for (let doc = 0; doc < this.docCount; doc++) if (marks[doc] && visit(doc)) return;
    } finally {
      marks.fill(0);
    }
  }

  /** pg_trgm's word similarity of the query to the doc whose tokens are [start, end). */
  private similarityOf(start: number, end: number): number {
    let length = 0;
    for (let t = start; t < end; t++) {
      const word = this.tokens[t];
      length += this.trigramStart[word + 1] - this.trigramStart[word];
    }
    if (length > this.sequence.length) this.sequence = new Int32Array(length * 2);
    let n = 0;
    for (let t = start; t < end; t++) {
      const word = this.tokens[t];
      for (let i = this.trigramStart[word]; i < this.trigramStart[word + 1]; i++)
        this.sequence[n++] = this.trigramArena[i];
    }
    return this.query.similarityTo(this.sequence, 0, n);
  }
}

interface TextSink {
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
