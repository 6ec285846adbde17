import { describe, expect, it, vi } from 'vitest';
import { PlaceTexts } from '../../server/places/index/place-texts.js';
import { TextMatcher } from '../../server/places/index/text-matches.js';
import { QueryTrigrams, textWords, wordTrigrams } from '../../server/places/index/trigrams.js';

/** Every place's key, asked one by one (no postings, no candidates): what a search must agree with. */
function bruteForce(texts: Map<number, string>, words: string[]) {
  const query = new QueryTrigrams();
  query.set(words);
  return [...texts]
    .map(([id, text]) => {
      const codes = Int32Array.from(textWords(text).flatMap(wordTrigrams));
      return { id, key: Math.fround(1 - query.similarityTo(codes, 0, codes.length)) };
    })
    .filter((hit) => hit.key <= Math.fround(1 - 0.6))
    .sort((a, b) => a.key - b.key || a.id - b.id);
}

const TOWNS = ['lyon', 'marseille', 'montpellier', 'monnes', 'bouchon', 'vouzon', 'saint etienne de tinee'];
const KINDS = ['mediatheque', 'espace numerique', 'tiers lieu', 'france services', 'mediatheques', 'cyber base'];

function sampleTexts(count: number, seed = 7): Map<number, string> {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const texts = new Map<number, string>();
  for (let id = 1; id <= count; id++) {
    texts.set(
      id,
      `${pick(KINDS)} ${pick(TOWNS)} ${10000 + Math.floor(random() * 80000)} ${pick(['rue', 'av'])} du port`,
    );
  }
  return texts;
}

function loaded(texts: Map<number, string>, options: ConstructorParameters<typeof PlaceTexts>[0] = {}) {
  const index = new PlaceTexts(options);
  for (const [id, text] of texts) index.upsert(id, text);
  index.buildPostings();
  return index;
}

const QUERIES = [
  'mediatheque',
  'mediatheque lyon',
  'monnes',
  'espace numerique montpellier',
  'du port',
  'zzqx',
  'lyon zz',
];

/** Each text's first 25 matches, in order, and its count (no further than `upTo`) are those of asking every place. */
function expectAsAskingEveryPlace(texts: Map<number, string>, queries: string[], upTo: number) {
  const index = loaded(texts);
  for (const q of queries) {
    const words = textWords(q);
    const expected = bruteForce(texts, words);
    expect(index.search(words, { limit: 25 }), q).toEqual(expected.slice(0, 25));
    expect(index.count(words, upTo), q).toBe(expected.length);
  }
}

