import { describe, expect, it } from 'vitest';
import { scoreCandidates } from '../../server/places/duplicates.js';

const hit = (aId: number, bId: number, rule: 'pivot' | 'name_nearby' | 'phone' | 'email', extra = {}) => ({
  aId,
  bId,
  rule,
  similarity: null,
  distanceM: null,
  ...extra,
});

describe('scoring duplicate candidates', () => {
  it('when a pair is found by several rules, then it is one candidate with every reason, its points added up', () => {
    const [candidate] = scoreCandidates([
      hit(1, 2, 'phone'),
      hit(1, 2, 'name_nearby', { similarity: 0.8, distanceM: 42.4 }),
      hit(1, 2, 'phone'),
    ]);
    expect(candidate).toEqual({
      aId: 1,
      bId: 2,
      score: 74,
      reasons: ['Nom semblable à 80 %, à 42 m', 'Même téléphone dans la même commune'],
    });
  });

  it('when everything matches, then the score stops at 100', () => {
    const hits = [hit(3, 4, 'pivot'), hit(3, 4, 'phone'), hit(3, 4, 'email')];
    expect(scoreCandidates(hits)[0].score).toBe(100);
  });

  it('when pairs are scored, then the best come first, ties by the oldest pair', () => {
    const order = scoreCandidates([hit(5, 6, 'email'), hit(1, 9, 'pivot'), hit(2, 3, 'phone')]).map((c) => [
      c.aId,
      c.bId,
    ]);
    expect(order).toEqual([
      [1, 9],
      [2, 3],
      [5, 6],
    ]);
  });
});
