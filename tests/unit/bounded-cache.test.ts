import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { sharedRead } from '../../server/places/index/shared-read.js';
import { boundedCache, boundedMemo } from '../../server/shared/bounded-cache.js';
import { refreshingValue } from '../../server/shared/refreshing-value.js';

describe('a bounded in-process cache', () => {
  function setup(maxEntries = 2, maxAgeMs = 1000) {
    let time = 0;
    const computed: string[] = [];
    const get = boundedCache<string>({ maxEntries, maxAgeMs, now: () => time });
    const ask = (key: string) =>
      get(key, () => {
        computed.push(key);
        return Promise.resolve(`valeur ${key}`);
      });
    return { ask, computed, advance: (ms: number) => (time += ms) };
  }

  it('when the same key is asked twice within its age, then it is computed once', async () => {
    const { ask, computed } = setup();
    expect(await ask('Lyon')).toBe('valeur Lyon');
    expect(await ask('Lyon')).toBe('valeur Lyon');
    expect(computed).toEqual(['Lyon']);
  });

  it('when an entry is older than its age, then it is computed again', async () => {
    const { ask, computed, advance } = setup();
    await ask('Lyon');
    advance(1001);
    await ask('Lyon');
    expect(computed).toEqual(['Lyon', 'Lyon']);
  });

  it('when full, then the least recently used entry goes first', async () => {
    const { ask, computed } = setup(2);
    await ask('Lyon');
    await ask('Brest');
    await ask('Lyon'); // Lyon is now the most recently used
    await ask('Nice'); // Brest goes
    await ask('Lyon');
    await ask('Brest');
    expect(computed).toEqual(['Lyon', 'Brest', 'Nice', 'Brest']);
  });

  it('when a computation fails, then it is not kept and the next ask computes again', async () => {
    let calls = 0;
    const get = boundedCache<string>({ maxEntries: 10, maxAgeMs: 1000 });
    const failing = () =>
      get('Lyon', () => (++calls === 1 ? Promise.reject(new Error('panne')) : Promise.resolve('ok')));
    await expect(failing()).rejects.toThrow('panne');
    expect(await failing()).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('a bounded memo', () => {
  it('when a key is asked again, then it is not computed again; when full, the least recently used goes first', () => {
    const computed: string[] = [];
    const upper = boundedMemo(2, (key: string) => {
      computed.push(key);
      return key.toUpperCase();
    });
    expect([upper('a'), upper('b'), upper('a')]).toEqual(['A', 'B', 'A']);
    expect(computed).toEqual(['a', 'b']);
    upper('c'); // full: 'b', used least recently, is forgotten, not 'a'
    upper('a');
    upper('b');
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
  });
});

describe('work shared by several requests', () => {
  const request = new AsyncLocalStorage<string>();
  const seenBy = () => request.getStore() ?? 'aucune requête';

  it('when a request starts a shared computation, refresh or read, then it runs outside that request', async () => {
    const get = boundedCache<string>({ maxEntries: 2, maxAgeMs: 1000 });
    const value = refreshingValue(() => Promise.resolve(seenBy()), 1000);
    const shared = sharedRead(() => Promise.resolve(seenBy()));
    const inRequest = await request.run('visiteur parti', () =>
      Promise.all([get('clé', () => Promise.resolve(seenBy())), value(), shared.read(shared.ticket())]),
    );
    // Its client leaving cancels that request's queries only: the others waiting for it are served.
    expect(inRequest).toEqual(['aucune requête', 'aucune requête', 'aucune requête']);
  });
});