describe('text search from memory (PlaceTexts)', () => {
  it('when searched, then the matches and their order are those of asking every place', () => {
    expectAsAskingEveryPlace(sampleTexts(3000), QUERIES, 5000);
  });

  it('when a text has too many candidates to sort them, then the matches are still those of asking every place', () => {
    // 12,000 places all holding "du port": its rarest trigrams' lists hold more than 65,536 postings,
    // so the candidates are counted in a byte per place and read four at a time.
    expectAsAskingEveryPlace(
      sampleTexts(12_000),
      ['du port', 'rue du port', 'av du port lyon', 'mediatheque du port'],
      20_000,
    );
  });

  it('when pages are searched with a count beside them, then each count is right and none walks again', () => {
    const texts = sampleTexts(3000);
    const index = loaded(texts);
    // The walk is private: spied on to see that the counts come from the pages' own walks.
    const walks = vi.spyOn(TextMatcher.prototype as unknown as { walk: () => string }, 'walk');
    const asked = QUERIES.map(textWords);
    // Every page first, then every count: under load, other searches run between a page and its count.
    for (const words of asked) {
      expect(index.search(words, { limit: 5, countUpTo: 101 }), words.join(' ')).toEqual(
        bruteForce(texts, words).slice(0, 5),
      );
    }
    for (const words of asked) {
      expect(index.count(words, 101), words.join(' ')).toBe(Math.min(bruteForce(texts, words).length, 101));
    }
    expect(walks).toHaveBeenCalledTimes(asked.length);
    // A count past what the page counted walks again, and is still right.
    const common = textWords('mediatheque');
    expect(index.count(common, 5000)).toBe(bruteForce(texts, common).length);
    expect(walks).toHaveBeenCalledTimes(asked.length + 1);
    // A write: the counts kept are forgotten.
    index.upsert(1, 'mediatheque kerouzere');
    texts.set(1, 'mediatheque kerouzere');
    expect(index.count(textWords('monnes'), 101)).toBe(Math.min(bruteForce(texts, ['monnes']).length, 101));
    expect(walks).toHaveBeenCalledTimes(asked.length + 2);
    walks.mockRestore();
  });

  it('when its likely matches are asked, then every match is among them, once, before and after writes', () => {
    // Those of the build by id, kept; those written since apart, found again at every call.
    const texts = sampleTexts(3000);
    const index = loaded(texts);
    const holdsEveryMatch = (q: string) => {
      const words = textWords(q);
      const { built, since } = index.candidates(words, 10_000)!;
      expect([...built], q).toEqual([...built].sort((a, b) => a - b));
      const likely = [...built, ...since];
      expect(new Set(likely).size, q).toBe(likely.length);
      for (const { id } of bruteForce(texts, words)) expect(likely, `${q}: ${id}`).toContain(id);
      // Not every place: the candidates are a search's, not the whole index.
      if (q !== 'du port') expect(likely.length, q).toBeLessThan(texts.size);
    };
    QUERIES.forEach(holdsEveryMatch);
    texts.set(17, 'tiers lieu kerouzere');
    index.upsert(17, 'tiers lieu kerouzere');
    texts.set(9000, 'mediatheque kerouzere');
    index.upsert(9000, 'mediatheque kerouzere');
    ['kerouzere', 'mediatheque', 'tiers lieu lyon'].forEach(holdsEveryMatch);
    expect(index.candidates(textWords('mediatheque'), 10)).toBeNull();
  });

  it('when paged with the last key and id, then every match comes once, in order', () => {
    const texts = sampleTexts(2000);
    const index = loaded(texts);
    const words = textWords('espace numerique lyon');
    const all = [];
    let after: { key: number; id: number } | undefined;
    for (;;) {
      const page = index.search(words, { limit: 7, after })!;
      all.push(...page);
      if (page.length < 7) break;
      after = page[page.length - 1];
    }
    expect(all).toEqual(bruteForce(texts, words));
  });

  it('when places are written after the build, then the next search sees them before any rebuild', () => {
    const texts = sampleTexts(1000);
    const index = loaded(texts);
    const words = textWords('kerouzere');
    expect(index.search(words, { limit: 5 })).toEqual([]);
    index.upsert(500, 'tiers lieu kerouzere 29000 rue du port'); // an existing place renamed
    index.upsert(2_000_000, 'kerouzere numerique'); // a new one
    index.upsert(0.5e6 + 1, 'mediatheque kerouzere'); // a new id below the largest: out of order
    expect(index.search(words, { limit: 5 })!.map((hit) => hit.id)).toEqual([500, 500_001, 2_000_000]);
    index.remove(500);
    texts.delete(500);
    expect(index.search(textWords('mediatheque'), { limit: 30 })).toEqual(
      bruteForce(new Map([...texts, [500_001, 'mediatheque kerouzere']]), ['mediatheque']).slice(0, 30),
    );
    index.buildPostings();
    expect(index.search(words, { limit: 5 })!.map((hit) => hit.id)).toEqual([500_001, 2_000_000]);
  });

  it('when nothing is built yet, then it says it cannot answer', () => {
    const index = new PlaceTexts();
    index.upsert(1, 'mediatheque');
    expect(index.search(['mediatheque'], { limit: 5 })).toBeUndefined();
  });

  it('when a text would read more postings than allowed, then it says so instead of answering', () => {
    const texts = sampleTexts(500);
    const index = loaded(texts, { postingsAtMost: 1000 });
    expect(index.search(textWords('mediatheque du port'), { limit: 5 })).toBeUndefined();
    expect(index.count(textWords('mediatheque du port'), 10)).toBeUndefined();
    expect(index.search(textWords('vouzon'), { limit: 5 })).toEqual(bruteForce(texts, ['vouzon']).slice(0, 5));
  });

  it('when a text would take more work than allowed (short common words), then it says so', () => {
    const texts = sampleTexts(500);
    const index = loaded(texts, { workAtMost: 50 });
    expect(index.search(textWords('ru du p'), { limit: 5 })).toBeUndefined();
  });

  it('when a page counts its matches too, then it answers what it answered without, and so does its count', () => {
    // The counting is not taken from what a text may do: a page near that bound still answers.
    const texts = sampleTexts(6000);
    const queries = [['etien'], ['marse', 'ru'], ['mediathequ', 'ba'], ['etie', 'monn', 'mediatheque'], ['du', 'port']];
    for (const workAtMost of [300, 4000, 8000, 10_000]) {
      const alone = loaded(texts, { workAtMost });
      for (const words of queries) {
        for (const limit of [6, 26]) {
          const page = alone.search(words, { limit });
          const counted = alone.count(words, 101);
          const withCount = loaded(texts, { workAtMost });
          const label = `${words.join(' ')}, limit ${limit}, work ${workAtMost}`;
          if (page) expect(withCount.search(words, { limit, countUpTo: 101 }), label).toEqual(page);
          else withCount.search(words, { limit, countUpTo: 101 });
          if (counted !== undefined) expect(withCount.count(words, 101), label).toBe(counted);
        }
      }
    }
  });

  it('when many texts were searched since a page, then its count is walked again (the counts kept are bounded)', () => {
    const texts = sampleTexts(500);
    const index = loaded(texts);
    const walks = vi.spyOn(TextMatcher.prototype as unknown as { walk: () => string }, 'walk');
    const first = textWords('lyon');
    index.search(first, { limit: 5, countUpTo: 101 });
    for (let n = 0; n < 300; n++) index.search([`zz${n}`], { limit: 5, countUpTo: 101 });
    expect(index.count(first, 101)).toBe(Math.min(bruteForce(texts, first).length, 101));
    expect(walks).toHaveBeenCalledTimes(302);
    walks.mockRestore();
  });

  it('when a page gave up on a text for its postings, then its count says so at once instead of trying again', () => {
    const texts = sampleTexts(500);
    const index = loaded(texts, { postingsAtMost: 1000 });
    const walks = vi.spyOn(TextMatcher.prototype as unknown as { walk: () => string }, 'walk');
    const words = textWords('mediatheque du port');
    expect(index.search(words, { limit: 5, countUpTo: 101 })).toBeUndefined();
    expect(index.count(words, 101)).toBeUndefined();
    expect(walks).toHaveBeenCalledTimes(1);
    walks.mockRestore();
  });

  it('when places come back after others with larger ids, then the next build puts them in order', () => {
    const texts = sampleTexts(3000);
    const index = loaded(texts);
    for (let id = 1; id <= 2500; id++) index.remove(id);
    for (let id = 1; id <= 2500; id++) index.upsert(id, texts.get(id)!);
    expect(index.apart.size).toBe(2500);
    expect(index.needsBuild).toBe(true);
    index.buildPostings();
    expect(index.apart.size).toBe(0);
    expect(index.needsBuild).toBe(false);
    expect(index.search(textWords('mediatheque lyon'), { limit: 30 })).toEqual(
      bruteForce(texts, textWords('mediatheque lyon')).slice(0, 30),
    );
  });

  it('when a place is read again with the same words, then nothing is rewritten', () => {
    const texts = sampleTexts(100);
    const index = loaded(texts);
    index.upsert(7, texts.get(7)!);
    expect(index.apart.size).toBe(0);
    index.upsert(7, 'cyber base kerouzere');
    expect(index.apart.size).toBe(1);
  });
});
