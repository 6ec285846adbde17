import { createByteArena } from '../shared/byte-arena.js';
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

/** What a display row always shows the same way, made once for the row (see summaryOfDisplayed). */
interface RowPieces {
  path: string;
  /** The summary's JSON up to its open state, `{"id":…,"horaires":…`, in UTF-8: made at the row's first API answer. */
  fixedJson?: Buffer;
  /** `"<absolute address>"` (null if it were not ASCII), and the function that made it (one per application). */
  addressJson?: string | null;
  addressOf?: (path: string) => string;
}

/**
 * Each display row's page path and fixed JSON, made once: nearest searches show the rows of the
 * index's display cache again and again. Slugging the name (accents folded, a regular expression)
 * was most of what making 20 summaries cost (20 summaries and their JSON: 57 → 34 µs); then
 * serialising them, and turning that text into bytes twice (the ETag, the socket), was most of
 * what was left (~60 µs of ~400 µs for a nearest 20; now ~10). Keyed by the row itself: a row the
 * cache forgets (a change, its age, the day) takes its pieces along. The fixed JSON weighs about as
 * much as the row (~0.5 kB); it is made only for the rows an API answer shows.
 */
const piecesOfRows = new WeakMap<DisplayedPlace, RowPieces>();
/**
 * The row each summary was made from, for its JSON (placesListJson). A copy (`{ ...summary }`)
 * is not in it, and is serialised field by field: nothing changes a summary once made.
 */
const rowsOfSummaries = new WeakMap<PlaceSummary, DisplayedPlace>();
/** Display rows expire a minute after they are read, roughly in the order they were: see createByteArena. */
const fixedJsonBytes = createByteArena();

const ASCII = /^[\x20-\x7e]*$/;

function piecesOf(place: DisplayedPlace): RowPieces {
  let pieces = piecesOfRows.get(place);
  if (pieces === undefined) {
    pieces = { path: placePath(place) };
    piecesOfRows.set(place, pieces);
  }
  return pieces;
}

/** The summary of a display row, with the labels it was read with. */
export function summaryOfDisplayed(place: DisplayedPlace, open: OpenState, distanceKm?: number): PlaceSummary {
  const summary = summaryOf(place, place.labelSlugs, open, distanceKm, piecesOf(place).path);
  rowsOfSummaries.set(summary, place);
  return summary;
}

/**
 * When the summary was made from a display row: its JSON up to its open state (`{"id":…,"horaires":…`,
 * no closing brace) in UTF-8, and its page's absolute address in JSON; undefined otherwise.
 */
export function jsonPiecesOf(
  summary: PlaceSummary,
  absolute: (path: string) => string,
): { fixedJson: Buffer; addressJson: string } | undefined {
  const place = rowsOfSummaries.get(summary);
  if (place === undefined) return undefined;
  const pieces = piecesOf(place);
  if (pieces.fixedJson === undefined) {
    // The fields before the open state, in summaryOf's order: one definition of the order.
    const { open_now, next_change, url, distance_km, ...fixed } = summaryOf(
      place,
      place.labelSlugs,
      { open_now: null, next_change: null },
      undefined,
      pieces.path,
    );
    pieces.fixedJson = fixedJsonBytes(JSON.stringify(fixed).slice(0, -1));
  }
  if (pieces.addressOf !== absolute || pieces.addressJson === undefined) {
    const addressJson = JSON.stringify(absolute(pieces.path));
    // An address is ASCII (an origin, a path percent-encoded): placesListJson counts on it.
    pieces.addressJson = ASCII.test(addressJson) ? addressJson : null;
    pieces.addressOf = absolute;
  }
  if (pieces.addressJson === null) return undefined;
  return { fixedJson: pieces.fixedJson, addressJson: pieces.addressJson };
}
