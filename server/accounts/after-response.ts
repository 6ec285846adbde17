import type { Response } from 'express';

/**
 * Work that must not delay, or show through, the answer: the e-mails of sign-up, password reset
 * and sign-in links. Run once the response has been sent, the time a visitor waits is the same
 * whether or not the address has an account (issue 11, defect 10): the difference (a token, an
 * e-mail, an argon2 hash) happens after the answer.
 */
export interface AfterResponse {
  /** Starts `task` once `res` has finished (or the client has gone); failures are logged, never shown. */
  run(res: Response, task: () => Promise<void>): void;
  /** Resolves when every task registered so far has ended (tests; a graceful shutdown). */
  settled(): Promise<void>;
}

export function createAfterResponse(log: (message: string, error?: unknown) => void): AfterResponse {
  const pending = new Set<Promise<void>>();
  return {
    run(res, task) {
      const done = new Promise<void>((resolve) => {
        let started = false;
        const start = () => {
          if (started) return;
          started = true;
          task()
            .catch((error: unknown) => log('Tâche après la réponse : échec', error))
            .finally(resolve);
        };
        if (res.writableFinished || res.destroyed) return start();
        res.once('finish', start);
        res.once('close', start);
      });
      pending.add(done);
      void done.finally(() => pending.delete(done));
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
