import { z } from 'zod';
import {
  CODE_INSEE_PATTERN,
  CODE_POSTAL_PATTERN,
  FRAIS,
  ITINERANCE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PIVOT_PATTERN,
  PRISES_EN_CHARGE,
  PUBLICS,
  RESUME_MAX_LENGTH,
  SERVICES,
  TELEPHONE_PATTERN,
} from './standard.js';
import { checkOpeningHours } from '../shared/opening-hours.js';
import { webAddress } from '../shared/web-address.js';

// ---------- The place record, in the standard's field names (writes, imports, exports) ----------

const text = (max = 2000) => z.string().trim().min(1, 'Ce champ ne peut pas être vide.').max(max);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(50);

const openingHoursSchema = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .superRefine((value, ctx) => {
    const check = checkOpeningHours(value);
    if (!check.valid) ctx.addIssue({ code: 'custom', message: check.message });
  });

/** One field per entry so that an import can keep a row and report the one field that is wrong. */
export const placeFieldSchemas = {
  pivot: z.string().regex(PIVOT_PATTERN, 'Le SIRET ou RNA doit faire 9 à 14 lettres ou chiffres.'),
  nom: text(250),
  commune: text(150),
  code_postal: z.string().regex(CODE_POSTAL_PATTERN, 'Le code postal doit faire 5 chiffres.'),
  code_insee: z.string().regex(CODE_INSEE_PATTERN, 'Le code INSEE doit faire 5 caractères (ex. 13056, 2A004).'),
  adresse: text(300),
  complement_adresse: text(300),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  typologie: list(text(20)),
  telephone: z
    .string()
    .regex(TELEPHONE_PATTERN, 'Le téléphone doit commencer par l’indicatif (+33…) suivi de 6 à 9 chiffres.'),
  courriels: list(z.email('Adresse e-mail invalide.')),
  site_web: list(webAddress('Site web')),
  horaires: openingHoursSchema,
  presentation_resume: z
    .string()
    .trim()
    .min(1)
    .max(RESUME_MAX_LENGTH, `Le résumé fait au plus ${RESUME_MAX_LENGTH} caractères.`),
  presentation_detail: text(10_000),
  itinerance: list(z.enum(ITINERANCE)),
  structure_parente: text(300),
  date_maj: z.iso.date('La date doit être au format AAAA-MM-JJ.'),
  services: list(z.enum(SERVICES)),
  publics_specifiquement_adresses: list(z.enum(PUBLICS)),
  prise_en_charge_specifique: list(z.enum(PRISES_EN_CHARGE)),
  frais_a_charge: list(z.enum(FRAIS)),
  dispositif_programmes_nationaux: list(text(100)),
  formations_labels: list(text(100)),
  autres_formations_labels: list(text(200)),
  modalites_acces: list(z.enum(MODALITES_ACCES)),
  modalites_accompagnement: list(z.enum(MODALITES_ACCOMPAGNEMENT)),
  fiche_acces_libre: webAddress('Fiche Acceslibre'),
  prise_rdv: webAddress('Lien de prise de rendez-vous'),
} as const;

export const REQUIRED_PLACE_FIELDS = ['nom', 'commune', 'code_postal', 'adresse'] as const;

export type PlaceFieldName = keyof typeof placeFieldSchemas;
