/** What the matcher reads of the places' words (place-texts.ts keeps and writes them). */
export interface IndexedTexts {
  readonly words: readonly string[];
  /** A word's id, if some place holds it (or held it). */
  wordIdOf(word: string): number | undefined;
  /** Each word's trigram codes: trigramArena[trigramStart[w] .. trigramStart[w + 1]). */
  readonly trigramStart: Int32Array;
  readonly trigramArena: Int32Array;
  /** By doc (a place, numbered in id order): its id, its word ids in `tokens`, whether it still counts. */
  readonly docIds: Float64Array;
  readonly tokenStart: Int32Array;
  readonly tokenCount: Uint16Array;
  readonly tokens: Uint16Array | Int32Array;
  readonly alive: Uint8Array;
  readonly docCount: number;
  /** Each built word's docs: postings[postingStart[w] .. postingStart[w + 1]), in doc order. */
  readonly postingStart: Int32Array;
  readonly postings: Int32Array;
  readonly builtWords: number;
  /** Each trigram's built words: wordsOfTrigram[wordsOfTrigramStart[c] .. wordsOfTrigramStart[c + 1]). */
  readonly wordsOfTrigramStart: Int32Array;
  readonly wordsOfTrigram: Int32Array;
  /** By trigram: how many docs hold a word with it (at most). */
  readonly trigramDocs: Int32Array;
  /** Docs written since the build, or out of id order: not in order in the postings. */
  readonly apart: ReadonlySet<number>;
  readonly isApart: Uint8Array;
  readonly built: boolean;
  /** Moves at every build of the postings (when the docs are numbered again). */
  readonly builds: number;
  /** Moves at every write. */
  readonly generation: number;
}

/** Up to this many postings, the candidates are sorted; beyond, counted in a byte per place. */
const SORTED_AT_MOST = 65_536;

/**
 * The docs holding at least `minHits` of these trigrams (through their words' postings), each once,
 * in doc (= id) order, until `visit` says stop; `hitsNeeded()` may ask for more as the answer fills.
 * A doc holding one trigram through two words counts it twice: more candidates, never fewer.
 * `scratch.marks`: a byte per doc, kept between calls (zero between them).
 */
export function forEachCandidate(
  texts: IndexedTexts,
  scratch: { marks: Uint8Array },
  codes: number[],
  candidates: { minHits: number; hitsNeeded: () => number },
  visit: (doc: number) => boolean,
): void {
  const { minHits, hitsNeeded } = candidates;
  let total = 0;
  const lists: number[] = [];
  for (const code of codes) {
    for (let i = texts.wordsOfTrigramStart[code]; i < texts.wordsOfTrigramStart[code + 1]; i++) {
      const w = texts.wordsOfTrigram[i];
      lists.push(w);
      total += texts.postingStart[w + 1] - texts.postingStart[w];
    }
  }
  if (total <= SORTED_AT_MOST) {
    const docs = new Int32Array(total);
    let n = 0;
    for (const w of lists) {
      docs.set(texts.postings.subarray(texts.postingStart[w], texts.postingStart[w + 1]), n);
      n += texts.postingStart[w + 1] - texts.postingStart[w];
    }
    docs.sort();
    // A doc's run is as long as the lists holding it.
    for (let i = 0, j = 0; i < n; i = j) {
      while (j < n && docs[j] === docs[i]) j++;
      if (j - i >= minHits && j - i >= hitsNeeded() && visit(docs[i])) return;
    }
    return;
  }
  // Many: counted in a byte per place, then read in order.
  if (scratch.marks.length < texts.docCount) scratch.marks = new Uint8Array(4 * Math.ceil(texts.docIds.length / 4));
  const marks = scratch.marks;
  // The hits asked for are at most one more than the trigrams' lists: below 127 of them (any text
  // of a few words), the marks stop at 127 and are read four at a time; else one by one, up to 255.
  const fourAtATime = codes.length < 126;
  const markAtMost = fourAtATime ? 127 : 255;
  try {
    for (const w of lists) {
      for (let i = texts.postingStart[w]; i < texts.postingStart[w + 1]; i++) {
        const doc = texts.postings[i];
        if (marks[doc] < markAtMost) marks[doc]++;
      }
    }
    if (!fourAtATime) {
      for (let doc = 0; doc < texts.docCount; doc++) {
        if (marks[doc] >= minHits && marks[doc] >= hitsNeeded() && visit(doc)) return;
      }
      return;
    }
    // Four places at a time: a byte b ≤ 127 is at least minHits when b + 128 − minHits sets its top
    // bit (no carry between bytes). Few places are candidates: most groups are passed over at once.
    const groups = new Uint32Array(marks.buffer, marks.byteOffset, marks.length >> 2);
    const raise = (128 - minHits) * 0x01010101;
    const last = Math.ceil(texts.docCount / 4);
    for (let g = 0; g < last; g++) {
      if (((groups[g] + raise) & 0x80808080) === 0) continue;
      for (let doc = 4 * g; doc < 4 * g + 4; doc++) {
        if (marks[doc] >= minHits && marks[doc] >= hitsNeeded() && visit(doc)) return;
      }
    }
  } finally {
    marks.fill(0);
  }
}
