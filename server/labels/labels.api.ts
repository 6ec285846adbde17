import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../http/validation.js';
import { withAbsoluteUrls } from '../places/places.mapping.js';
import { placesQueryShape } from '../places/places.query.js';
import type { PlacesService } from '../places/places.service.js';
import { labelParamsSchema } from './labels.schemas.js';
import { toLabelJson, type LabelsService } from './labels.service.js';

export const labelPlacesQuerySchema = z.object({ limit: placesQueryShape.limit, cursor: placesQueryShape.cursor });

export function labelsApiRoutes(deps: { labels: LabelsService; places: PlacesService; publicBaseUrl: string }): Router {
  const router = Router();

  router.get('/labels', async (_req, res) => {
    const labels = await deps.labels.list();
    res.json({ items: labels.map((label) => toLabelJson(label, deps.publicBaseUrl)) });
  });

  router.get('/labels/:slug', async (req, res) => {
    const { slug } = parseOrThrow(labelParamsSchema, req.params);
    const page = parseOrThrow(labelPlacesQuerySchema, req.query);
    const label = await deps.labels.get(slug);
    const places = await deps.places.search({ ...page, labels: [label.slug] });
    res.json({ ...toLabelJson(label, deps.publicBaseUrl), places: withAbsoluteUrls(places, deps.publicBaseUrl) });
  });

  return router;
}
