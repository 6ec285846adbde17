import { describe, expect, it } from 'vitest';
import { PlaceTexts } from '../../server/places/index/place-texts.js';
import { QueryOverTexts, THRESHOLD } from '../../server/places/index/text-query.js';
import { textWords } from '../../server/places/index/trigrams.js';

/** Texts by id 1…n; after the build, place i + 1 is doc i. */
function built(texts: string[]) {
  const index = new PlaceTexts();
  texts.forEach((text, i) => index.upsert(i + 1, text));
  index.buildPostings();
  return { index, query: new QueryOverTexts(index) };
}

const span = (index: PlaceTexts, doc: number) =>
  [index.tokenStart[doc], index.tokenStart[doc] + index.tokenCount[doc]] as const;

const WORDS = [
  'maison',
  'maisons',
  'roland',
  'rolland',
  'rue',
  'de',
  'la',
  'roseraie',
  'quartier',
  'saint',
  'sainte',
  'etienne',
  'mars',
  'du',
  'desert',
  'mediatheque',
  'parc',
  'royal',
  'parroy',
  'lison',
  'lisons',
  'port',
  'ma',
  'son',
  'aaaa',
];

describe('the bound tried before a similarity (QueryOverTexts.mayReachThreshold)', () => {
  it('when a place matches a query, then the bound never rules it out (random texts and queries)', () => {
    let state = 11;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = () => WORDS[Math.floor(random() * WORDS.length)];
    const texts = Array.from({ length: 3000 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 9) }, pick).join(' '),
    );
    const { index, query } = built(texts);
    let matches = 0;
    let ruledOut = 0;
    for (let q = 0; q < 150; q++) {
      const words = textWords(Array.from({ length: 1 + Math.floor(random() * 3) }, pick).join(' '));
      query.set(words);
      for (let doc = 0; doc < texts.length; doc++) {
        const [start, end] = span(index, doc);
        const similar = query.similarityOf(start, end) >= THRESHOLD;
        const may = query.mayReachThreshold(start, end);
        if (similar) {
          matches++;
          expect(may, `${words.join(' ')} / ${texts[doc]}`).toBe(true);
        } else if (!may) ruledOut++;
      }
      query.release();
    }
    // The property is not vacuous: both sides occur.
    expect(matches).toBeGreaterThan(1000);
    expect(ruledOut).toBeGreaterThan(1000);
  });

  it('when a query word and a common word are far apart in a text, then no similarity is computed for it', () => {
    const { index, query } = built([
      'maison de quartier rue de la roseraie',
      'maison roland',
      'maison rolland rue du port',
      'espace maisons rolland',
    ]);
    query.set(textWords('maison roland'));
    const verdicts = [0, 1, 2, 3].map((doc) => query.mayReachThreshold(...span(index, doc)));
    expect(verdicts).toEqual([false, true, true, true]);
    query.release();
  });
});
