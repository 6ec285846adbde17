/**
 * The search's whole state lives in the URL (a shared link reopens the same search, map position
 * included). Pure functions, no DOM and no Leaflet: vitest tests them without a browser.
 */
export interface MapView {
  zoom: number;
  lat: number;
  lon: number;
}

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

const round = (value: number, digits = 5) => Math.round(value * 10 ** digits) / 10 ** digits;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** "zoom/lat/lon", as OpenStreetMap writes a map position. */
export function formatMapView(view: MapView): string {
  return `${Math.round(view.zoom)}/${round(view.lat)}/${round(view.lon)}`;
}

export function parseMapView(text: string | null | undefined): MapView | null {
  const match = /^(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec((text ?? '').trim());
  if (!match) return null;
  const view = { zoom: Number(match[1]), lat: Number(match[2]), lon: Number(match[3]) };
  if (view.zoom > 19 || Math.abs(view.lat) > 90 || Math.abs(view.lon) > 180) return null;
  return view;
}

/** The API's bbox ("minLon,minLat,maxLon,maxLat"), clamped to the world, 5 decimals. */
export function bboxString(bounds: Bounds): string {
  const west = clamp(bounds.west, -180, 180);
  const east = clamp(bounds.east, -180, 180);
  const south = clamp(bounds.south, -90, 90);
  const north = clamp(bounds.north, -90, 90);
  return [Math.min(west, east), Math.min(south, north), Math.max(west, east), Math.max(south, north)]
    .map((n) => round(n))
    .join(',');
}

export function parseBbox(text: string | null | undefined): Bounds | null {
  const parts = (text ?? '').split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [west, south, east, north] = parts;
  if (west > east || south > north) return null;
  return { west, south, east, north };
}

/**
 * The form's entries as URL parameters: empty values dropped; when the visitor typed a new place,
 * the previous point, area and page are forgotten (the typed words win).
 */
export function searchParamsFromForm(entries: Iterable<[string, string]>, shownWhere: string): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of entries) {
    if (key === '_csrf' || value.trim() === '') continue;
    params.append(key, value.trim());
  }
  params.delete('page');
  const typed = params.get('ou') ?? '';
  if (typed && typed !== shownWhere) {
    params.delete('lat');
    params.delete('lon');
    params.delete('bbox');
    params.delete('carte');
  }
  return params;
}

/** "Autour de moi": the visitor's position replaces what was typed or the area. */
export function geolocationParams(current: URLSearchParams, lat: number, lon: number): URLSearchParams {
  const params = new URLSearchParams(current);
  for (const key of ['ou', 'bbox', 'page', 'carte']) params.delete(key);
  params.set('lat', String(round(lat)));
  params.set('lon', String(round(lon)));
  return params;
}

/** "Rechercher dans cette zone": the visible area, nearest its centre first; the map stays put. */
export function areaParams(current: URLSearchParams, bounds: Bounds, view: MapView): URLSearchParams {
  const params = new URLSearchParams(current);
  for (const key of ['ou', 'page']) params.delete(key);
  params.set('bbox', bboxString(bounds));
  params.set('lat', String(round(view.lat)));
  params.set('lon', String(round(view.lon)));
  params.set('carte', formatMapView(view));
  return params;
}

/** The map moved: only its position changes in the URL. */
export function withMapView(current: URLSearchParams, view: MapView): URLSearchParams {
  const params = new URLSearchParams(current);
  params.set('carte', formatMapView(view));
  return params;
}

/** Every value of each form control name, to put a form back as a URL says (back button). */
export function formValuesFromParams(params: URLSearchParams): Map<string, string[]> {
  const values = new Map<string, string[]>();
  params.forEach((value, key) => {
    for (const part of key === 'ou' || key === 'bbox' ? [value] : value.split(',')) {
      values.set(key, [...(values.get(key) ?? []), part]);
    }
  });
  return values;
}

export function searchUrl(params: URLSearchParams): string {
  const text = params.toString();
  return text ? `/?${text}` : '/';
}
