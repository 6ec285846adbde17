import { placePath } from './places.mapping.js';
import type { PlaceSummary } from './places.responses.js';
import type { DisplayedPlace } from './index/place-display.repository.js';

/** The open state: computed for each answer. */
type OpenState = Pick<PlaceSummary, 'open_now' | 'next_change'>;

/**
 * A place's summary, its fields in the API's order. A class only to keep, out of sight, the display
 * row it was made from: a private field, which no copy (`{ ...summary }`) and no JSON carries, and
 * which costs nothing to set (a WeakMap from summary to row cost ~0.3 µs a summary).
 */
class Summary implements PlaceSummary {
  id: number;
  nom: string;
  adresse: string;
  complement_adresse: string | null;
  code_postal: string;
  commune: string;
  code_insee: string | null;
  latitude: number | null;
  longitude: number | null;
  location_precision: PlaceSummary['location_precision'];
  labels: string[];
  services: string[];
  frais_a_charge: string[];
  modalites_accompagnement: string[];
  horaires: string | null;
  open_now: boolean | null;
  next_change: string | null;
  url: string;
  // Declared only: absent, not undefined, without a distance (as in the JSON).
  declare distance_km?: number;
  readonly #row: DisplayedPlace | undefined;

  constructor(
    place: Omit<DisplayedPlace, 'labelSlugs'>,
    labelSlugs: string[],
    open: OpenState,
    distanceKm: number | undefined,
    path: string,
    row: DisplayedPlace | undefined,
  ) {
    this.id = place.id;
    this.nom = place.nom;
    this.adresse = place.adresse;
    this.complement_adresse = place.complementAdresse;
    this.code_postal = place.codePostal;
    this.commune = place.commune;
    this.code_insee = place.codeInsee;
    this.latitude = place.latitude;
    this.longitude = place.longitude;
    this.location_precision = place.locationPrecision;
    this.labels = labelSlugs;
    this.services = place.services;
    this.frais_a_charge = place.fraisACharge;
    this.modalites_accompagnement = place.modalitesAccompagnement;
    this.horaires = place.horaires;
    this.open_now = open.open_now;
    this.next_change = open.next_change;
    this.url = path;
    if (distanceKm !== undefined) this.distance_km = Math.round(distanceKm * 1000) / 1000;
    this.#row = row;
  }

  /** The display row a summary was made from, unchanged since (a copy is another object). */
  static rowOf(summary: PlaceSummary): DisplayedPlace | undefined {
    return summary instanceof Summary ? summary.#row : undefined;
  }
}

/** A place's summary, its fields in the API's order (a row of the SQL path, or a display row). */
export function summaryOf(
  place: Omit<DisplayedPlace, 'labelSlugs'>,
  labelSlugs: string[],
  open: OpenState,
  distanceKm?: number,
  path = placePath(place),
): PlaceSummary {
  return new Summary(place, labelSlugs, open, distanceKm, path, undefined);
}

/** What a display row always shows the same way, made once for the row (see summaryOfDisplayed). */
interface RowPieces {
  path: string;
  /** The summary's JSON up to its open state, `{"id":…,"horaires":…`: made at the row's first API answer. */
  fixedJson?: string;
  /** Its length in UTF-8 bytes. */
  fixedJsonBytes?: number;
  /** `"<absolute address>"` (null if it were not ASCII), and the function that made it (one per application). */
  addressJson?: string | null;
  addressOf?: (path: string) => string;
}

/**
 * Each display row's page path and fixed JSON, made once: nearest searches show the rows of the
 * index's display cache again and again. Slugging the name (accents folded, a regular expression)
 * was most of what making 20 summaries cost (20 summaries and their JSON: 57 → 34 µs); then
 * serialising them, and turning that text into bytes twice (the ETag, the socket), was most of
 * what was left (~60 µs of ~400 µs for a nearest 20; now ~12). The fixed JSON weighs about as much
 * as the row (~0.5–1 kB); it is made only for the rows an API answer shows. It is kept as a text,
 * not as bytes: bytes cut from shared slabs would keep a whole slab alive for one row the display
 * cache has not yet let go (it drops an expired row only when asked for it or when full), and a
 * buffer of its own each costs an ArrayBuffer (~4 µs, more to sweep); writing the text as UTF-8
 * costs ~0.5 µs a row and answer.
 *
 * Kept on the row itself, in a property no one else sees (not enumerable: no copy, no JSON, no
 * comparison carries it), so that a row the cache forgets (a change, its age, the day) takes its
 * pieces along. A WeakMap from rows did the same, but its ~50,000 entries were marked one by one in
 * the pause of each full collection (~9 ms of an 18 ms pause under load).
 */
const PIECES = Symbol('row pieces');
type CarryingPieces = DisplayedPlace & { [PIECES]?: RowPieces };
const ASCII = /^[\x20-\x7e]*$/;

function piecesOf(place: DisplayedPlace): RowPieces {
  let pieces = (place as CarryingPieces)[PIECES];
  if (pieces === undefined) {
    pieces = { path: placePath(place) };
    Object.defineProperty(place, PIECES, { value: pieces });
  }
  return pieces;
}

/** The summary of a display row, with the labels it was read with. */
export function summaryOfDisplayed(place: DisplayedPlace, open: OpenState, distanceKm?: number): PlaceSummary {
  return new Summary(place, place.labelSlugs, open, distanceKm, piecesOf(place).path, place);
}

/**
 * When the summary was made from a display row: its JSON up to its open state (`{"id":…,"horaires":…`,
 * no closing brace) and its length in UTF-8, and its page's absolute address in JSON; undefined otherwise.
 */
export function jsonPiecesOf(
  summary: PlaceSummary,
  absolute: (path: string) => string,
): { fixedJson: string; fixedJsonBytes: number; addressJson: string } | undefined {
  const place = Summary.rowOf(summary);
  if (place === undefined) return undefined;
  const pieces = piecesOf(place);
  if (pieces.fixedJson === undefined || pieces.fixedJsonBytes === undefined) {
    // The fields before the open state, in summaryOf's order: one definition of the order.
    const { open_now, next_change, url, distance_km, ...fixed } = summaryOf(
      place,
      place.labelSlugs,
      { open_now: null, next_change: null },
      undefined,
      pieces.path,
    );
    pieces.fixedJson = JSON.stringify(fixed).slice(0, -1);
    pieces.fixedJsonBytes = Buffer.byteLength(pieces.fixedJson);
  }
  if (pieces.addressOf !== absolute || pieces.addressJson === undefined) {
    const addressJson = JSON.stringify(absolute(pieces.path));
    // An address is ASCII (an origin, a path percent-encoded): placesListJson counts on it.
    pieces.addressJson = ASCII.test(addressJson) ? addressJson : null;
    pieces.addressOf = absolute;
  }
  if (pieces.addressJson === null) return undefined;
  return { fixedJson: pieces.fixedJson, fixedJsonBytes: pieces.fixedJsonBytes, addressJson: pieces.addressJson };
}
