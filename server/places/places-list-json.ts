import type { PlaceSummary, PlacesList } from './places.responses.js';
import { jsonPiecesOf } from './place-summaries.js';

const LIST_START = '{"items":[';

/**
 * The JSON of `GET /api/v1/places` as UTF-8 bytes, the same as
 * `JSON.stringify(withAbsoluteUrls(list, baseUrl))`, with each summary made from a display row
 * written from the pieces kept for the row (jsonPiecesOf) and its open state and distance, and
 * written once into the bytes sent: the ETag and the socket read those bytes instead of encoding
 * a text twice. A summary made otherwise (the SQL path) is serialised as before.
 */
export function placesListJson(list: PlacesList, absolute: (path: string) => string): Buffer {
  const { items, ...rest } = list;
  const restJson = JSON.stringify(rest);
  const tail = restJson === '{}' ? ']}' : '],' + restJson.slice(1);
  const fixed = new Array<string | undefined>(items.length);
  // Each item's JSON after its fixed part, with the comma before the next item: one write each.
  // ASCII when `fixed` is set (numbers, booleans, a date, an address: see varyingJson), else any text.
  const varying = new Array<string>(items.length);
  let size = LIST_START.length + Buffer.byteLength(tail);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const comma = i < items.length - 1 ? ',' : '';
    const pieces = jsonPiecesOf(item, absolute);
    if (pieces === undefined) {
      varying[i] = JSON.stringify({ ...item, url: absolute(item.url) }) + comma;
      size += Buffer.byteLength(varying[i]);
    } else {
      fixed[i] = pieces.fixedJson;
      varying[i] = varyingJson(item, pieces.addressJson) + comma;
      size += pieces.fixedJsonBytes + varying[i].length;
    }
  }
  const bytes = Buffer.allocUnsafe(size);
  let at = bytes.write(LIST_START, 0, 'latin1');
  for (let i = 0; i < items.length; i++) {
    const fixedPart = fixed[i];
    if (fixedPart === undefined) {
      at += bytes.write(varying[i], at, 'utf8');
    } else {
      at += bytes.write(fixedPart, at, 'utf8');
      at += bytes.write(varying[i], at, 'latin1');
    }
  }
  bytes.write(tail, at, 'utf8');
  return bytes;
}

/**
 * What follows a summary's fixed part, in summaryOf's order: the open state, the page, the distance.
 * ASCII only: a number's or a boolean's JSON is its `String`, `next_change` is `YYYY-MM-DDTHH:MM`,
 * and an absolute address is ASCII (an origin, then a path percent-encoded).
 */
function varyingJson(item: PlaceSummary, addressJson: string): string {
  const nextChange = item.next_change === null ? 'null' : JSON.stringify(item.next_change);
  const distance = item.distance_km === undefined ? '' : `,"distance_km":${item.distance_km}`;
  return `,"open_now":${String(item.open_now)},"next_change":${nextChange},"url":${addressJson}${distance}}`;
}
