import { describe, expect, it } from 'vitest';
import { DisplayCache } from '../../server/places/index/display-cache.js';
import { sharedRead } from '../../server/places/index/shared-read.js';
import { createOpeningStates } from '../../server/places/opening-states.js';
import { openingStateAt } from '../../server/shared/opening-hours.js';

const day = 20_000;

describe('the display cache of the index', () => {
  it('when more places are stored than its capacity, then the least recently used ones leave', () => {
    const cache = new DisplayCache<string>(3, 60_000);
    cache.store(
      [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ],
      cache.readGeneration,
      0,
      day,
    );
    expect(cache.get(1, 0, day)).toBe('a');
    cache.store([[4, 'd']], cache.readGeneration, 0, day);
    expect(cache.size).toBe(3);
    expect(cache.get(2, 0, day)).toBeUndefined();
    expect([1, 3, 4].map((id) => cache.get(id, 0, day))).toEqual(['a', 'c', 'd']);
  });

  it('when places are stored, used and forgotten at random, the least recently used leave, as a list says', () => {
    const capacity = 50;
    const cache = new DisplayCache<number>(capacity, 60_000);
    // The reference: ids from least to most recently used.
    let model: number[] = [];
    const use = (id: number) => (model = [...model.filter((m) => m !== id), id]);
    let state = 7;
    const random = (n: number) => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
    for (let step = 0; step < 20_000; step++) {
      const id = random(200);
      const action = random(10);
      if (action < 4) {
        const row = cache.get(id, 0, day);
        expect(row).toBe(model.includes(id) ? id : undefined);
        if (model.includes(id)) use(id);
      } else if (action < 9) {
        cache.store([[id, id]], cache.readGeneration, 0, day);
        use(id);
        if (model.length > capacity) model.shift();
      } else {
        cache.forget([id]);
        model = model.filter((m) => m !== id);
      }
      if (step % 5_000 === 4_999) {
        cache.clear();
        model = [];
      }
      expect(cache.size).toBe(model.length);
    }
  });

  it('when a place is forgotten while its row is being read, then the read is not stored', () => {
    const cache = new DisplayCache<string>(10, 60_000);
    const generation = cache.readGeneration;
    cache.forget([1]);
    cache.store([[1, 'old row']], generation, 0, day);
    expect(cache.get(1, 0, day)).toBeUndefined();
  });

  it('when an entry is older than its age limit or from another day, then it is not served', () => {
    const cache = new DisplayCache<string>(10, 60_000);
    cache.store(
      [
        [1, 'a'],
        [2, 'b'],
      ],
      cache.readGeneration,
      0,
      day,
    );
    expect(cache.get(1, 60_001, day)).toBeUndefined();
    expect(cache.get(2, 10, day + 1)).toBeUndefined();
  });
});

describe('a read shared by concurrent requests', () => {
  function counter() {
    let reads = 0;
    const answers: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
    const shared = sharedRead(
      () =>
        new Promise<number>((resolve, reject) => {
          reads++;
          answers.push({ resolve, reject });
        }),
    );
    return {
      shared,
      reads: () => reads,
      answer: (i: number, value: number) => answers[i].resolve(value),
      fail: (i: number, error: Error) => answers[i].reject(error),
    };
  }

  it('when requests arrive together, then one read serves them all', async () => {
    const { shared, reads, answer } = counter();
    const ticket = shared.ticket();
    const both = Promise.all([shared.read(ticket), shared.read(ticket)]);
    answer(0, 7);
    expect(await both).toEqual([7, 7]);
    expect(reads()).toBe(1);
  });

  it('when a request comes while an older read is in flight, then it waits for a read sent after it came', async () => {
    const { shared, reads, answer } = counter();
    const first = shared.read(shared.ticket());
    const later = [shared.read(shared.ticket()), shared.read(shared.ticket())];
    answer(0, 1);
    expect(await first).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads()).toBe(2);
    answer(1, 2);
    expect(await Promise.all(later)).toEqual([2, 2]);
  });

  it('when the read in flight fails, then those waiting for the next one fail with it, no second read', async () => {
    const { shared, reads, fail } = counter();
    const first = shared.read(shared.ticket());
    const later = shared.read(shared.ticket());
    fail(0, new Error('base injoignable'));
    await expect(first).rejects.toThrow('base injoignable');
    await expect(later).rejects.toThrow('base injoignable');
    expect(reads()).toBe(1);
  });

  it('when a read has been answered, then a request arriving after it reads again', async () => {
    const { shared, reads, answer } = counter();
    const first = shared.read(shared.ticket());
    answer(0, 1);
    await first;
    const second = shared.read(shared.ticket());
    answer(1, 2);
    expect(await second).toBe(2);
    expect(reads()).toBe(2);
  });
});

describe('opening states of a result list', () => {
  const rules = ['Mo-Fr 09:00-12:00,14:00-17:30; PH off', 'Tu,Th 10:00-12:00', 'Sa 09:30-12:00', 'sunrise-sunset'];
  const instants = ['2026-12-07T07:59:59Z', '2026-12-07T08:00:30Z', '2026-12-08T16:29:10Z', '2026-12-25T09:00:00Z'];

  it('when a rule is asked once per minute, then each place gets what the library says at that instant', () => {
    const openingStates = createOpeningStates((state) => state);
    for (const iso of instants) {
      for (const rule of rules) {
        const now = new Date(iso);
        expect(openingStates(rule, now)).toEqual(openingStateAt(rule, now));
        expect(openingStates(rule, new Date(now.getTime() + 20_000))).toEqual(
          openingStateAt(rule, new Date(now.getTime() + 20_000)),
        );
      }
    }
    expect(openingStates(null, new Date())).toEqual({ open: null, nextChange: null });
  });

  it('when a rule is asked minute after minute across its changes, then each answer is the library’s', () => {
    const openingStates = createOpeningStates((state) => state);
    const rule = rules[0];
    // Monday 7 December 2026 from 08:00 to 18:00 in Paris, every 7 minutes; then a day later, then back.
    const start = Date.parse('2026-12-07T07:00:00Z');
    const steps = [...Array.from({ length: 90 }, (_, i) => start + i * 7 * 60_000), start + 86_400_000, start];
    for (const at of steps) {
      const now = new Date(at);
      const minute = new Date(Math.floor(at / 60_000) * 60_000);
      expect(openingStates(rule, now), now.toISOString()).toEqual(openingStateAt(rule, minute));
    }
  });
});
