import { placePath } from './places.mapping.js';
import type { PlaceSummary } from './places.responses.js';
import type { DisplayedPlace } from './index/place-display.repository.js';

/**
 * The part of a summary that only its display row decides (every field from `id` to `horaires`), as
 * JSON without its closing brace, and the place's page path: the same for every list the row is shown
 * in until the row changes. Nearest searches show rows from the index's display cache again and again;
 * serialising each list whole and slugging each name again was a seventh of their CPU.
 */
interface StaticPart {
  json: string;
  path: string;
}

/** Carried by a summary made from a display row: JSON.stringify and spreads ignore or copy it as is. */
const STATIC_PART = Symbol('summary fields from the display row, as JSON');

type SummaryWithStatic = PlaceSummary & { [STATIC_PART]?: StaticPart };

/** Keyed by the display row itself: a row the cache forgets (a change, its age, the day) takes its part along. */
const staticParts = new WeakMap<DisplayedPlace, StaticPart>();

/** The open state: computed for each answer, after the row's own fields. */
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
 * The summary of a display row (with the labels it was read with), carrying the row's part already
 * in JSON for placesListJson.
 */
export function summaryOfDisplayed(place: DisplayedPlace, open: OpenState, distanceKm?: number): PlaceSummary {
  let part = staticParts.get(place);
  const summary: SummaryWithStatic = summaryOf(place, place.labelSlugs, open, distanceKm, part?.path);
  if (part === undefined) {
    // Inside a JSON string every quote is escaped: the first `,"open_now":` is the key itself.
    const json = JSON.stringify(summary);
    part = { json: json.slice(0, json.indexOf(',"open_now":')), path: summary.url };
    staticParts.set(place, part);
  }
  summary[STATIC_PART] = part;
  return summary;
}

/** The keys after the row's part, in order: a summary with any other key is serialised whole. */
const MOVING_KEYS = ['open_now', 'next_change', 'url'];
const ROW_KEY_COUNT = 15;

function itemJson(item: SummaryWithStatic): string {
  const part = item[STATIC_PART];
  if (part === undefined || !hasOnlyTheSummaryKeys(item)) return JSON.stringify(item);
  const distance = item.distance_km === undefined ? '' : `,"distance_km":${JSON.stringify(item.distance_km)}`;
  return (
    `${part.json},"open_now":${JSON.stringify(item.open_now)},"next_change":${JSON.stringify(item.next_change)}` +
    `,"url":${JSON.stringify(item.url)}${distance}}`
  );
}

function hasOnlyTheSummaryKeys(item: PlaceSummary): boolean {
  const keys = Object.keys(item);
  const moving = keys.length - ROW_KEY_COUNT;
  if (moving !== MOVING_KEYS.length && !(moving === MOVING_KEYS.length + 1 && keys.at(-1) === 'distance_km')) {
    return false;
  }
  for (let i = 0; i < MOVING_KEYS.length; i++) if (keys[ROW_KEY_COUNT + i] !== MOVING_KEYS[i]) return false;
  return true;
}

/**
 * `JSON.stringify(list)`, character for character, with each summary made by summaryOfDisplayed
 * written from its row's part kept in JSON. A list whose first key is not `items` is serialised whole.
 */
export function placesListJson(list: { items: PlaceSummary[] }): string {
  const rest = JSON.stringify({ ...list, items: [] });
  if (!rest.startsWith('{"items":[]')) return JSON.stringify(list);
  return `{"items":[${list.items.map((item) => itemJson(item)).join(',')}]${rest.slice('{"items":[]'.length)}`;
}
