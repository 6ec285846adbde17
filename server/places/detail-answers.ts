import type { Clock } from '../shared/clock.js';
import { createPageMemory, type KeptAnswer } from '../shared/page-memory.js';
import { fromParisIsoMinute } from '../shared/paris-time.js';
import type { PlacesService } from './places.service.js';

/** A place's detail weighs 2–4 kB: thousands of the most recently asked ones. */
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * `GET /api/v1/places/:id`, kept in memory like the place pages (server/shared/page-memory.ts):
 * the JSON as last answered, filed under the in-memory index's version (any change to a place, a
 * label link or a label, through any instance, moves it) and the Paris day, until the place's open
 * state changes or a minute passes. Asked again, no query: the merge check and the place's read
 * are what a detail cost (two round trips).
 */
export function createDetailAnswers(deps: {
  places: Pick<PlacesService, 'pageKey' | 'getDetail' | 'mergedInto'>;
  clock: Clock;
  publicBaseUrl: string;
}) {
  const memory = createPageMemory({ maxBytes: MAX_BYTES });

  return async function detailAnswer(id: number): Promise<{ movedTo: number } | KeptAnswer> {
    const key = await deps.places.pageKey();
    const now = deps.clock.now();
    const kept = key ? memory.find(String(id), key, now.getTime()) : undefined;
    if (kept) return memory.answer(kept, '');
    // A merged-away duplicate: the caller answers 301 to the kept place.
    const merged = await deps.places.mergedInto(id);
    if (merged) return { movedTo: merged.id };
    const detail = await deps.places.getDetail(id, deps.publicBaseUrl);
    const json = JSON.stringify(detail);
    if (key) {
      const validUntil = detail.next_change ? fromParisIsoMinute(detail.next_change).getTime() : undefined;
      memory.keep(String(id), { key, path: '', text: json, renderedAt: now.getTime(), validUntil });
    }
    return { body: json };
  };
}

export type DetailAnswers = ReturnType<typeof createDetailAnswers>;
