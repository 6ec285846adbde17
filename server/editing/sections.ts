import { z } from 'zod';
import { placeFieldSchemas } from '../places/places.schemas.js';
import {
  FRAIS,
  ITINERANCE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRISES_EN_CHARGE,
  PUBLICS,
  RESUME_MAX_LENGTH,
  SERVICES,
} from '../places/standard.js';
import { columnValue, sameValue } from '../places/place-writes.service.js';
import type { Place } from '../places/places.types.js';

/**
 * The edit sections of a place. Each field is named as in the national standard (and as the
 * `places` column); form input is turned into the standard's values with the standard's own
 * per-field zod schemas (server/places/places.schemas.ts), so edits obey the same rules as imports.
 */
export type EditableField =
  | 'nom'
  | 'adresse'
  | 'complement_adresse'
  | 'code_postal'
  | 'commune'
  | 'latitude'
  | 'longitude'
  | 'horaires'
  | 'services'
  | 'publics_specifiquement_adresses'
  | 'prise_en_charge_specifique'
  | 'modalites_acces'
  | 'modalites_accompagnement'
  | 'frais_a_charge'
  | 'itinerance'
  | 'prise_rdv'
  | 'telephone'
  | 'courriels'
  | 'site_web'
  | 'fiche_acces_libre'
  | 'presentation_resume'
  | 'presentation_detail';

export const FIELD_LABELS: Record<EditableField | 'labels' | 'verified_at', string> = {
  nom: 'Nom du lieu',
  adresse: 'Adresse',
  complement_adresse: 'Complément d’adresse',
  code_postal: 'Code postal',
  commune: 'Commune',
  latitude: 'Latitude',
  longitude: 'Longitude',
  horaires: 'Horaires',
  services: 'Services proposés',
  publics_specifiquement_adresses: 'Publics spécifiquement accueillis',
  prise_en_charge_specifique: 'Prise en charge spécifique',
  modalites_acces: 'Modalités d’accès',
  modalites_accompagnement: 'Modalités d’accompagnement',
  frais_a_charge: 'Frais à charge',
  itinerance: 'Itinérance',
  prise_rdv: 'Lien de prise de rendez-vous',
  telephone: 'Téléphone',
  courriels: 'Adresses e-mail',
  site_web: 'Sites web',
  fiche_acces_libre: 'Fiche Acceslibre',
  presentation_resume: 'Résumé',
  presentation_detail: 'Présentation détaillée',
  labels: 'Labels',
  verified_at: 'Informations confirmées',
};

/** The French name of a stored field, or the field itself for one this form does not know. */
export const fieldLabel = (field: string): string => (FIELD_LABELS as Partial<Record<string, string>>)[field] ?? field;

const blankToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    blankToNull,
    schema
      .nullable()
      .optional()
      .transform((v) => v ?? null),
  );
const checkboxes = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value): unknown[] =>
      value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value],
    schema,
  );
/** One value a line (or separated by commas / semicolons): e-mails, web sites. */
const lines = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(/[\n,;]+/)
            .map((s) => s.trim())
            .filter(Boolean)
        : (value ?? []),
    schema,
  );
const coordinate = (schema: z.ZodNumber) =>
  z.preprocess(
    (value) => {
      if (typeof value !== 'string' || value.trim() === '') return null;
      const n = Number(value.trim().replace(',', '.'));
      return Number.isFinite(n) ? n : value;
    },
    z.union([schema, z.null()], 'Indiquez un nombre (par exemple 43.4053).'),
  );
/** "01 23 45 67 89" → "+33123456789", as the standard wants. */
const phone = z.preprocess((value) => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return value;
  const compact = value.replace(/[\s.\-()]/g, '');
  if (compact === '') return null;
  return /^0\d{9}$/.test(compact) ? `+33${compact.slice(1)}` : compact;
}, placeFieldSchemas.telephone.nullable());

export interface Section {
  slug: string;
  title: string;
  fields: EditableField[];
  schema: z.ZodType<Partial<Record<EditableField, unknown>>>;
}

