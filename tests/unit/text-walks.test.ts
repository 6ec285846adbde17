import { describe, expect, it } from 'vitest';
import { PlaceStore } from '../../server/places/index/place-store.js';
import { PlaceTexts } from '../../server/places/index/place-texts.js';
import { countWithText, nearestWithText, TEXT_BUDGET } from '../../server/places/index/text-walks.js';
import { indexedRow } from '../support/index-rows.js';

/** A hundred médiathèques going north from (45, 4), one every 111 m; `workAtMost` as the texts' bound. */
function hundredMediatheques(workAtMost: number) {
  const store = new PlaceStore();
  const texts = new PlaceTexts({ workAtMost });
  for (let id = 1; id <= 100; id++) {
    texts.upsert(id, `mediatheque m${id}`);
    store.upsert(indexedRow(id, 45 + id / 1000, 4));
  }
  store.rebuildTree();
  texts.buildPostings();
  return { store, texts };
}

describe('a common text around a point (text-walks.ts)', () => {
  const search = { lat: 45, lon: 4, radiusKm: 30, filter: { today: 0 }, textWords: ['mediatheque'] };
  const budget = { ...TEXT_BUDGET, matchesRead: 1 };

  it('when its likely matches are few, then they answer, nearest first, and are counted', () => {
    const deps = hundredMediatheques(250_000);
    expect(nearestWithText(deps, search, { limit: 3 }, budget)?.map((hit) => hit.id)).toEqual([1, 2, 3]);
    expect(countWithText(deps, search, 1001, budget)).toEqual({ count: 100, complete: true });
  });

  it('when its likely matches are too costly to list, then the tree walk still answers, not PostgreSQL', () => {
    // A bound of 10 lets the texts read 40 candidates: fewer than the hundred places.
    const deps = hundredMediatheques(10);
    expect(deps.texts.candidates(['mediatheque'], 1_000_000)).toBeNull();
    expect(nearestWithText(deps, search, { limit: 3 }, budget)?.map((hit) => hit.id)).toEqual([1, 2, 3]);
    expect(countWithText(deps, search, 1001, budget)).toEqual({ count: 100, complete: true });
  });

  it("when a place's text changes between two searches of the same words, then the second sees it", () => {
    // The texts' answers for each place are kept between searches (text-match-memo.ts) until a write.
    const deps = hundredMediatheques(250_000);
    expect(nearestWithText(deps, search, { limit: 3 }, budget)?.map((hit) => hit.id)).toEqual([1, 2, 3]);
    deps.texts.upsert(2, 'tiers lieu m2');
    expect(nearestWithText(deps, search, { limit: 3 }, budget)?.map((hit) => hit.id)).toEqual([1, 3, 4]);
    expect(countWithText(deps, search, 1001, budget)).toEqual({ count: 99, complete: true });
    deps.texts.upsert(2, 'mediatheque m2');
    expect(nearestWithText(deps, search, { limit: 3 }, budget)?.map((hit) => hit.id)).toEqual([1, 2, 3]);
  });
});
