import { z } from 'zod';
import {
  CODE_INSEE_PATTERN,
  CODE_POSTAL_PATTERN,
  FRAIS,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRISES_EN_CHARGE,
  PUBLICS,
  SERVICES,
} from './standard.js';
import { fromParisWallTime } from '../shared/paris-time.js';
import { MESSAGES } from '../shared/messages.js';

/** Query-string values arrive as a string, a repeated key (array) or a comma-separated string. */
function listParam<T extends z.ZodType>(item: T, max = 20) {
  return z.preprocess(
    (value) => {
      if (value === undefined || value === '') return undefined;
      const values: unknown[] = Array.isArray(value) ? value : [value];
      return values
        .flatMap((v): unknown[] => (typeof v === 'string' ? v.split(',') : [v]))
        .map((v) => (typeof v === 'string' ? v.trim() : v))
        .filter((v) => v !== '');
    },
    z.array(item).max(max, `Au plus ${max} valeurs.`).optional(),
  );
}

/** A message for a value of the wrong type only; range checks keep zod's French messages. */
const typeError = (message: string) => ({
  error: (issue: { code: string; input?: unknown }) => (issue.code === 'invalid_type' ? message : undefined),
});

const single = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

const booleanParam = z
  .enum(['true', 'false', '1', '0', 'on'], { error: 'Valeur attendue : true ou false.' })
  .transform((value) => value === 'true' || value === '1' || value === 'on');

const localOrZonedDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/,
    'Date et heure attendues au format AAAA-MM-JJTHH:MM (heure de Paris) ou ISO 8601.',
  )
  .transform((value, ctx) => {
    const hasZone = /(Z|[+-]\d{2}:\d{2})$/.test(value);
    if (hasZone) {
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: MESSAGES.dateDoesNotExist });
        return z.NEVER;
      }
      return date;
    }
    const [datePart, timePart] = value.split('T');
    const [year, month, day] = datePart.split('-').map(Number);
    const [hour, minute, second = 0] = timePart.split(':').map(Number);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
      ctx.addIssue({ code: 'custom', message: MESSAGES.dateDoesNotExist });
      return z.NEVER;
    }
    return fromParisWallTime({ year, month, day, hour, minute, second: Math.floor(second) });
  });

const bboxParam = z.string().transform((value, ctx) => {
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) || value.trim() === '') {
    ctx.addIssue({ code: 'custom', message: 'bbox attend quatre nombres : minLon,minLat,maxLon,maxLat.' });
    return z.NEVER;
  }
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon > maxLon || minLat > maxLat) {
    ctx.addIssue({ code: 'custom', message: 'bbox hors limites ou inversée (minLon ≤ maxLon, minLat ≤ maxLat).' });
    return z.NEVER;
  }
  return { minLon, minLat, maxLon, maxLat };
});

export const DEFAULT_RADIUS_KM = 30;
export const MAX_RADIUS_KM = 300;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export const placesQueryShape = {
  lat: single(
    z.coerce
      .number(typeError('Latitude attendue (nombre entre -90 et 90).'))
      .min(-90, 'La latitude va de -90 à 90.')
      .max(90, 'La latitude va de -90 à 90.')
      .optional(),
  ),
  lon: single(
    z.coerce
      .number(typeError('Longitude attendue (nombre entre -180 et 180).'))
      .min(-180, 'La longitude va de -180 à 180.')
      .max(180, 'La longitude va de -180 à 180.')
      .optional(),
  ),
  radius_km: single(
    z.coerce
      .number(typeError('Rayon attendu en kilomètres.'))
      .gt(0, 'Le rayon doit être plus grand que 0 km.')
      .max(MAX_RADIUS_KM, `Le rayon est de ${MAX_RADIUS_KM} km au plus.`)
      .optional(),
  ),
  bbox: single(bboxParam.optional()),
  q: single(z.string().trim().min(1).max(200, 'La recherche fait au plus 200 caractères.').optional()),
  commune: single(
    z.string().regex(CODE_INSEE_PATTERN, 'Code INSEE de commune attendu (5 caractères, ex. 13056).').optional(),
  ),
  code_postal: single(z.string().regex(CODE_POSTAL_PATTERN, 'Code postal attendu (5 chiffres).').optional()),
  services: listParam(z.enum(SERVICES)),
  publics: listParam(z.enum(PUBLICS)),
  prise_en_charge: listParam(z.enum(PRISES_EN_CHARGE)),
  frais: listParam(z.enum(FRAIS)),
  modalites_acces: listParam(z.enum(MODALITES_ACCES)),
  modalites_accompagnement: listParam(z.enum(MODALITES_ACCOMPAGNEMENT)),
  labels: listParam(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, MESSAGES.labelSlugExpected)),
  min_quality: single(
    z.coerce
      .number(typeError('Score de qualité attendu (nombre entier de 0 à 100).'))
      .int('Score de qualité attendu (nombre entier de 0 à 100).')
      .min(0, 'Le score de qualité va de 0 à 100.')
      .max(100, 'Le score de qualité va de 0 à 100.')
      .optional(),
  ),
  open_now: single(booleanParam.optional()),
  open_at: single(localOrZonedDateTime.optional()),
  limit: single(
    z.coerce
      .number(typeError('Nombre entier attendu.'))
      .int('Nombre entier attendu.')
      .min(1, 'Au moins 1 résultat par page.')
      .max(MAX_LIMIT, `Au plus ${MAX_LIMIT} résultats par page.`)
      .default(DEFAULT_LIMIT),
  ),
  cursor: single(z.string().max(500).optional()),
};

/** The API is strict: an unknown or misspelt parameter (`limit[]`, `service`) is an error, not silently ignored. */
export const placesQuerySchema = z.strictObject(placesQueryShape).superRefine((query, ctx) => {
  if ((query.lat === undefined) !== (query.lon === undefined)) {
    const missing = query.lat === undefined ? 'lat' : 'lon';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'lat et lon vont ensemble : donnez les deux ou aucun.' });
  }
  if (query.radius_km !== undefined && query.lat === undefined) {
    ctx.addIssue({ code: 'custom', path: ['radius_km'], message: 'Le rayon demande un point (lat et lon).' });
  }
});

export type PlacesQuery = z.output<typeof placesQuerySchema>;
