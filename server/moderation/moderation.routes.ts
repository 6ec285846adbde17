import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireRole, signedInUser } from '../accounts/auth.middleware.js';
import { parseOrThrow } from '../http/validation.js';
import { NotFoundError } from '../http/errors.js';
import { positiveInt } from '../accounts/accounts.schemas.js';
import type { ModerationService } from './moderation.service.js';

const idParams = z.object({ id: positiveInt() });
const REASON_MAX = 1000;
const reason = z
  .string()
  .trim()
  .max(REASON_MAX, `Motif trop long (${REASON_MAX} caractères au plus).`)
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : v));
const decisionBody = z.object({
  decision: z.enum(['accept', 'reject'], 'Choisissez « accepter » ou « refuser ».'),
  reason,
});
const reportDecisionBody = decisionBody.extend({
  version: positiveInt('Version du formulaire manquante ou invalide : rechargez la page.'),
});
const revokeBody = z.object({ reason, retour: z.string().optional() });

const REASON_REQUIRED = 'Indiquez le motif du refus : il est envoyé à la personne concernée.';

const DONE: Record<string, string> = {
  fait: 'Décision enregistrée ; la personne concernée a été prévenue par e-mail.',
  retire: 'Accès retiré ; la personne concernée a été prévenue par e-mail.',
  masque: 'Lieu masqué : il n’apparaît plus sur le site ; le signalement est pris en compte.',
  republie: 'Lieu republié.',
};

type Kind = 'demandes' | 'propositions' | 'labels' | 'signalements';
/** A decision form to show again, with the message next to its "Motif" field and what was typed. */
interface FormProblem {
  kind: Kind;
  id: number;
  message: string;
  reason: string;
}

const typedReason = (body: unknown) => {
  const value = (body as Record<string, unknown> | undefined)?.reason;
  return typeof value === 'string' ? value : '';
};

