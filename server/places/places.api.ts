import { Router } from 'express';
import { z } from 'zod';
import { sendKept } from '../shared/send-kept.js';
import { parseOrThrow } from '../http/validation.js';
import { placesQuerySchema } from './places.query.js';
import type { PlacesList } from './places.responses.js';
import type { PlacesService } from './places.service.js';
import type { DetailAnswers } from './detail-answers.js';
import type { ListAnswers } from './list-answers.js';

export const placeIdParamsSchema = z.object({
  id: z.coerce
    .number({ error: 'Identifiant de lieu attendu (nombre entier).' })
    .int('Identifiant de lieu attendu (nombre entier).')
    .positive()
    .max(Number.MAX_SAFE_INTEGER),
});

export function placesApiRoutes(deps: { places: PlacesService; details: DetailAnswers; lists: ListAnswers }): Router {
  const router = Router();

  router.get('/places', async (req, res) => {
    const query = parseOrThrow(placesQuerySchema, req.query);
    const answer = await deps.lists(query, async () => {
      // A text's count comes from the page's own walk through the words (TextMatcher.search): asked
      // after the page, it costs nothing; asked beside it, the walk would be made twice.
      const [page, count] =
        query.q === undefined
          ? await Promise.all([deps.places.search(query), deps.places.count(query)])
          : [await deps.places.search(query), await deps.places.count(query)];
      const list: PlacesList = {
        ...page,
        total: count?.total ?? null,
        total_is_lower_bound: count?.isLowerBound ?? false,
      };
      return list;
    });
    sendKept(req, res, 'json', answer);
  });

  router.get('/places/:id', async (req, res) => {
    const { id } = parseOrThrow(placeIdParamsSchema, req.params);
    const answer = await deps.details(id);
    // A merged-away duplicate: 301 to the kept place, so that clients can update the id they stored.
    if ('movedTo' in answer) return res.redirect(301, `/api/v1/places/${answer.movedTo}`);
    sendKept(req, res, 'json', answer);
  });

  return router;
}
