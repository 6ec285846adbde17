import type { Worker } from 'node:worker_threads';
import { startIndexWorker } from './index-workers.js';
import type { HoursRequest, HoursResponse } from './hours-compiler.worker.js';
import { compileWeeklyHours, type WeeklyHours } from './weekly-hours.js';

interface Waiting {
  resolve(weeks: (WeeklyHours | null)[]): void;
  reject(error: Error): void;
}

/**
 * Compiles opening hours on a worker thread while the main thread goes on (a full load of the index
 * files rows meanwhile): one worker for one load, closed after it. Whatever happens to the worker,
 * every text is compiled: on the main thread if the worker cannot.
 */
export class HoursCompiler {
  /** Texts compiled on the worker so far (the tests check that it did the work). */
  compiledApart = 0;

  /**
   * `apartFrom`: fewer texts at once are compiled on the spot (a worker costs more to start, tens of
   * ms). `log`: told once when the worker cannot be used (the load goes on, slower).
   */
  constructor(
    private readonly apartFrom = 64,
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {}

  private worker: Worker | undefined;
  private broken = false;
  private closed = false;
  private toldFallback = false;
  private nextRequest = 0;
  private readonly pending = new Map<number, Waiting>();

  compile(texts: string[]): Promise<(WeeklyHours | null)[]> {
    if (texts.length < this.apartFrom) return Promise.resolve(texts.map(compileWeeklyHours));
    return this.askWorker(texts).then(
      (weeks) => {
        this.compiledApart += texts.length;
        return weeks;
      },
      (error: unknown) => {
        // Closed by its load (which failed or ended): nobody waits for these weeks any more.
        if (this.closed) throw error;
        if (!this.toldFallback)
          this.log('Horaires compilés sur le fil principal : fil de travail indisponible.', error);
        this.toldFallback = true;
        return texts.map(compileWeeklyHours);
      },
    );
  }

  close(): void {
    this.closed = true;
    this.broken = true;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private askWorker(texts: string[]): Promise<(WeeklyHours | null)[]> {
    const worker = this.started();
    if (!worker) return Promise.reject(new Error('Fil des horaires indisponible.'));
    const request = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(request, { resolve, reject });
      worker.ref();
      worker.postMessage({ request, texts } satisfies HoursRequest);
    });
  }

  private started(): Worker | undefined {
    if (this.broken) return undefined;
    if (this.worker) return this.worker;
    try {
      const worker = startIndexWorker('hours-compiler.worker');
      // An idle worker never keeps the process alive; one with texts to compile does.
      worker.unref();
      worker.on('message', (response: HoursResponse) => {
        const waiting = this.pending.get(response.request);
        this.pending.delete(response.request);
        if (this.pending.size === 0) worker.unref();
        if (response.weeks) waiting?.resolve(response.weeks);
        else waiting?.reject(new Error(response.failed));
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('messageerror', (error) => this.fail(error));
      worker.on('exit', () => this.fail(new Error('Fil des horaires arrêté.')));
      this.worker = worker;
      return worker;
    } catch {
      this.broken = true;
      return undefined;
    }
  }

  private fail(error: Error) {
    this.broken = true;
    this.worker = undefined;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
