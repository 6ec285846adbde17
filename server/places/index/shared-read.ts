import { outsideRequests } from '../../shared/outside-requests.js';

/**
 * One database read shared by the requests that need it, without ever answering a request with a
 * read sent before it arrived: a search still sees every write committed before it, as with a read
 * of its own. A request takes a ticket when it arrives; any read sent after that serves it, in
 * flight or answered. When the read in flight is older than the ticket, the request waits for the
 * next one, which starts when that one ends and serves every request that came meanwhile: under
 * load, one round trip serves tens of requests instead of one each; alone, a request pays one
 * round trip as before.
 */
export function sharedRead<T>(read: () => Promise<T>) {
  /** Reads sent so far; the newest is number `sent`. */
  let sent = 0;
  let newest: Promise<T> | undefined;
  let inFlight = false;
  let next: Promise<T> | undefined;

  const send = (): Promise<T> => {
    sent++;
    inFlight = true;
    // Serves other requests too: sent outside the one that triggered it (its client may leave).
    const promise = outsideRequests(read);
    newest = promise;
    const settled = () => {
      if (newest === promise) inFlight = false;
    };
    promise.then(settled, settled);
    return promise;
  };

  return {
    /** Taken when a request arrives, before it reads: which reads are recent enough for it. */
    ticket: (): number => sent,
    read(ticket: number): Promise<T> {
      if (newest && sent > ticket) return newest;
      const previous = newest;
      if (!inFlight || !previous) return send();
      // The read in flight was sent before this request came: share the next one. If it fails, the
      // database is failing now: those waiting fail with it rather than wait for a second read
      // (under an outage each request would pay two timeouts before its 503).
      next ??= previous.then(
        () => {
          next = undefined;
          return send();
        },
        (error: unknown) => {
          next = undefined;
          throw error;
        },
      );
      return next;
    },
  };
}
