import { randomUUID } from 'node:crypto';
import type { BulkPlaceRow } from '../../server/places/places.bulk.js';

/**
 * A spot far north (65°–80°), where randomSpot() never lands: the thousands of rows the bulk tests
 * load cannot fall within the radius of another test's search and add a place it did not make.
 */
function farNorthSpot() {
  return {
    lat: Math.round((65 + Math.random() * 15) * 1e5) / 1e5,
    lon: Math.round((Math.random() * 340 - 170) * 1e5) / 1e5,
  };
}

/** A valid row for bulkLoadPlaces() at a random spot; many of them load in a second. */
export function bulkRow(overrides: Partial<BulkPlaceRow> = {}): BulkPlaceRow {
  const spot = farNorthSpot();
  return {
    source: 'bulk-test',
    sourceId: randomUUID(),
    pivot: '00000000000000',
    nom: 'Médiathèque du port',
    commune: 'Brest',
    codePostal: '29200',
    codeInsee: '29019',
    adresse: '1 quai de la Douane',
    complementAdresse: null,
    latitude: spot.lat,
    longitude: spot.lon,
    typologie: [],
    telephone: null,
    courriels: [],
    siteWeb: [],
    horaires: 'Mo-Fr 09:00-12:00',
    presentationResume: null,
    presentationDetail: null,
    itinerance: [],
    structureParente: null,
    dateMaj: '2026-01-15',
    services: ['Aide aux démarches administratives'],
    publicsSpecifiquementAdresses: [],
    priseEnChargeSpecifique: [],
    fraisACharge: ['Gratuit'],
    autresFormationsLabels: [],
    modalitesAcces: [],
    modalitesAccompagnement: [],
    ficheAccesLibre: null,
    priseRdv: null,
    importIssues: [],
    ...overrides,
  };
}
