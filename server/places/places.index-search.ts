import { parisToday } from '../shared/paris-time.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { PlaceIndex } from './index/place-index.js';
import type { NearestHit } from './index/place-queries.js';
import type { IndexFilter } from './index/place-filter.js';
import type { DisplayedPlace } from './index/place-display.repository.js';
import type { LatLon } from './geo.js';
import { DEFAULT_RADIUS_KM } from './places.query.js';
import type { SearchCriteria } from './places.repository.js';
import type { PlacesPage, PlaceSummary } from './places.responses.js';

const daysSinceEpoch = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

/** Whether the index answers this search: around a point, without text (text search stays in SQL). */
export function indexAnswers(criteria: SearchCriteria): criteria is SearchCriteria & { point: LatLon } {
  // The index holds no quality score yet: a min_quality search is answered by SQL.
  return criteria.point !== undefined && !criteria.q && criteria.minQuality === undefined;
}

export function indexFilterOf(
  criteria: SearchCriteria,
  extra: { labelIds?: number[]; openAt?: Date; now: Date },
): IndexFilter {
  return {
    services: criteria.services,
    publics: criteria.publics,
    priseEnCharge: criteria.priseEnCharge,
    frais: criteria.frais,
    modalitesAcces: criteria.modalitesAcces,
    modalitesAccompagnement: criteria.modalitesAccompagnement,
    codeInsee: criteria.codeInsee,
    codePostal: criteria.codePostal,
    bbox: criteria.bbox,
    labelIds: extra.labelIds,
    openAt: extra.openAt,
    today: daysSinceEpoch(parisToday(extra.now)),
  };
}

export interface IndexSearchRequest {
  criteria: SearchCriteria & { point: LatLon };
  filter: IndexFilter;
  limit: number;
  cursor?: string;
}

type Summarize = (place: DisplayedPlace, distanceKm: number) => PlaceSummary;

/**
 * One page nearest first: this instance first applies every change committed before the request
 * (one read of the change log, shared with concurrent requests), the index picks the ids
 * (selection, order, filters, "open at"), then the rows to show come from the index's display
 * cache or one query by id. If a change was applied meanwhile (a notification), it picks again.
 */
export async function searchWithIndex(
  deps: { index: PlaceIndex },
  request: IndexSearchRequest,
  summarize: Summarize,
): Promise<PlacesPage> {
  const { index } = deps;
  const ticket = index.freshnessTicket();
  await index.start();
  const { criteria, filter, limit } = request;
  // A distance cursor's key is a number (cursor.ts checks it per mode).
  const position = request.cursor ? decodeCursor(request.cursor, 'distance') : undefined;
  const after = position ? { key: Number(position.key), id: position.id } : undefined;
  const search = {
    lat: criteria.point.lat,
    lon: criteria.point.lon,
    radiusKm: criteria.radiusKm ?? DEFAULT_RADIUS_KM,
    filter,
  };
  const pick = () => index.nearest(search, { limit: limit + 1, after });
  const show = (picked: NearestHit[]) =>
    index.displayed(
      picked.slice(0, limit).map((h) => h.id),
      filter.today,
    );
  await index.freshen(ticket);
  const seen = index.version;
  let hits = pick();
  let shown = await show(hits);
  if (index.version !== seen) {
    hits = pick();
    shown = await show(hits);
  }
  // A place deleted between the pick and the read is left out.
  const page = hits.slice(0, limit).flatMap((hit) => {
    const place = shown.get(hit.id);
    return place ? [{ hit, place }] : [];
  });
  const last = page.at(-1)?.hit;
  return {
    items: page.map(({ hit, place }) => summarize(place, hit.distanceKm)),
    next_cursor: hits.length > limit && last ? encodeCursor('distance', { key: last.key, id: last.id }) : null,
  };
}

/**
 * How many places the search finds (no further than `upTo`), from memory, once this instance has
 * caught up with the change log (one small query): the count agrees with the page searched beside it.
 */
export async function countWithIndex(
  deps: { index: PlaceIndex },
  criteria: SearchCriteria & { point: LatLon },
  filter: IndexFilter,
  upTo: number,
) {
  const { index } = deps;
  const ticket = index.freshnessTicket();
  await index.start();
  await index.freshen(ticket);
  return index.count(
    {
      lat: criteria.point.lat,
      lon: criteria.point.lon,
      radiusKm: criteria.radiusKm ?? DEFAULT_RADIUS_KM,
      filter,
    },
    upTo,
  );
}
