import { z } from 'zod';
import {
  articleJsonSchema,
  articleSlugParamsSchema,
  articlesApiQuerySchema,
  articlesPageJsonSchema,
} from '../articles/articles.schemas.js';
import { communeSuggestionsJsonSchema, communesQuerySchema } from '../geocoding/geocoding.api.js';
import { exportQueryShape } from '../opendata/export.routes.js';
import { labelParamsSchema } from '../labels/labels.schemas.js';
import { labelPlacesQuerySchema } from '../labels/labels.api.js';
import { placeIdParamsSchema } from '../places/places.api.js';
import { placesQueryShape } from '../places/places.query.js';
import { mapQuerySchema, mapResponseSchema } from '../places/map.api.js';
import {
  labelJsonSchema,
  placeDetailSchema,
  placesListSchema,
  placesPageSchema,
  problemSchema,
} from '../places/places.responses.js';

const PARAMETER_DESCRIPTIONS: Record<string, string> = {
  lat: 'Latitude du point de recherche (avec lon) : résultats du plus proche au plus loin.',
  lon: 'Longitude du point de recherche (avec lat).',
  radius_km: 'Rayon autour du point, en km (30 par défaut, 300 au plus).',
  bbox: 'Cadre minLon,minLat,maxLon,maxLat.',
  q: 'Texte libre sur le nom, la commune et l’adresse, tolérant aux accents et aux fautes de frappe.',
  commune: 'Code INSEE de la commune.',
  code_postal: 'Code postal.',
  labels: 'Identifiants de labels (ex. netpublic, cyber-base, france-services).',
  min_quality:
    'Seulement les lieux dont le score de qualité (0 à 100 : complétude, horaires lisibles, description, ' +
    'contacts, fraîcheur) atteint cette valeur.',
  open_now: 'Seulement les lieux ouverts maintenant (heure de Paris).',
  open_at:
    'Seulement les lieux ouverts à cette date et heure (AAAA-MM-JJTHH:MM heure de Paris, ou ISO 8601 avec fuseau).',
  limit: 'Nombre de résultats par page (20 par défaut, 100 au plus).',
  cursor: 'Curseur opaque renvoyé par la page précédente (next_cursor).',
};

const jsonSchema = (schema: z.ZodType) => {
  const document = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  // The document is embedded in OpenAPI, which has its own dialect declaration.
  delete document.$schema;
  return document;
};

function queryParameters(shape: Record<string, z.ZodType>) {
  return Object.entries(shape).map(([name, schema]) => {
    const json = jsonSchema(schema);
    const isList = json.type === 'array';
    return {
      name,
      in: 'query',
      required: false,
      description:
        PARAMETER_DESCRIPTIONS[name] ??
        (isList
          ? 'Une ou plusieurs valeurs (paramètre répété ou séparé par des virgules) : l’une d’elles suffit.'
          : undefined),
      schema: json,
      ...(isList ? { style: 'form', explode: true } : {}),
    };
  });
}

function pathParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchema(field as z.ZodType),
  }));
}

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: jsonSchema(schema) } },
});
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: jsonSchema(problemSchema) } },
});

/** The open-data downloads: every filter of /places, no pages, the whole file streamed. */
function exportPaths() {
  const parameters = queryParameters(exportQueryShape);
  const download = (summary: string, mediaType: string, description: string) => ({
    get: {
      summary,
      description:
        `${description} Mêmes filtres que /places, sans pagination. ` +
        'Licence Ouverte 2.0 (en-tête Link rel="license").',
      parameters,
      responses: {
        '200': {
          description: 'Le fichier, transmis au fil de l’eau',
          content: { [mediaType]: { schema: { type: 'string' } } },
        },
        '400': problem('Paramètre invalide'),
      },
    },
  });
  return {
    '/export.csv': download(
      'Export CSV au standard v1.0.2',
      'text/csv',
      'Les colonnes du standard dans son ordre, listes séparées par |, dates AAAA-MM-JJ.',
    ),
    '/export.json': download(
      'Export JSON au standard v1.0.2',
      'application/json',
      'Les fiches du standard dans `lieux`, avec `licence` et `date_generation`.',
    ),
    '/export.geojson': download(
      'Export GeoJSON',
      'application/geo+json',
      'FeatureCollection ; `licence` et `date_generation` en membres étrangers.',
    ),
    '/export/data-inclusion/structures.json': download(
      'Structures au format data·inclusion v1',
      'application/json',
      'Un tableau de structures.',
    ),
    '/export/data-inclusion/services.json': download(
      'Services au format data·inclusion v1',
      'application/json',
      'Un tableau de services (un par lieu).',
    ),
  };
}

