import type { Db } from '../db/knex.js';
import { NotFoundError } from '../http/errors.js';
import type { Clock } from '../shared/clock.js';
import { MESSAGES } from '../shared/messages.js';
import { openingStateAt } from '../shared/opening-hours.js';
import { isoMinuteOrNull } from '../shared/paris-time.js';
import { mergeTarget } from './place-merges.repository.js';
import { placePath, toStandardRecord } from './places.mapping.js';
import { findPlaceById, findPlaceWithVisibleLabels } from './places.repository.js';
import type { Place } from './places.types.js';

/**
 * Reading one place, for its page and its API record (the places service hands these on): a
 * published place with its visible labels and its open state now, or where a merged-away one lives.
 */
export function createPlaceReads(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function getPublished(id: number) {
    const found = await findPlaceWithVisibleLabels(db, id);
    if (found?.place.status !== 'published') throw new NotFoundError(MESSAGES.placeNotPublished);
    return { ...found, state: openingStateAt(found.place.horaires, clock.now()) };
  }

  /**
   * What the address of a place page leads to, in one query for a published place: the place, or the
   * place a merged-away one now lives in (its old addresses answer 301). Else NotFoundError.
   */
  async function forPage(id: number) {
    const found = await findPlaceWithVisibleLabels(db, id);
    if (found?.place.status === 'published') {
      return { kind: 'published' as const, ...found, state: openingStateAt(found.place.horaires, clock.now()) };
    }
    const kept = found?.place.status === 'merged' ? await mergedInto(id) : undefined;
    if (!kept) throw new NotFoundError(MESSAGES.placeNotPublished);
    return { kind: 'merged' as const, kept };
  }

  /** The published place a merged-away place now lives in (its old addresses answer 301), if any. */
  async function mergedInto(id: number): Promise<Place | undefined> {
    const targetId = await mergeTarget(db, id);
    if (targetId === undefined) return undefined;
    const target = await findPlaceById(db, targetId);
    return target?.status === 'published' ? target : undefined;
  }

  async function getDetail(id: number, baseUrl: string) {
    const { place, labels, state } = await getPublished(id);
    return {
      ...toStandardRecord(place, labels),
      // Our id, a number as in the list; the source's own id is source_id.
      id: place.id,
      source_id: place.sourceId,
      location_precision: place.locationPrecision,
      labels: labels.map((l) => ({ slug: l.slug, name: l.name, kind: l.kind })),
      open_now: state.open,
      next_change: isoMinuteOrNull(state.nextChange),
      created_at: place.createdAt.toISOString(),
      updated_at: place.updatedAt.toISOString(),
      verified_at: place.verifiedAt ? place.verifiedAt.toISOString() : null,
      url: new URL(placePath(place), baseUrl).toString(),
    };
  }

  return { getPublished, forPage, mergedInto, getDetail };
}
