import { describe, expect, it } from 'vitest';
import { Known, TextMatchMemos } from '../../server/places/index/text-match-memo.js';

describe("a text's answers kept for each place (text-match-memo.ts)", () => {
  it('when a place was asked, then its answer is known; one never asked is not', () => {
    const memo = new TextMatchMemos().of(['mediatheque'], 1, 100);
    memo.set(3, true);
    memo.set(64, false);
    expect(memo.get(3)).toBe(Known.Matches);
    expect(memo.get(64)).toBe(Known.No);
    expect(memo.get(4)).toBe(Known.NotAsked);
    // A place numbered past the memo (written after it was made) is never taken as known.
    memo.set(500, true);
    expect(memo.get(500)).toBe(Known.NotAsked);
  });

  it('when the same words are asked again, then their answers are there; after a write, forgotten', () => {
    const memos = new TextMatchMemos();
    memos.of(['france', 'services'], 1, 100).set(7, true);
    expect(memos.of(['france', 'services'], 1, 100).get(7)).toBe(Known.Matches);
    expect(memos.of(['france', 'services'], 2, 100).get(7)).toBe(Known.NotAsked);
  });

  it('when more texts are asked than are kept, then the one asked longest ago is forgotten first', () => {
    const memos = new TextMatchMemos();
    memos.of(['first'], 1, 10).set(1, true);
    memos.of(['second'], 1, 10).set(1, true);
    for (let n = 0; n < 31; n++) memos.of([`other${n}`], 1, 10);
    // 33 texts asked, 32 kept: "first" is gone, "second" stays.
    expect(memos.of(['second'], 1, 10).get(1)).toBe(Known.Matches);
    expect(memos.of(['first'], 1, 10).get(1)).toBe(Known.NotAsked);
  });
});