/** OpenAPI 3.1 (whose schemas are JSON Schema 2020-12), generated from the routes' zod schemas. */
export function buildOpenApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'EPN Finder — API des lieux de médiation numérique',
      version: '1.0.0',
      description:
        'Lieux au format du standard national « Lieux de médiation numérique » v1.0.2. ' +
        'Les erreurs suivent la RFC 9457 (application/problem+json).',
      license: { name: 'Licence Ouverte 2.0 (données)', identifier: 'etalab-2.0' },
    },
    servers: [{ url: new URL('/api/v1', baseUrl).toString() }],
    paths: {
      '/places': {
        get: {
          summary: 'Chercher des lieux',
          description:
            'Les filtres se combinent (ET entre filtres, OU dans une liste). ' +
            'Pagination par curseur, stable quand des lieux sont ajoutés.',
          parameters: queryParameters(placesQueryShape),
          responses: {
            '200': json(placesListSchema, 'Une page de lieux, et leur nombre (borné)'),
            '400': problem('Paramètre invalide (le champ est nommé)'),
          },
        },
      },
      '/map': {
        get: {
          summary: 'La carte de tous les lieux : groupes et lieux seuls dans un cadre',
          description:
            'GeoJSON : des groupes (cluster, point_count, expansion_zoom) et des lieux seuls (id, nom, url), ' +
            '500 au plus à tout zoom ; les effectifs des groupes font le total des lieux du cadre.',
          parameters: queryParameters(mapQuerySchema.shape).map((p) => ({
            ...p,
            required: true,
            description:
              p.name === 'zoom'
                ? 'Niveau de zoom de la carte (0 à 22).'
                : 'Cadre ouest,sud,est,nord (longitudes, latitudes).',
          })),
          responses: {
            '200': json(mapResponseSchema, 'Groupes et lieux du cadre (GeoJSON FeatureCollection)'),
            '400': problem('Cadre ou zoom invalide'),
          },
        },
      },
      '/places/{id}': {
        get: {
          summary: 'Un lieu, champs du standard',
          parameters: pathParameters(placeIdParamsSchema),
          responses: {
            '200': json(placeDetailSchema, 'Le lieu'),
            '400': problem('Identifiant invalide'),
            '404': problem('Lieu inconnu'),
          },
        },
      },
      '/labels': {
        get: {
          summary: 'Les labels et dispositifs',
          responses: { '200': json(z.object({ items: z.array(labelJsonSchema) }), 'Les labels') },
        },
      },
      '/labels/{slug}': {
        get: {
          summary: 'Un label et ses lieux',
          parameters: [...pathParameters(labelParamsSchema), ...queryParameters(labelPlacesQuerySchema.shape)],
          responses: {
            '200': json(labelJsonSchema.extend({ places: placesPageSchema }), 'Le label et une page de ses lieux'),
            '400': problem('Paramètre invalide'),
            '404': problem('Label inconnu'),
          },
        },
      },
      ...exportPaths(),
      '/communes': {
        get: {
          summary: 'Suggestions de communes (géocodage hors ligne)',
          description:
            'Nom, code postal ou début de nom, sans se soucier des accents : « sainte etienne de tinee », « 13500 ».',
          parameters: queryParameters(communesQuerySchema.shape),
          responses: {
            '200': json(communeSuggestionsJsonSchema, 'Les communes trouvées'),
            '400': problem('Paramètre invalide'),
          },
        },
      },
      '/articles': {
        get: {
          summary: 'Les articles publiés du blog, du plus récent au plus ancien',
          parameters: queryParameters(articlesApiQuerySchema.shape),
          responses: {
            '200': json(articlesPageJsonSchema, 'Une page d’articles'),
            '400': problem('Paramètre invalide'),
          },
        },
      },
      '/articles/{slug}': {
        get: {
          summary: 'Un article, avec ses labels et ses lieux',
          description: 'Une ancienne adresse d’article répond 301 vers la nouvelle.',
          parameters: pathParameters(articleSlugParamsSchema),
          responses: {
            '200': json(articleJsonSchema, 'L’article'),
            '301': { description: 'L’article a changé d’adresse' },
            '404': problem('Article inconnu ou non publié'),
          },
        },
      },
    },
  };
}
