import { z } from 'zod';
import { CODE_INSEE_PATTERN, CODE_POSTAL_PATTERN, SERVICES } from '../places/standard.js';
import { MESSAGES } from '../shared/messages.js';

const ARTICLE_SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ARTICLE_STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

const articleSlugSchema = z
  .string()
  .trim()
  .min(1, 'L’adresse (slug) est obligatoire.')
  .max(120, 'L’adresse (slug) fait au plus 120 caractères.')
  .regex(
    ARTICLE_SLUG_PATTERN,
    'L’adresse (slug) : lettres minuscules sans accents, chiffres et tirets (ex. mon-article).',
  );

const tagSchema = z.string().trim().min(1).max(60);

/** PostgreSQL's integer (int4) ceiling: ids and versions above it would fail in SQL (22003), not in validation. */
const PG_INT_MAX = 2_147_483_647;

/** The front matter of a seed article (seeds/articles/NN-slug.md). */
export const articleSeedSchema = z.object({
  title: z.string().min(1),
  slug: articleSlugSchema,
  order: z.number().int().positive().max(PG_INT_MAX),
  teaser: z.boolean(),
  // YAML parses `date: 2015-04-30` into a Date; a quoted date stays a string.
  date: z
    .union([z.date(), z.iso.date()])
    .optional()
    .transform((value) =>
      value === undefined ? undefined : value instanceof Date ? value.toISOString().slice(0, 10) : value,
    ),
  tags: z.array(tagSchema).default([]),
  labels: z.array(z.string().regex(ARTICLE_SLUG_PATTERN)).default([]),
  services: z.array(z.enum(SERVICES)).default([]),
  places: z.array(z.number().int().positive().max(PG_INT_MAX)).default([]),
  caption_removed: z.array(z.string()).default([]),
});
export type ArticleSeed = z.output<typeof articleSeedSchema>;

/** Comma-separated text (forms) or an array (JSON) → trimmed, de-duplicated list. */
function listInput<T extends z.ZodType>(item: T, max: number) {
  return z.preprocess(
    (value) => {
      if (value === undefined || value === null || value === '') return [];
      const values: unknown[] = Array.isArray(value) ? value : [value];
      const flat = values.flatMap((v): unknown[] => (typeof v === 'string' ? v.split(/[,\n]/) : [v]));
      const trimmed = flat.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
      return [...new Set(trimmed)];
    },
    z.array(item).max(max, `Au plus ${max} valeurs.`),
  );
}

/** What an administrator writes (the editor form). */
export const articleInputSchema = z.object({
  title: z.string().trim().min(1, 'Le titre est obligatoire.').max(200, 'Le titre fait au plus 200 caractères.'),
  slug: articleSlugSchema,
  body_markdown: z.string().max(200_000, 'Le texte fait au plus 200 000 caractères.').default(''),
  teaser: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()).default(false),
  status: z.enum(ARTICLE_STATUSES, { error: 'Statut attendu : brouillon ou publié.' }).default('draft'),
  tags: listInput(tagSchema, 20).default([]),
  services: listInput(z.enum(SERVICES, { error: 'Service inconnu du standard.' }), 9).default([]),
  labels: listInput(z.string().regex(ARTICLE_SLUG_PATTERN, MESSAGES.labelSlugExpected), 30).default([]),
  places: listInput(
    z.coerce
      .number({ error: 'Identifiant de lieu attendu (nombre).' })
      .int('Identifiant de lieu attendu (nombre entier).')
      .positive('Identifiant de lieu attendu (nombre positif).')
      .max(PG_INT_MAX, 'Identifiant de lieu inconnu (nombre trop grand).'),
    50,
  ).default([]),
});
export type ArticleInput = z.output<typeof articleInputSchema>;

const VERSION_MISSING_MESSAGE =
  'La version de l’article manque : rechargez la page de modification avant d’enregistrer ' +
  '(sans elle, une modification faite entre-temps serait écrasée).';
