import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../http/validation.js';
import { withAbsoluteUrls } from './places.mapping.js';
import { placesQuerySchema } from './places.query.js';
import type { PlacesList } from './places.responses.js';
import type { PlacesService } from './places.service.js';

export const placeIdParamsSchema = z.object({
  id: z.coerce
    .number({ error: 'Identifiant de lieu attendu (nombre entier).' })
    .int('Identifiant de lieu attendu (nombre entier).')
    .positive()
    .max(Number.MAX_SAFE_INTEGER),
});

export function placesApiRoutes(deps: { places: PlacesService; publicBaseUrl: string }): Router {
  const router = Router();

  router.get('/places', async (req, res) => {
    const query = parseOrThrow(placesQuerySchema, req.query);
    const [page, count] = await Promise.all([deps.places.search(query), deps.places.count(query)]);
    const list: PlacesList = {
      ...page,
      total: count?.total ?? null,
      total_is_lower_bound: count?.isLowerBound ?? false,
    };
    res.json(withAbsoluteUrls(list, deps.publicBaseUrl));
  });

  router.get('/places/:id', async (req, res) => {
    const { id } = parseOrThrow(placeIdParamsSchema, req.params);
    // A merged-away duplicate: 301 to the kept place, so that clients can update the id they stored.
    const kept = await deps.places.mergedInto(id);
    if (kept) return res.redirect(301, `/api/v1/places/${kept.id}`);
    res.json(await deps.places.getDetail(id, deps.publicBaseUrl));
  });

  return router;
}
