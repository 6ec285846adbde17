import { z } from 'zod';

export const REPORT_CATEGORIES = [
  'horaires',
  'services',
  'adresse',
  'contacts',
  'labels',
  'n-existe-plus',
  'autre',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const REPORT_CATEGORY_NAMES: Record<ReportCategory, string> = {
  horaires: 'Les horaires',
  services: 'Les services proposés',
  adresse: 'L’adresse',
  contacts: 'Le téléphone, l’e-mail ou le site web',
  labels: 'Les labels',
  'n-existe-plus': 'Le lieu n’existe plus',
  autre: 'Autre chose',
};

/** The form's choices, in order, as the place page offers them. */
export const REPORT_FORM_CATEGORIES = REPORT_CATEGORIES.map((value) => ({
  value,
  label: REPORT_CATEGORY_NAMES[value],
}));

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** "Signaler une erreur": what a visitor sends. Stored for moderation, never applied directly. */
export const reportFormSchema = z.object({
  category: z.enum(REPORT_CATEGORIES, { error: 'Choisissez ce qui ne va pas.' }),
  message: z
    .string({ error: 'Décrivez l’erreur en quelques mots.' })
    .trim()
    .min(5, 'Décrivez l’erreur en quelques mots (au moins 5 caractères).')
    .max(2000, 'Le message fait au plus 2000 caractères.'),
  email: z.preprocess(
    emptyToUndefined,
    z.email('Adresse e-mail invalide (exemple : prenom.nom@exemple.fr).').max(254).optional(),
  ),
});
