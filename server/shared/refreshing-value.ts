import { outsideRequests } from './outside-requests.js';

/**
 * A value that is costly to compute and may be a little old (how many places carry each label):
 * computed once, then at most once per `maxAgeMs`. Past that age the old value is still served while
 * one fresh computation runs, so no request waits for it but the very first. A failed refresh keeps
 * the old value and is tried again by the next request.
 */
export function refreshingValue<T>(load: () => Promise<T>, maxAgeMs: number, now: () => number = Date.now) {
  let current: { value: T; at: number } | undefined;
  let loading: Promise<T> | undefined;

  function refresh(): Promise<T> {
    // Shared by every request meanwhile: loaded outside the one that started it.
    loading ??= outsideRequests(load)
      .then((value) => {
        current = { value, at: now() };
        return value;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  return function get(): Promise<T> {
    if (!current) return refresh();
    if (now() - current.at > maxAgeMs) refresh().catch(() => {});
    return Promise.resolve(current.value);
  };
}