/** The moderators' queue (claims, new places, label requests, visitors' reports) and the audit log. */
export function moderationRoutes(deps: { moderation: ModerationService }) {
  const { moderation } = deps;
  const router = Router();
  const guard = requireRole('moderator', 'admin');
  const me = (res: Response) => signedInUser(res);
  const back = (res: Response, message = 'fait') => res.redirect(303, `/moderation?message=${message}`);

  async function renderQueue(res: Response, status: number, view: { notice?: string; problem?: FormProblem } = {}) {
    const queue = await moderation.queue();
    const { problem } = view;
    const withForm = <T extends { id: number }>(kind: Kind, items: T[]) =>
      items.map((item) =>
        problem?.kind === kind && problem.id === item.id
          ? { ...item, reasonError: problem.message, reasonValue: problem.reason }
          : item,
      );
    res.status(status).render('pages/moderation/queue', {
      pageTitle: 'Modération',
      nav: 'moderation',
      notice: view.notice,
      errorList: problem ? [{ field: `reason-${problem.kind}-${problem.id}`, message: problem.message }] : [],
      claims: withForm('demandes', queue.claims),
      proposals: withForm('propositions', queue.proposals),
      labelRequests: withForm('labels', queue.labelRequests),
      reports: withForm('signalements', queue.reports),
      empty: !queue.claims.length && !queue.proposals.length && !queue.labelRequests.length && !queue.reports.length,
    });
  }

  router.get('/moderation', guard, async (req, res) => {
    await renderQueue(res, 200, {
      notice: typeof req.query.message === 'string' ? DONE[req.query.message] : undefined,
    });
  });

  /**
   * Reads a decision form. A missing or too long reason re-renders the queue (400) with the
   * message next to that item's "Motif" field; returns undefined then.
   */
  async function decisionOf<S extends typeof decisionBody | typeof reportDecisionBody>(
    req: Request,
    res: Response,
    kind: Kind,
    id: number,
    schema: S,
    reasonRequired: boolean,
  ): Promise<z.output<S> | undefined> {
    const rawReason = (req.body as Record<string, unknown> | undefined)?.reason;
    const reasonCheck = reason.safeParse(typeof rawReason === 'string' ? rawReason : undefined);
    if (!reasonCheck.success) {
      await renderQueue(res, 400, {
        problem: { kind, id, message: reasonCheck.error.issues[0].message, reason: typedReason(req.body) },
      });
      return undefined;
    }
    const body = parseOrThrow(schema, req.body) as z.output<S>;
    if (reasonRequired && body.decision === 'reject' && !body.reason) {
      await renderQueue(res, 400, { problem: { kind, id, message: REASON_REQUIRED, reason: typedReason(req.body) } });
      return undefined;
    }
    return body;
  }

  router.post('/moderation/demandes/:id', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const body = await decisionOf(req, res, 'demandes', id, decisionBody, true);
    if (!body) return;
    await moderation.decideOnClaim(me(res), id, body.decision, body.reason);
    back(res);
  });

  router.post('/moderation/gestionnaires/:id/retirer', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const parsed = revokeBody.safeParse(req.body);
    if (!parsed.success || !parsed.data.reason) {
      // Back to the place's page, where the message sits next to this manager's "Motif" field.
      const claim = await moderation.claimById(id);
      const problem = parsed.success ? 'motif-manquant' : 'motif-trop-long';
      return res.redirect(303, `/mon-espace/lieux/${claim.placeId}?retrait=${id}&probleme=${problem}#reason-${id}`);
    }
    const claim = await moderation.revokeManager(me(res), id, parsed.data.reason);
    res.redirect(303, `/mon-espace/lieux/${claim.placeId}`);
  });

  router.post('/moderation/propositions/:id', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const body = await decisionOf(req, res, 'propositions', id, decisionBody, true);
    if (!body) return;
    await moderation.decideOnProposal(me(res), id, body.decision, body.reason);
    back(res);
  });

  router.post('/moderation/labels/:id', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const body = await decisionOf(req, res, 'labels', id, decisionBody, true);
    if (!body) return;
    await moderation.decideOnLabelRequest(me(res), id, body.decision, body.reason);
    back(res);
  });

  router.post('/moderation/signalements/:id', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const body = await decisionOf(req, res, 'signalements', id, reportDecisionBody, false);
    if (!body) return;
    await moderation.decideOnReport(me(res), id, body.version, body.decision, body.reason);
    back(res);
  });

  // ---------- Take a place off the site, or put it back ----------

  const statusQuery = z.object({ signalement: positiveInt().optional(), version: positiveInt().optional() });
  const statusBody = z.object({
    status: z.enum(['hidden', 'published'], 'Choisissez « masquer » ou « republier ».'),
    signalement: z.union([positiveInt(), z.literal('').transform(() => undefined)]).optional(),
    version: z.union([positiveInt(), z.literal('').transform(() => undefined)]).optional(),
  });

  async function renderPlaceStatus(
    res: Response,
    status: number,
    placeId: number,
    view: { reportId?: number; reportVersion?: number; reasonError?: string; reasonValue?: string },
  ) {
    const place = await moderation.placeById(placeId);
    if (!place) throw new NotFoundError('Ce lieu n’existe pas.');
    res.status(status).render('pages/moderation/place-status', {
      pageTitle: `${place.status === 'hidden' ? 'Republier' : 'Masquer'} — ${place.nom}`,
      nav: 'moderation',
      place,
      hidden: place.status === 'hidden',
      ...view,
      errorList: view.reasonError ? [{ field: 'reason', message: view.reasonError }] : [],
    });
  }

  router.get('/moderation/lieux/:id/statut', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const query = parseOrThrow(statusQuery, req.query);
    await renderPlaceStatus(res, 200, id, { reportId: query.signalement, reportVersion: query.version });
  });

  router.post('/moderation/lieux/:id/statut', guard, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const body = parseOrThrow(statusBody, req.body);
    const report = body.signalement && body.version ? { id: body.signalement, version: body.version } : undefined;
    const rawReason = (req.body as Record<string, unknown> | undefined)?.reason;
    const reasonCheck = reason.safeParse(typeof rawReason === 'string' ? rawReason : undefined);
    if (!reasonCheck.success || !reasonCheck.data) {
      const message = reasonCheck.success
        ? 'Indiquez le motif : il reste dans l’historique du lieu et le journal.'
        : reasonCheck.error.issues[0].message;
      return renderPlaceStatus(res, 400, id, {
        reportId: report?.id,
        reportVersion: report?.version,
        reasonError: message,
        reasonValue: typedReason(req.body),
      });
    }
    await moderation.setPlaceStatus(me(res), id, body.status, reasonCheck.data, report);
    if (report) return back(res, body.status === 'hidden' ? 'masque' : 'republie');
    res.redirect(303, `/mon-espace/lieux/${id}/historique?message=${body.status === 'hidden' ? 'masque' : 'republie'}`);
  });

  router.get('/moderation/journal', guard, async (_req, res) => {
    res.render('pages/moderation/audit', {
      pageTitle: 'Journal de modération',
      nav: 'moderation',
      entries: await moderation.auditLog(me(res)),
    });
  });

  return router;
}
