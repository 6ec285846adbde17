import { randomUUID } from 'node:crypto';
import type { BulkPlaceRow } from '../../server/places/places.bulk.js';
import { crowdSpot } from './factories.js';

/** A valid row for bulkLoadPlaces() at a crowdSpot(); many of them load in a second. */
export function bulkRow(overrides: Partial<BulkPlaceRow> = {}): BulkPlaceRow {
  const spot = crowdSpot();
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
