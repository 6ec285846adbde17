/**
 * What a text's test answered for each place, kept while nothing is written (place-texts.ts
 * `prepare`). A search around a point tests the places nearest it against the text, one by one
 * (similarities: ~1 µs each); its count, asked next, tests the same places again, and so do the next
 * searches of the same words nearby ("france services" around a town). Two bits per place (asked,
 * matches): 250 kB a text at a million places, MEMOS_KEPT texts at most.
 */

import { boundedMemo } from '../../shared/bounded-cache.js';

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
  private memoOf: (key: string) => TextMatchMemo = () => new TextMatchMemo(0);
  private generation = -1;

  /** The memo of these words at this generation of the texts, for docs numbered below `docs`. */
  of(words: readonly string[], generation: number, docs: number): TextMatchMemo {
    // The docs are numbered again only at a write, which moves the generation: `docs` holds until then.
    if (generation !== this.generation) {
      this.memoOf = boundedMemo(MEMOS_KEPT, () => new TextMatchMemo(docs));
      this.generation = generation;
    }
    return this.memoOf(words.join(' '));
  }
}
