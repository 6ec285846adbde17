import { z } from 'zod';
import { MESSAGES } from '../shared/messages.js';
import { webAddress } from '../shared/web-address.js';

export const LABEL_KINDS = ['label_historique', 'programme_national', 'formation_label', 'local'] as const;

export const LABEL_KIND_NAMES: Record<(typeof LABEL_KINDS)[number], string> = {
  label_historique: 'Label historique',
  programme_national: 'Programme national',
  formation_label: 'Formation ou label',
  local: 'Label local',
};

export const labelSlugSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, MESSAGES.labelSlugExpected);

/** A label as seeded (seeds/data/labels.json) and as the API returns it. */
export const labelSchema = z.object({
  slug: labelSlugSchema,
  name: z.string().min(1).max(200),
  kind: z.enum(LABEL_KINDS),
  issuer: z.string().nullable(),
  description: z.string().nullable(),
  history: z.string().nullable(),
  website: webAddress('Site officiel').nullable(),
  active_from_year: z.number().int().min(1990).max(2100).nullable(),
  active_until_year: z.number().int().min(1990).max(2100).nullable(),
  standard_field: z.enum(['dispositif_programmes_nationaux', 'formations_labels']).nullable(),
  standard_value: z.string().nullable(),
});
export type LabelSeed = z.infer<typeof labelSchema>;

export const labelParamsSchema = z.object({ slug: labelSlugSchema });
