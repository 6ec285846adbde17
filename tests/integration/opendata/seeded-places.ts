import type { Db } from '../../../server/db/knex.js';
import { eastOf, makePlace, northOf, randomSpot } from '../../support/factories.js';

/** A bounding box of ±0.5° around a spot: a test's exports then hold only its own places. */
export function boxAround(spot: { lat: number; lon: number }) {
  return [spot.lon - 0.5, spot.lat - 0.5, spot.lon + 0.5, spot.lat + 0.5].map((n) => n.toFixed(5)).join(',');
}

/** A handful of places that exercise the standard's lists, hours, labels and optional fields. */
export async function seedExportablePlaces(db: Db) {
  const spot = randomSpot();
  const full = await makePlace(db, {
    at: spot,
    nom: 'Médiathèque « Les Mots », salle 2',
    pivot: '43493312300029',
    codeInsee: '51454',
    codePostal: '51100',
    commune: 'Reims',
    complementAdresse: 'Entrée par la cour, "porte B"',
    typologie: ['TIERS_LIEUX', 'ASSO'],
    telephone: '+33180059880',
    courriels: ['contact@example.org', 'accueil@example.org'],
    siteWeb: ['https://example.org/'],
    horaires: 'Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00',
    presentationResume: 'Des ateliers pour prendre en main le numérique.',
    presentationDetail: 'Ligne une,\nligne deux ; avec des virgules, des « guillemets » et un | trait.',
    itinerance: ['Itinérant', 'Fixe'],
    structureParente: 'Ville de Reims',
    dateMaj: '2026-04-02',
    services: ['Aide aux démarches administratives', 'Accès internet et matériel informatique'],
    publicsSpecifiquementAdresses: ['Jeunes', 'Familles et/ou enfants'],
    priseEnChargeSpecifique: ['Surdité', 'Langues étrangères (anglais)'],
    fraisACharge: ['Gratuit'],
    autresFormationsLabels: ['Label et la bête'],
    modalitesAcces: ['Se présenter', "Ce lieu n'accueille pas de public"],
    modalitesAccompagnement: ['Dans un atelier collectif', 'À distance'],
    ficheAccesLibre: 'https://acceslibre.beta.gouv.fr/app/erp/mediatheque-13/',
    priseRdv: 'https://www.rdv-solidarites.fr/',
    labels: ['aidants-connect', 'france-services', 'etapes-numeriques-la-poste', 'forme-a-mon-espace-sante'],
  });
  const minimal = await makePlace(db, { at: northOf(spot, 3), nom: 'Point numérique' });
  const paying = await makePlace(db, {
    at: eastOf(spot, 25),
    nom: 'Atelier payant',
    fraisACharge: ['Payant'],
    services: ['Loisirs et créations numériques'],
    horaires: 'Sa 10:00-12:00',
    labels: ['conseillers-numeriques'],
  });
  const hidden = await makePlace(db, { at: northOf(spot, 1), nom: 'Lieu masqué', status: 'hidden' });
  return { spot, full, minimal, paying, hidden, bbox: boxAround(spot) };
}
