/**
 * Opening hours compiled off the main thread during a full load of the index (hours-compiler.ts):
 * each distinct rule costs ~0.7 ms in the opening_hours library, 3 s of a 1M start-up.
 */
import { parentPort } from 'node:worker_threads';
import { compileWeeklyHours, type WeeklyHours } from './weekly-hours.js';

export interface HoursRequest {
  request: number;
  texts: string[];
}

export type HoursResponse =
  { request: number; weeks: (WeeklyHours | null)[] } | { request: number; failed: string; weeks?: undefined };

if (!parentPort) throw new Error('hours-compiler.worker.ts runs as a worker thread only.');
const port = parentPort;

port.on('message', ({ request, texts }: HoursRequest) => {
  try {
    port.postMessage({ request, weeks: texts.map(compileWeeklyHours) } satisfies HoursResponse);
  } catch (error) {
    port.postMessage({ request, failed: String(error) } satisfies HoursResponse);
  }
});
