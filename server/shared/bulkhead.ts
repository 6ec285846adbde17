import { ServiceUnavailableError } from '../http/errors.js';

/**
 * At most `slots` pieces of one kind of work at once; the next wait their turn, at most
 * `maxWaitMs`, then get a 503 with Retry-After. A slow kind of request (a text search nobody asked
 * a moment ago walks the trigram index for up to a second at 1M places) then holds some of the
 * database pool, never all of it: the other searches and pages keep their connections.
 */
export function createBulkhead(options: { slots: number; maxWaitMs: number; message: string }) {
  let running = 0;
  const waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];

  function release() {
    const next = waiting.shift();
    if (!next) {
      running--;
      return;
    }
    // The slot goes straight to the oldest waiting: `running` stays as it is.
    clearTimeout(next.timer);
    next.start();
  }

  function acquire(): Promise<void> {
    if (running < options.slots) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        start: resolve,
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(new ServiceUnavailableError(options.message, 1));
        }, options.maxWaitMs),
      };
      waiting.push(entry);
    });
  }

  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
    get state() {
      return { running, waiting: waiting.length };
    },
  };
}