const VERSION_INVALID_MESSAGE =
  'Version de l’article invalide : rechargez la page de modification avant d’enregistrer.';

/** The version the editor read (optimistic locking): required on every edit, a positive int4. */
const articleVersionSchema = z.preprocess(
  (v) =>
    v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
      ? undefined
      : typeof v === 'string'
        ? Number(v)
        : v,
  z
    .number({ error: (issue) => (issue.input === undefined ? VERSION_MISSING_MESSAGE : VERSION_INVALID_MESSAGE) })
    .int(VERSION_INVALID_MESSAGE)
    .positive(VERSION_INVALID_MESSAGE)
    .max(PG_INT_MAX, VERSION_INVALID_MESSAGE),
);

/** What an administrator writes when editing an article: the same fields and the version they started from. */
export const articleUpdateSchema = articleInputSchema.extend({ version: articleVersionSchema });
export type ArticleUpdate = z.output<typeof articleUpdateSchema>;

export const articleSlugParamsSchema = z.object({ slug: z.string().min(1).max(200) });
export const articleIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(PG_INT_MAX) });
export const tagParamsSchema = z.object({ tag: tagSchema });

const page = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.coerce.number({ error: 'Numéro de page attendu.' }).int().min(1).max(10_000).default(1),
);

export const articlesListQuerySchema = z.object({
  page,
  tag: z.preprocess((v) => (v === '' ? undefined : v), tagSchema.optional()),
});

export const articlesApiQuerySchema = articlesListQuerySchema.extend({
  limit: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(100).default(20)),
});

/**
 * "Lieux près de chez vous": a point, a commune or postal code typed (ou), an INSEE code or a postal code,
 * all optional.
 */
export const nearbyQuerySchema = z
  .object({
    ou: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.string().trim().max(200, 'Au plus 200 caractères.').optional(),
    ),
    lat: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().min(-90).max(90).optional()),
    lon: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().min(-180).max(180).optional()),
    commune: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .trim()
        .regex(CODE_INSEE_PATTERN, 'Code INSEE de commune attendu (5 caractères, ex. 13056).')
        .optional(),
    ),
    code_postal: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().trim().regex(CODE_POSTAL_PATTERN, 'Code postal attendu (5 chiffres).').optional(),
    ),
  })
  .superRefine((query, ctx) => {
    if ((query.lat === undefined) !== (query.lon === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [query.lat === undefined ? 'lat' : 'lon'],
        message: 'lat et lon vont ensemble : donnez les deux ou aucun.',
      });
    }
  });
export type NearbyQuery = z.output<typeof nearbyQuerySchema>;

export const searchQuerySchema = z.object({
  q: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(200, 'La recherche fait au plus 200 caractères.').optional(),
  ),
});

// ---------- API responses ----------
const linkedLabel = z.object({ slug: z.string(), name: z.string(), url: z.string() });
const linkedPlace = z.object({ id: z.number(), nom: z.string(), commune: z.string(), url: z.string() });

const articleSummaryJsonSchema = z.object({
  slug: z.string(),
  title: z.string(),
  excerpt: z.string(),
  teaser: z.boolean().meta({ description: 'Vrai quand seul le début du texte est disponible.' }),
  tags: z.array(z.string()),
  services: z.array(z.string()),
  published_at: z.string().nullable().meta({ description: 'Date de publication, seulement quand elle est établie.' }),
  updated_at: z.string(),
  url: z.string(),
});

export const articleJsonSchema = articleSummaryJsonSchema.extend({
  body_markdown: z.string(),
  body_html: z.string().meta({ description: 'Le texte en HTML nettoyé.' }),
  labels: z.array(linkedLabel),
  places: z.array(linkedPlace),
});

export const articlesPageJsonSchema = z.object({
  items: z.array(articleSummaryJsonSchema),
  page: z.number(),
  total: z.number(),
  next_page: z.number().nullable(),
});
