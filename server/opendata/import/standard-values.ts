/**
 * Values of the older standard v0.1 and of local files turned into the v1 values, following the
 * national pipeline's table (see docs/opendata.md). Shared by every format of the importer.
 */
import {
  FRAIS,
  ITINERANCE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRISES_EN_CHARGE,
  PUBLICS,
  SERVICES,
} from '../../places/standard.js';

export const SERVICES_V0: Record<string, string> = {
  'Devenir autonome dans les démarches administratives': 'Aide aux démarches administratives',
  'Réaliser des démarches administratives avec un accompagnement': 'Aide aux démarches administratives',
  'Accompagner les démarches de santé': 'Aide aux démarches administratives',
  'Prendre en main un smartphone ou une tablette': 'Maîtrise des outils numériques du quotidien',
  'Prendre en main un ordinateur': 'Maîtrise des outils numériques du quotidien',
  'Utiliser le numérique au quotidien': 'Maîtrise des outils numériques du quotidien',
  'Approfondir ma culture numérique': 'Compréhension du monde numérique',
  'Promouvoir la citoyenneté numérique': 'Compréhension du monde numérique',
  'Favoriser mon insertion professionnelle': 'Insertion professionnelle via le numérique',
  'Créer et développer mon entreprise': 'Insertion professionnelle via le numérique',
  'Accéder à une connexion internet': 'Accès internet et matériel informatique',
  'Accéder à du matériel': 'Accès internet et matériel informatique',
  "S'équiper en matériel informatique": 'Acquisition de matériel informatique à prix solidaire',
  'Créer avec le numérique': 'Loisirs et créations numériques',
  "Soutenir la parentalité et l'éducation avec le numérique": 'Parentalité et éducation avec le numérique',
};
export const ACCOMPAGNEMENT_V0: Record<string, string> = {
  'Dans un atelier': 'Dans un atelier collectif',
  "Avec de l'aide": 'Accompagnement individuel',
  'A ma place': 'Accompagnement individuel',
  Seul: 'En autonomie',
};
export const FRAIS_V0: Record<string, string> = {
  Gratuit: 'Gratuit',
  'Gratuit sous condition': 'Gratuit sous condition',
  Payant: 'Payant',
  Adhésion: 'Payant',
};
export const PUBLICS_V0: Partial<Record<string, string>> = {
  'Familles/enfants': 'Familles et/ou enfants',
  'Jeunes (16-26 ans)': 'Jeunes',
  'Seniors (+ 65 ans)': 'Seniors',
  'Uniquement femmes': 'Femmes',
};
export const PRISE_EN_CHARGE_V0: Partial<Record<string, string[]>> = {
  Surdité: ['Surdité'],
  'Handicaps mentaux': ['Handicaps mentaux'],
  'Handicaps psychiques': ['Handicaps mentaux'],
  "Personnes en situation d'illettrisme": ['Illettrisme'],
  'Déficience visuelle': ['Déficience visuelle'],
  'Public langues étrangères': ['Langues étrangères (anglais)', 'Langues étrangères (autres)'],
};
/** Old national labels → v1 programme, keyed on slug() ("AIDANTS_CONNECT" = "Aidants Connect"). */
export const PROGRAMMES_V0: Partial<Record<string, string>> = {
  cnfs: 'Conseillers numériques',
  'conseiller-numerique': 'Conseillers numériques',
  'conseillers-numeriques': 'Conseillers numériques',
  'france-service': 'France Services',
  'france-services': 'France Services',
  'aidants-connect': 'Aidants Connect',
  'point-numerique-caf': "Point d'accès numérique CAF",
  pix: 'Certification PIX',
  'grande-ecole-numerique': 'Grande école du numérique',
  'grandes-ecoles-du-numerique': 'Grande école du numérique',
  'croix-rouge': 'La Croix Rouge',
};

export const V1_ENUMS = {
  services: new Set<string>(SERVICES),
  publics_specifiquement_adresses: new Set<string>(PUBLICS),
  prise_en_charge_specifique: new Set<string>(PRISES_EN_CHARGE),
  frais_a_charge: new Set<string>(FRAIS),
  itinerance: new Set<string>(ITINERANCE),
  modalites_acces: new Set<string>(MODALITES_ACCES),
  modalites_accompagnement: new Set<string>(MODALITES_ACCOMPAGNEMENT),
};

export const slug = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** v0.1 values are "Label : explanation"; the label is the key. */
export const v0Label = (value: string) => value.split(' : ')[0].trim();
