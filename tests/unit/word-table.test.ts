import { describe, expect, it } from 'vitest';
import { textWords } from '../../server/places/index/trigrams.js';
import { WordTable } from '../../server/places/index/word-table.js';

function wordsOf(table: WordTable, text: string, atMost = 65_535): string[] {
  return Array.from(table.idsOf(text, atMost), (id) => table.words[id]);
}

describe('the words of the places (WordTable)', () => {
  it('when texts are read, then their words are those pg_trgm splits (textWords), each word one id', () => {
    let state = 5;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 -'/,.éßœ_  ";
    const added: string[] = [];
    const table = new WordTable((word, id) => (added[id] = word));
    for (let t = 0; t < 2000; t++) {
      const text = Array.from(
        { length: Math.floor(random() * 60) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      expect(wordsOf(table, text), JSON.stringify(text)).toEqual(textWords(text));
    }
    // Over 1,500 distinct words: the table (2,048 slots at first, half full at most) grew and still finds each one.
    expect(table.size).toBeGreaterThan(1500);
    expect(added).toEqual(table.words);
    table.words.forEach((word, id) => expect(table.idOf(word)).toBe(id));
    expect(new Set(table.words).size).toBe(table.size);
  });

  it('when a word was never read, then it has no id', () => {
    const table = new WordTable();
    wordsOf(table, 'mediatheque de lyon');
    expect(table.idOf('lyon')).toBe(2);
    expect(table.idOf('lyo')).toBeUndefined();
    expect(table.idOf('')).toBeUndefined();
  });

  it('when a text holds more words than the table read at once before, then its array grows to hold them all', () => {
    const table = new WordTable();
    const words = Array.from({ length: 600 }, (_, i) => `mot${i}`);
    expect(wordsOf(table, words.join(' '))).toEqual(words);
  });

  it('when a text holds more words than allowed, then only the first are read', () => {
    const table = new WordTable();
    expect(wordsOf(table, 'un deux trois quatre', 2)).toEqual(['un', 'deux']);
    expect(table.idOf('trois')).toBeUndefined();
  });
});
