import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../accounts/auth.middleware.js';
import { parseOrThrow } from '../http/validation.js';
import { decodeQualityPosition, type QualityDashboard } from '../places/place-quality.service.js';

const dashboardQuery = z.object({
  departement: z
    .string()
    .regex(/^(\d{2,3}|2[AB])$/, 'Département attendu : 2 ou 3 caractères (ex. 13, 2A, 974).')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  apres: z.string().max(40).optional(),
});

const nextPage = (departement: string | undefined, after: string) =>
  new URLSearchParams({ ...(departement ? { departement } : {}), apres: after }).toString();

/** The data-quality dashboard (moderators and admins): worst places first, by département. */
export function qualityRoutes(deps: { quality: QualityDashboard }) {
  const router = Router();

  router.get('/moderation/qualite', requireRole('moderator', 'admin'), async (req, res) => {
    const query = parseOrThrow(dashboardQuery, req.query);
    const view = await deps.quality.dashboard({
      departement: query.departement,
      after: decodeQualityPosition(query.apres),
    });
    res.render('pages/moderation/quality', {
      pageTitle: query.departement ? `Qualité des données — département ${query.departement}` : 'Qualité des données',
      nav: 'moderation',
      departement: query.departement,
      nextUrl: view.next ? `/moderation/qualite?${nextPage(query.departement, view.next)}` : null,
      ...view,
    });
  });

  return router;
}
