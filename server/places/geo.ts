/** Mean Earth radius (IUGG), used for every distance shown to people. */
const EARTH_RADIUS_KM = 6371.0088;
/** earthdistance's earth() radius, in metres: ll_to_earth() builds points on this sphere. */
const EARTHDISTANCE_RADIUS_M = 6378168;

export interface LatLon {
  lat: number;
  lon: number;
}

export function haversineKm(a: LatLon, b: LatLon): number {
  const toRad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The arc, in metres on earthdistance's sphere, spanning the same angle as `km` on the mean sphere
 * (what earth_box() expects). A hair wider: the exact test is the chord comparison.
 */
export function earthBoxMetresForKm(km: number): number {
  return (km / EARTH_RADIUS_KM) * EARTHDISTANCE_RADIUS_M * 1.001;
}

/**
 * The straight-line (chord) length, on earthdistance's sphere, of an arc of `km` on the mean
 * sphere. The GiST index answers `<->` in chord metres; comparing with this keeps SQL's
 * radius filter identical to the haversine distance shown to people.
 */
export function chordMetresForKm(km: number): number {
  const angle = Math.min(km / EARTH_RADIUS_KM, Math.PI);
  return 2 * EARTHDISTANCE_RADIUS_M * Math.sin(angle / 2);
}
