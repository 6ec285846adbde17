import { describe, expect, it } from 'vitest';
import { refreshingValue } from '../../server/shared/refreshing-value.js';

describe('a value refreshed at most once per period', () => {
  function counter() {
    let calls = 0;
    let time = 0;
    let failNext = false;
    const get = refreshingValue(
      () => {
        calls++;
        if (failNext) return Promise.reject(new Error('base indisponible'));
        return Promise.resolve(calls);
      },
      1000,
      () => time,
    );
    return {
      get,
      calls: () => calls,
      advance: (ms: number) => (time += ms),
      failNextLoad: () => (failNext = true),
    };
  }

  it('when asked many times within the period, then it is computed once', async () => {
    const value = counter();
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([1, 1, 1]);
    value.advance(999);
    expect(await value.get()).toBe(1);
    expect(value.calls()).toBe(1);
  });

  it('when the period has passed, then the old value is served once more while a fresh one is computed', async () => {
    const value = counter();
    await value.get();
    value.advance(1001);
    expect(await value.get()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await value.get()).toBe(2);
    expect(value.calls()).toBe(2);
  });

  it('when a refresh fails, then the old value stays and the next request tries again', async () => {
    const value = counter();
    await value.get();
    value.advance(1001);
    value.failNextLoad();
    expect(await value.get()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await value.get()).toBe(1);
    expect(value.calls()).toBe(3);
  });
});
