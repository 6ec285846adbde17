import { placePath } from './places.mapping.js';
import type { PlaceSummary } from './places.responses.js';
import type { DisplayedPlace } from './index/place-display.repository.js';

/** The open state: computed for each answer. */
type OpenState = Pick<PlaceSummary, 'open_now' | 'next_change'>;

/** A place's summary, its fields in the API's order (a row of the SQL path, or a display row). */
export function summaryOf(
  place: Omit<DisplayedPlace, 'labelSlugs'>,
  labelSlugs: string[],
  open: OpenState,
  distanceKm?: number,
  path = placePath(place),
): PlaceSummary {
  const summary: PlaceSummary = {
    id: place.id,
    nom: place.nom,
    adresse: place.adresse,
    complement_adresse: place.complementAdresse,
    code_postal: place.codePostal,
    commune: place.commune,
    code_insee: place.codeInsee,
    latitude: place.latitude,
    longitude: place.longitude,
    location_precision: place.locationPrecision,
    labels: labelSlugs,
    services: place.services,
    frais_a_charge: place.fraisACharge,
    modalites_accompagnement: place.modalitesAccompagnement,
    horaires: place.horaires,
    open_now: open.open_now,
    next_change: open.next_change,
    url: path,
  };
  if (distanceKm !== undefined) summary.distance_km = Math.round(distanceKm * 1000) / 1000;
  return summary;
}

/**
 * Each display row's page path, made once: nearest searches show the rows of the index's display
 * cache again and again, and slugging the name (accents folded, a regular expression) was most of
 * what making 20 summaries cost (20 summaries and their JSON: 57 → 34 µs). Keyed by the row
 * itself: a row the cache forgets (a change, its age, the day) takes its path along. The whole
 * summary in JSON was tried too (17 µs) but weighed more than the row (~1.1 kB against ~0.4 kB).
 */
const pathsOfRows = new WeakMap<DisplayedPlace, string>();

/** The summary of a display row, with the labels it was read with. */
export function summaryOfDisplayed(place: DisplayedPlace, open: OpenState, distanceKm?: number): PlaceSummary {
  let path = pathsOfRows.get(place);
  if (path === undefined) {
    path = placePath(place);
    pathsOfRows.set(place, path);
  }
  return summaryOf(place, place.labelSlugs, open, distanceKm, path);
}
