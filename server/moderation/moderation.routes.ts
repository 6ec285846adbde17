import { Router, type Response } from 'express';
import { z } from 'zod';
import { requireRole } from '../accounts/auth.middleware.js';
import type { CurrentUser } from '../accounts/accounts.types.js';
import { parseOrThrow } from '../http/validation.js';
import { positiveInt } from '../accounts/accounts.schemas.js';
import type { ModerationService } from './moderation.service.js';

const idParams = z.object({ id: positiveInt() });
const reason = z.string().trim().max(1000, 'Motif trop long (1000 caractères au plus).').optional().transform((v) => v || null);
const decisionBody = z.object({
  decision: z.enum(['accept', 'reject'], 'Choisissez « accepter » ou « refuser ».'),
  reason,
});
const reportDecisionBody = decisionBody.extend({ version: positiveInt('Version du formulaire manquante ou invalide : rechargez la page.') });
const revokeBody = z.object({ reason, retour: z.string().optional() });

const DONE: Record<string, string> = {
  fait: 'Décision enregistrée ; la personne concernée a été prévenue par e-mail.',
  retire: 'Accès retiré ; la personne concernée a été prévenue par e-mail.',
};

/** The moderators' queue (claims, new places, label requests, visitors' reports) and the audit log. */
export function moderationRoutes(deps: { moderation: ModerationService }) {
  const { moderation } = deps;
  const router = Router();
  const guard = requireRole('moderator', 'admin');
  const me = (res: Response) => res.locals.currentUser as CurrentUser;
  const back = (res: Response, message = 'fait') => res.redirect(303, `/moderation?message=${message}`);

  router.get('/moderation', guard, async (req, res) => {
    const queue = await moderation.queue();
    res.render('pages/moderation/queue', {
      pageTitle: 'Modération',
      nav: 'moderation',
      notice: typeof req.query.message === 'string' ? DONE[req.query.message] : undefined,
      ...queue,
      empty: !queue.claims.length && !queue.proposals.length && !queue.labelRequests.length && !queue.reports.length,
    });
  });

  router.post('/moderation/demandes/:id', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const { decision, reason } = parseOrThrow(decisionBody, req.body);
    await moderation.decideOnClaim(me(res), id, decision, reason);
    back(res);
  });

  router.post('/moderation/gestionnaires/:id/retirer', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const { reason } = parseOrThrow(revokeBody, req.body);
    const claim = await moderation.revokeManager(me(res), id, reason);
    res.redirect(303, `/mon-espace/lieux/${claim.placeId}`);
  });

  router.post('/moderation/propositions/:id', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const { decision, reason } = parseOrThrow(decisionBody, req.body);
    await moderation.decideOnProposal(me(res), id, decision, reason);
    back(res);
  });

  router.post('/moderation/labels/:id', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const { decision, reason } = parseOrThrow(decisionBody, req.body);
    await moderation.decideOnLabelRequest(me(res), id, decision, reason);
    back(res);
  });

  router.post('/moderation/signalements/:id', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const { decision, reason, version } = parseOrThrow(reportDecisionBody, req.body);
    await moderation.decideOnReport(me(res), id, version, decision, reason);
    back(res);
  });

  router.get('/moderation/journal', guard, async (_req, res) => {
    res.render('pages/moderation/audit', { pageTitle: 'Journal de modération', nav: 'moderation', entries: await moderation.auditLog() });
  });

  return router;
}
