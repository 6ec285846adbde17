import type { IndexedPlaceRow } from '../../server/places/index/place-store.js';

/** A place as the in-memory index keeps it: at this position, no filter bit, no hours; `extra` overrides. */
export function indexedRow(
  id: number,
  latitude: number,
  longitude: number,
  extra: Partial<IndexedPlaceRow> = {},
): IndexedPlaceRow {
  return {
    id,
    latitude,
    longitude,
    codePostal: '13500',
    codeInsee: null,
    horaires: null,
    services: 0,
    publics: 0,
    priseEnCharge: 0,
    frais: 0,
    modalitesAcces: 0,
    modalitesAccompagnement: 0,
    ...extra,
  };
}
