import { AsyncResource } from 'node:async_hooks';

/** Created when this module loads, outside any request: its scope carries no request's context. */
const outside = new AsyncResource('epn.shared-work');

/**
 * Runs work that several requests share (a cached computation, one read serving many) outside the
 * request that happened to start it. Each request's queries are tracked through AsyncLocalStorage
 * and cancelled when its client goes away (server/db/cancel-on-disconnect.ts): shared work started
 * inside that request would be cancelled with it, and every request waiting for it would fail with
 * "client gone" although their own clients are still there.
 */
export function outsideRequests<T>(work: () => Promise<T>): Promise<T> {
  return outside.runInAsyncScope(work);
}
