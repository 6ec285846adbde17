import { absoluteAddresses } from '../shared/absolute-address.js';
import type { Clock } from '../shared/clock.js';
import { createPageMemory, type KeptAnswer } from '../shared/page-memory.js';
import { soonestParisMinute } from '../shared/paris-time.js';
import { placesListJson } from './places-list-json.js';
import type { PlacesList } from './places.responses.js';
import type { PlacesSearch, PlacesService } from './places.service.js';

/** A list of 20 weighs ~15 kB: a thousand of the most recently asked ones. */
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * `GET /api/v1/places` for the searches PostgreSQL answers (text, and lists in name order by box,
 * commune, postal code or label), kept in memory as the JSON last sent, like a place's detail
 * (detail-answers.ts): under the in-memory index's version once fresh (any change to a place, a
 * label link or a label, through any instance, moves it) and the Paris day, until the soonest change
 * of an open state it shows, a minute at most. Asked again ("france services", a town's list): no
 * query, no serialisation, no hash (its ETag is kept with it).
 *
 * Never kept: searches around a point (the in-memory index answers them at once, and two visitors
 * rarely stand at the same spot) and searches "open at" a moment (see PlacesService.listMayBeKept).
 */
export function createListAnswers(deps: {
  places: Pick<PlacesService, 'pageKey' | 'listMayBeKept'>;
  clock: Clock;
  publicBaseUrl: string;
}) {
  const memory = createPageMemory({ maxBytes: MAX_BYTES });
  const absolute = absoluteAddresses(deps.publicBaseUrl);

  /** `list` gives the places' page paths; the answer gives their absolute addresses (other sites link to them). */
  return async function listAnswer(query: PlacesSearch, list: () => Promise<PlacesList>): Promise<KeptAnswer> {
    const key = deps.places.listMayBeKept(query) ? await deps.places.pageKey() : undefined;
    if (key === undefined) return { body: placesListJson(await list(), absolute) };
    const address = JSON.stringify(query);
    const now = deps.clock.now().getTime();
    const kept = memory.find(address, key, now);
    if (kept) return memory.answer(kept, '');
    const answer = await list();
    const json = placesListJson(answer, absolute);
    const validUntil = soonestParisMinute(answer.items.map((item) => item.next_change))?.getTime();
    memory.keep(address, { key, path: '', text: json.toString(), renderedAt: now, validUntil });
    return { body: json };
  };
}

export type ListAnswers = ReturnType<typeof createListAnswers>;
