import { placePath, toStandardRecord } from '../places/places.mapping.js';
import { STANDARD_COLUMNS, STANDARD_VERSION } from '../places/standard.js';
import type { Place, PlaceLabelLink } from '../places/places.types.js';

/** The open licence of every export; the `Link: rel="license"` header and the JSON envelopes name it. */
export const LICENCE = {
  nom: 'Licence Ouverte 2.0 (Etalab)',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
} as const;

export const STANDARD = {
  nom: 'Lieux de médiation numérique',
  version: STANDARD_VERSION,
  url: 'https://schema.data.gouv.fr/LaMednum/standard-mediation-num/',
} as const;

type StandardColumn = (typeof STANDARD_COLUMNS)[number];
/** One record of the standard: lists `|`-joined, dates YYYY-MM-DD, coordinates as numbers, absent fields left out. */
export type StandardRecord = Partial<Record<StandardColumn, string | number>>;

export function standardRecord(place: Place, labels: PlaceLabelLink[]): StandardRecord {
  const own = labels.filter((l) => l.placeId === place.id);
  const fields: Record<StandardColumn, string | number | readonly string[] | null> = toStandardRecord(place, own);
  const record: StandardRecord = {};
  for (const column of STANDARD_COLUMNS) {
    const value = fields[column];
    if (value === null) continue;
    if (typeof value === 'number') {
      record[column] = value;
    } else if (typeof value === 'string') {
      if (value !== '') record[column] = value;
    } else if (value.length) {
      record[column] = value.join('|');
    }
  }
  return record;
}

/** A CSV row: every column present, in order; an absent field is an empty cell. */
export function csvRow(record: StandardRecord): string[] {
  return STANDARD_COLUMNS.map((column) => (record[column] === undefined ? '' : String(record[column])));
}

export function geoJsonFeature(record: StandardRecord) {
  const { latitude, longitude } = record;
  return {
    type: 'Feature' as const,
    id: record.id,
    geometry:
      typeof latitude === 'number' && typeof longitude === 'number'
        ? { type: 'Point' as const, coordinates: [longitude, latitude] }
        : null,
    properties: record,
  };
}

/** data·inclusion v1: our identifiers are prefixed with the producer, as the schema asks. */
const DATA_INCLUSION_SOURCE = 'epn-finder';
const dataInclusionId = (place: Place) => `${DATA_INCLUSION_SOURCE}--${place.id}`;
const SIRET = /^\d{14}$/;

/** Services of the standard → data·inclusion v1 "numerique--…" thematiques (the closest of the four). */
const THEMATIQUES: Record<string, string> = {
  'Aide aux démarches administratives': 'numerique--acceder-a-des-services-en-ligne',
  'Maîtrise des outils numériques du quotidien': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Compréhension du monde numérique': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Utilisation sécurisée du numérique': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Parentalité et éducation avec le numérique': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Loisirs et créations numériques': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Insertion professionnelle via le numérique': 'numerique--acceder-a-des-services-en-ligne',
  'Accès internet et matériel informatique': 'numerique--acceder-a-une-connexion-internet',
  'Acquisition de matériel informatique à prix solidaire': 'numerique--acquerir-un-equipement',
};

const nameFor = (place: Place) => {
  const trimmed = place.nom.trim().replace(/\.+$/, '').slice(0, 150);
  return trimmed.length >= 3 ? trimmed : `Lieu ${trimmed}`.trim();
};

const descriptionOf = (place: Place) => {
  const text = (place.presentationDetail ?? place.presentationResume ?? '').trim();
  return text.length >= 5 ? text.slice(0, 10000) : null;
};

function dataInclusionPlaceFields(place: Place, baseUrl: string) {
  return {
    source: DATA_INCLUSION_SOURCE,
    date_maj: place.dateMaj,
    adresse: place.adresse || null,
    complement_adresse: place.complementAdresse,
    code_postal: place.codePostal || null,
    code_insee: place.codeInsee,
    commune: place.commune || null,
    latitude: place.latitude,
    longitude: place.longitude,
    telephone: place.telephone,
    courriel: place.courriels[0] ?? null,
    horaires_accueil: place.horaires,
    lien_source: new URL(placePath(place), baseUrl).toString(),
  };
}

export function dataInclusionStructure(place: Place, baseUrl: string) {
  return {
    id: dataInclusionId(place),
    nom: nameFor(place),
    ...dataInclusionPlaceFields(place, baseUrl),
    siret: SIRET.test(place.pivot) && !/^0+$/.test(place.pivot) ? place.pivot : null,
    site_web: place.siteWeb[0] ?? null,
    description: descriptionOf(place),
    accessibilite_lieu: place.ficheAccesLibre,
    reseaux_porteurs: null,
  };
}

/** One "médiation numérique" service per place: the standard describes the place's offer as a whole. */
export function dataInclusionService(place: Place, baseUrl: string) {
  const thematiques = [...new Set(place.services.map((s) => THEMATIQUES[s]).filter(Boolean))];
  const modes = new Set<string>();
  for (const m of place.modalitesAccompagnement) modes.add(m === 'À distance' ? 'a-distance' : 'en-presentiel');
  const free = place.fraisACharge.length > 0 && place.fraisACharge.every((f) => f === 'Gratuit');
  const paying = place.fraisACharge.includes('Payant');
  return {
    id: dataInclusionId(place),
    structure_id: dataInclusionId(place),
    nom: 'Médiation numérique',
    description:
      descriptionOf(place) ?? `Médiation numérique : ${place.services.join(', ') || 'aide aux usages du numérique'}.`,
    ...dataInclusionPlaceFields(place, baseUrl),
    type: 'accompagnement',
    thematiques: thematiques.length ? thematiques : null,
    frais: free ? 'gratuit' : paying ? 'payant' : null,
    frais_precisions: place.fraisACharge.length ? place.fraisACharge.join(', ') : null,
    modes_accueil: modes.size ? [...modes] : null,
    lien_mobilisation: place.priseRdv,
  };
}
