import { z } from 'zod';

/** The API's response shapes: the TypeScript types and the OpenAPI document both come from here. */
const placeSummarySchema = z.object({
  id: z.number().int(),
  nom: z.string(),
  adresse: z.string(),
  complement_adresse: z.string().nullable(),
  code_postal: z.string(),
  commune: z.string(),
  code_insee: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  location_precision: z
    .enum(['exact', 'commune'])
    .nullable()
    .meta({ description: '« commune » : la source ne donnait pas de position, le centre de la commune la remplace.' }),
  labels: z.array(z.string()).meta({ description: 'Identifiants (slugs) des labels vérifiés du lieu.' }),
  services: z.array(z.string()),
  frais_a_charge: z.array(z.string()),
  modalites_accompagnement: z.array(z.string()),
  horaires: z.string().nullable().meta({ description: 'Horaires au format OpenStreetMap opening_hours.' }),
  open_now: z
    .boolean()
    .nullable()
    .meta({ description: 'Ouvert à l’instant (heure de Paris) ; null si les horaires sont inconnus.' }),
  next_change: z
    .string()
    .nullable()
    .meta({ description: 'Prochaine ouverture ou fermeture, heure de Paris (AAAA-MM-JJTHH:MM).' }),
  distance_km: z
    .number()
    .optional()
    .meta({ description: 'Distance à vol d’oiseau depuis lat/lon, quand ils sont donnés.' }),
  url: z.string().meta({ description: 'Adresse absolue de la page publique du lieu.' }),
});
export type PlaceSummary = z.infer<typeof placeSummarySchema>;

export const placesPageSchema = z.object({
  items: z.array(placeSummarySchema),
  next_cursor: z
    .string()
    .nullable()
    .meta({ description: 'À passer dans `cursor` pour la page suivante ; null à la fin.' }),
});
export type PlacesPage = z.infer<typeof placesPageSchema>;

/** GET /places: a page and how many places match in all, counted up to a cap. */
export const placesListSchema = placesPageSchema.extend({
  total: z
    .number()
    .int()
    .nullable()
    .meta({
      description:
        'Nombre de lieux correspondant à la recherche, compté jusqu’à 1 000 au plus ; null quand la recherche ' +
        'n’est pas comptée (q, open_now, open_at).',
    }),
  total_is_lower_bound: z.boolean().meta({
    description: 'true quand il y a plus de lieux que `total` (« plus de 1 000 lieux »).',
  }),
});
export type PlacesList = z.infer<typeof placesListSchema>;

const list = z.array(z.string());
export const placeDetailSchema = z.object({
  id: z.number().int(),
  source_id: z.string(),
  pivot: z.string(),
  nom: z.string(),
  commune: z.string(),
  code_postal: z.string(),
  code_insee: z.string().nullable(),
  adresse: z.string(),
  complement_adresse: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  typologie: list,
  telephone: z.string().nullable(),
  courriels: list,
  site_web: list,
  horaires: z.string().nullable(),
  presentation_resume: z.string().nullable(),
  presentation_detail: z.string().nullable(),
  source: z.string(),
  itinerance: list,
  structure_parente: z.string().nullable(),
  date_maj: z.string(),
  services: list,
  publics_specifiquement_adresses: list,
  prise_en_charge_specifique: list,
  frais_a_charge: list,
  dispositif_programmes_nationaux: list,
  formations_labels: list,
  autres_formations_labels: list,
  modalites_acces: list,
  modalites_accompagnement: list,
  fiche_acces_libre: z.string().nullable(),
  prise_rdv: z.string().nullable(),
  location_precision: z.enum(['exact', 'commune']).nullable(),
  labels: z.array(z.object({ slug: z.string(), name: z.string(), kind: z.string() })),
  open_now: z.boolean().nullable(),
  next_change: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  verified_at: z.string().nullable(),
  url: z.string().meta({ description: 'Adresse absolue de la page publique du lieu.' }),
});

export const labelJsonSchema = z.object({
  slug: z.string(),
  name: z.string(),
  kind: z.string(),
  issuer: z.string().nullable(),
  description: z.string().nullable(),
  history: z.string().nullable(),
  website: z.string().nullable(),
  active_from_year: z.number().nullable(),
  active_until_year: z.number().nullable(),
  standard_value: z.string().nullable(),
  place_count: z.number(),
  url: z.string(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  instance: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
