/**
 * What a text's test answered for each place, kept while nothing is written (place-texts.ts
 * `prepare`). A search around a point tests the places nearest it against the text, one by one
 * (similarities: ~1 µs each); its count, asked next, tests the same places again, and so do the next
 * searches of the same words nearby ("france services" around a town). Two bits per place (asked,
 * matches): 250 kB a text at a million places, MEMOS_KEPT texts at most.
 */

/** Texts whose answers are kept (~8 MB at a million places). */
const MEMOS_KEPT = 32;

/** What a memo knows of a place: `get` answers one of these. */
export const Known = { No: 0, Matches: 1, NotAsked: 2 } as const;
type Known = (typeof Known)[keyof typeof Known];

export class TextMatchMemo {
  private readonly asked: Uint32Array;
  private readonly matched: Uint32Array;

  constructor(readonly docs: number) {
    this.asked = new Uint32Array(Math.ceil(docs / 32));
    this.matched = new Uint32Array(Math.ceil(docs / 32));
  }

  get(doc: number): Known {
    const word = doc >>> 5;
    const bit = 1 << (doc & 31);
    if (doc >= this.docs || (this.asked[word] & bit) === 0) return Known.NotAsked;
    return (this.matched[word] & bit) !== 0 ? Known.Matches : Known.No;
  }

  set(doc: number, matches: boolean) {
    if (doc >= this.docs) return;
    const word = doc >>> 5;
    const bit = 1 << (doc & 31);
    this.asked[word] |= bit;
    if (matches) this.matched[word] |= bit;
  }
}

/** The memos of the last texts tested, by their words; all forgotten when the texts' generation moves. */
export class TextMatchMemos {
  private readonly memos = new Map<string, TextMatchMemo>();
  private generation = -1;

  /** The memo of these words at this generation of the texts, for docs numbered below `docs`. */
  of(words: readonly string[], generation: number, docs: number): TextMatchMemo {
    if (generation !== this.generation) {
      this.memos.clear();
      this.generation = generation;
    }
    const key = words.join(' ');
    let memo = this.memos.get(key);
    if (memo) {
      // Asked again: moved to the end, the last to be forgotten.
      this.memos.delete(key);
    } else {
      memo = new TextMatchMemo(docs);
      if (this.memos.size >= MEMOS_KEPT) {
        for (const oldest of this.memos.keys()) {
          this.memos.delete(oldest);
          break;
        }
      }
    }
    this.memos.set(key, memo);
    return memo;
  }
}