const general = z
  .object({
    nom: placeFieldSchemas.nom,
    adresse: placeFieldSchemas.adresse,
    complement_adresse: optional(placeFieldSchemas.complement_adresse),
    code_postal: z.string().trim().pipe(placeFieldSchemas.code_postal),
    commune: placeFieldSchemas.commune,
    latitude: coordinate(placeFieldSchemas.latitude),
    longitude: coordinate(placeFieldSchemas.longitude),
  })
  .refine((v) => (v.latitude === null) === (v.longitude === null), {
    path: ['longitude'],
    error: 'Indiquez la latitude et la longitude, ou aucune des deux.',
  });

export const SECTIONS: Section[] = [
  {
    slug: 'general',
    title: 'Informations générales',
    fields: ['nom', 'adresse', 'complement_adresse', 'code_postal', 'commune', 'latitude', 'longitude'],
    schema: general,
  },
  {
    slug: 'horaires',
    title: 'Horaires',
    fields: ['horaires'],
    schema: z.object({ horaires: optional(placeFieldSchemas.horaires) }),
  },
  {
    slug: 'services',
    title: 'Services et publics',
    fields: ['services', 'publics_specifiquement_adresses', 'prise_en_charge_specifique'],
    schema: z.object({
      services: checkboxes(placeFieldSchemas.services),
      publics_specifiquement_adresses: checkboxes(placeFieldSchemas.publics_specifiquement_adresses),
      prise_en_charge_specifique: checkboxes(placeFieldSchemas.prise_en_charge_specifique),
    }),
  },
  {
    slug: 'modalites',
    title: 'Accès, accompagnement et frais',
    fields: ['modalites_acces', 'modalites_accompagnement', 'frais_a_charge', 'itinerance', 'prise_rdv'],
    schema: z.object({
      modalites_acces: checkboxes(placeFieldSchemas.modalites_acces),
      modalites_accompagnement: checkboxes(placeFieldSchemas.modalites_accompagnement),
      frais_a_charge: checkboxes(placeFieldSchemas.frais_a_charge),
      itinerance: checkboxes(placeFieldSchemas.itinerance),
      prise_rdv: optional(placeFieldSchemas.prise_rdv),
    }),
  },
  {
    slug: 'contacts',
    title: 'Contacts et liens',
    fields: ['telephone', 'courriels', 'site_web', 'fiche_acces_libre'],
    schema: z.object({
      telephone: phone,
      courriels: lines(placeFieldSchemas.courriels),
      site_web: lines(placeFieldSchemas.site_web),
      fiche_acces_libre: optional(placeFieldSchemas.fiche_acces_libre),
    }),
  },
  {
    slug: 'description',
    title: 'Présentation',
    fields: ['presentation_resume', 'presentation_detail'],
    schema: z.object({
      presentation_resume: optional(
        z.string().trim().max(RESUME_MAX_LENGTH, `Le résumé fait au plus ${RESUME_MAX_LENGTH} caractères.`),
      ),
      presentation_detail: optional(placeFieldSchemas.presentation_detail),
    }),
  },
];

export const sectionBySlug = (slug: string) => SECTIONS.find((s) => s.slug === slug);

export const CHOICES: Partial<Record<EditableField, readonly string[]>> = {
  services: SERVICES,
  publics_specifiquement_adresses: PUBLICS,
  prise_en_charge_specifique: PRISES_EN_CHARGE,
  modalites_acces: MODALITES_ACCES,
  modalites_accompagnement: MODALITES_ACCOMPAGNEMENT,
  frais_a_charge: FRAIS,
  itinerance: ITINERANCE,
};

/** A place's current value of a field, in the standard's terms. */
export const valueOf = (place: Place, field: EditableField): unknown => columnValue(place, field);

export { sameValue };

/** How a value reads in a diff or a form. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Values as the form fields hold them (text areas hold lists one a line). */
export function formValueOf(field: EditableField, value: unknown): unknown {
  if (field === 'courriels' || field === 'site_web') return Array.isArray(value) ? value.join('\n') : (value ?? '');
  if (value === null || value === undefined) return CHOICES[field] ? [] : '';
  return value;
}
