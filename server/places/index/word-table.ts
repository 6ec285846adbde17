/**
 * The words of the places' texts, each once with its id, read straight from a text's characters.
 * A million texts hold ~11 million words but only ~40,000 distinct ones: splitting each text into
 * strings and asking a Map for each made 11 million short-lived strings (their hashing, then their
 * collection) at every start. Here a word is hashed and compared in place, and only a word never
 * seen makes a string. Words are runs of [a-z0-9], as textWords (trigrams.ts) and pg_trgm split them.
 */
const EMPTY = -1;

function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

/** FNV-1a over the characters text[from..to). */
function hashOf(text: string, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export class WordTable {
  readonly words: string[] = [];
  private hashes = new Uint32Array(1024);
  /** Open addressing: a word id, or EMPTY; a power of two long, never more than half full. */
  private slots = new Int32Array(2048).fill(EMPTY);
  /** The ids of the text last read (see idsOf). */
  private textIds = new Int32Array(256);

  /** `added`: told each word the first time it is seen, with its new id (ids count up from 0). */
  constructor(private readonly added: (word: string, id: number) => void = () => {}) {}

  get size(): number {
    return this.words.length;
  }

  idOf(word: string): number | undefined {
    const id = this.find(word, 0, word.length, hashOf(word, 0, word.length));
    return id === EMPTY ? undefined : id;
  }

  /**
   * The ids of the text's words, in order, at most `atMost` of them; new words are added. A view
   * over the table's own array, valid until the next call.
   */
  idsOf(text: string, atMost: number): Int32Array {
    let n = 0;
    let i = 0;
    const length = text.length;
    while (i < length && n < atMost) {
      while (i < length && !isWordChar(text.charCodeAt(i))) i++;
      if (i === length) break;
      const start = i;
      while (i < length && isWordChar(text.charCodeAt(i))) i++;
      if (n === this.textIds.length) {
        const grown = new Int32Array(this.textIds.length * 2);
        grown.set(this.textIds);
        this.textIds = grown;
      }
      this.textIds[n++] = this.intern(text, start, i);
    }
    return this.textIds.subarray(0, n);
  }

  private intern(text: string, from: number, to: number): number {
    const hash = hashOf(text, from, to);
    const found = this.find(text, from, to, hash);
    if (found !== EMPTY) return found;
    const word = text.slice(from, to);
    const id = this.words.push(word) - 1;
    if (id === this.hashes.length) {
      const grown = new Uint32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = hash;
    if (2 * this.words.length > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id, hash);
    this.added(word, id);
    return id;
  }

  /** The id of text[from..to) if known, else EMPTY. */
  private find(text: string, from: number, to: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const id = this.slots[at];
      if (id === EMPTY) return EMPTY;
      if (this.hashes[id] === hash && sameWord(this.words[id], text, from, to)) return id;
    }
  }

  private place(id: number, hash: number) {
    const mask = this.slots.length - 1;
    let at = hash & mask;
    while (this.slots[at] !== EMPTY) at = (at + 1) & mask;
    this.slots[at] = id;
  }

  private rehash(size: number) {
    this.slots = new Int32Array(size).fill(EMPTY);
    for (let id = 0; id < this.words.length; id++) this.place(id, this.hashes[id]);
  }
}

function sameWord(word: string, text: string, from: number, to: number): boolean {
  if (word.length !== to - from) return false;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(from + i)) return false;
  return true;
}
