import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../http/validation.js';
import type { Geocoder } from './geocoder.js';

export const communesQuerySchema = z.object({
  q: z.string().trim().min(1, 'Tapez au moins un caractère.').max(100, 'Au plus 100 caractères.'),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});

/** The response shape, for the OpenAPI document. */
export const communeSuggestionsJsonSchema = z.object({
  items: z.array(
    z.object({
      label: z.string().meta({ description: 'Nom affiché, avec le code postal.' }),
      nom: z.string(),
      insee: z.string(),
      codePostal: z.string().nullable(),
      lat: z.number(),
      lon: z.number(),
    }),
  ),
});

/** Commune suggestions for the search box (offline table): GET /api/v1/communes?q=… */
export function geocodingApiRoutes(deps: { geocoder: Geocoder }): Router {
  const router = Router();
  router.get('/communes', async (req, res) => {
    const { q, limit } = parseOrThrow(communesQuerySchema, req.query);
    res.set('Cache-Control', 'public, max-age=3600');
    res.json({ items: await deps.geocoder.suggest(q, limit) });
  });
  return router;
}
