import { z } from 'zod';
import { placesQueryShape } from '../places/places.query.js';

const single = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

export const RADIUS_CHOICES = [5, 10, 20, 30, 50, 100] as const;

/** The map's view in the URL, like OpenStreetMap's: "zoom/lat/lon" (e.g. "12/43.40450/5.05010"). */
const mapViewParam = z.string().transform((value, ctx) => {
  const match = /^(\d{1,2})\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/.exec(value.trim());
  const [zoom, lat, lon] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  if (!match || zoom > 19 || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    ctx.addIssue({ code: 'custom', message: 'Position de carte attendue au format zoom/latitude/longitude.' });
    return z.NEVER;
  }
  return { zoom, lat, lon };
});

/**
 * The search page's query: the API's filters (same names, same parsing, so the page and
 * /api/v1/places return the same places) plus what a person types or chooses in the form.
 */
export const searchPageQuerySchema = z
  .object({
    ou: single(z.string().trim().max(200, 'Au plus 200 caractères.').optional()),
    lat: placesQueryShape.lat,
    lon: placesQueryShape.lon,
    radius_km: placesQueryShape.radius_km,
    bbox: placesQueryShape.bbox,
    services: placesQueryShape.services,
    publics: placesQueryShape.publics,
    prise_en_charge: placesQueryShape.prise_en_charge,
    frais: placesQueryShape.frais,
    modalites_accompagnement: placesQueryShape.modalites_accompagnement,
    labels: placesQueryShape.labels,
    open_now: placesQueryShape.open_now,
    jour: single(z.iso.date('Choisissez un jour (AAAA-MM-JJ).').optional()),
    heure: single(
      z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Choisissez une heure (HH:MM).')
        .optional(),
    ),
    carte: single(mapViewParam.optional()),
    page: placesQueryShape.cursor,
  })
  .superRefine((query, ctx) => {
    if ((query.lat === undefined) !== (query.lon === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [query.lat === undefined ? 'lat' : 'lon'],
        message: 'lat et lon vont ensemble.',
      });
    }
    if (query.jour && !query.heure)
      ctx.addIssue({ code: 'custom', path: ['heure'], message: 'Choisissez aussi une heure.' });
    if (query.heure && !query.jour)
      ctx.addIssue({ code: 'custom', path: ['jour'], message: 'Choisissez aussi un jour.' });
  });

export type SearchPageQuery = z.output<typeof searchPageQuerySchema>;

/** The filters a visitor chose (everything but where, the map view and the page). */
export const FILTER_KEYS = [
  'services',
  'publics',
  'prise_en_charge',
  'frais',
  'modalites_accompagnement',
  'labels',
] as const;
