/**
 * The enumerations of the national standard "Lieux de médiation numérique" v1.0.2
 * (schema.data.gouv.fr, LaMednum/standard-mediation-num, licence etalab-2.0).
 * The first migration copies these lists into CHECK constraints on purpose: a migration
 * must keep meaning what it meant the day it landed.
 */
export const STANDARD_VERSION = '1.0.2';

/**
 * The standard's columns, in its order (the schema test checks them against schema.json): the
 * export's columns and the import's fields.
 */
export const STANDARD_COLUMNS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'latitude',
  'longitude',
  'typologie',
  'telephone',
  'courriels',
  'site_web',
  'horaires',
  'presentation_resume',
  'presentation_detail',
  'source',
  'itinerance',
  'structure_parente',
  'date_maj',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'autres_formations_labels',
  'modalites_acces',
  'modalites_accompagnement',
  'fiche_acces_libre',
  'prise_rdv',
] as const;

export const SERVICES = [
  'Aide aux démarches administratives',
  'Maîtrise des outils numériques du quotidien',
  'Insertion professionnelle via le numérique',
  'Utilisation sécurisée du numérique',
  'Parentalité et éducation avec le numérique',
  'Loisirs et créations numériques',
  'Compréhension du monde numérique',
  'Accès internet et matériel informatique',
  'Acquisition de matériel informatique à prix solidaire',
] as const;

export const PUBLICS = ['Jeunes', 'Étudiants', 'Familles et/ou enfants', 'Seniors', 'Femmes'] as const;

export const PRISES_EN_CHARGE = [
  'Surdité',
  'Handicaps moteurs',
  'Handicaps mentaux',
  'Illettrisme',
  'Langues étrangères (anglais)',
  'Langues étrangères (autres)',
  'Déficience visuelle',
] as const;

export const FRAIS = ['Gratuit', 'Gratuit sous condition', 'Payant'] as const;

export const ITINERANCE = ['Itinérant', 'Fixe'] as const;

export const MODALITES_ACCES = [
  'Se présenter',
  'Téléphoner',
  'Contacter par mail',
  'Prendre un RDV en ligne',
  "Ce lieu n'accueille pas de public",
  'Envoyer un mail avec une fiche de prescription',
] as const;

export const MODALITES_ACCOMPAGNEMENT = [
  'En autonomie',
  'Accompagnement individuel',
  'Dans un atelier collectif',
  'À distance',
] as const;

export const PIVOT_PATTERN = /^[a-zA-Z0-9]{9,14}$/;
export const CODE_POSTAL_PATTERN = /^\d{5}$/;
export const CODE_INSEE_PATTERN = /^([013-9]\d|2[AB1-9])\d{3}$/;
export const TELEPHONE_PATTERN = /^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$/;
export const RESUME_MAX_LENGTH = 280;
