import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { toFieldErrors } from '../http/validation.js';
import { parseOrThrow } from '../http/validation.js';
import { placePath } from '../places/places.mapping.js';
import { renderPlacePage, type PlacePageDeps } from '../places/places.pages.js';
import type { Db } from '../db/knex.js';
import { insertReport } from './reports.repository.js';
import { reportFormSchema } from './reports.schemas.js';

const reportParamsSchema = z.object({
  id: z.coerce.number({ error: 'Identifiant de lieu attendu.' }).int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** "Signaler une erreur" on a place page: stored for moderation, then back to the page with thanks. */
export function reportsRoutes(
  deps: PlacePageDeps & { db: Db; limit?: RequestHandler; limitPerEmail: RequestHandler },
): Router {
  const router = Router();
  const limit: RequestHandler = deps.limit ?? ((_req, _res, next) => next());
  // Per IP (given by the app) and per e-mail address, when the visitor leaves one.
  const limitPerEmail = deps.limitPerEmail;

  router.post('/lieux/:id/signalement', limit, limitPerEmail, async (req, res) => {
    const { id } = parseOrThrow(reportParamsSchema, req.params);
    const { place } = await deps.places.getPublished(id);
    const parsed = reportFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const errorList = toFieldErrors(parsed.error);
      const errors = Object.fromEntries(errorList.map((e) => [e.field, e.message]));
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
      return renderPlacePage(
        deps,
        res,
        id,
        { values: { category: text('category'), message: text('message'), email: text('email') }, errors, errorList },
        400,
      );
    }
    await insertReport(deps.db, { placeId: place.id, ...parsed.data });
    res.redirect(303, `${placePath(place)}?signalement=merci#signaler`);
  });

  return router;
}
