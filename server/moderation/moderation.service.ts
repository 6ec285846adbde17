import type { CurrentUser } from '../accounts/accounts.types.js';
import type { Db } from '../db/knex.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import { composeEmail } from '../mail/emails.js';
import type { Mailer } from '../mail/mailer.js';
import type { Knex } from 'knex';
import { ROLE_NAMES } from '../accounts/accounts.types.js';
import { listAudit, recordAudit } from '../audit/audit.js';
import { auditEntriesView } from '../audit/audit.view.js';
import type { PlaceWrites } from '../places/place-writes.service.js';
import { findPlaceById } from '../places/places.read.js';
import { placePath } from '../places/places.mapping.js';
import type { Clock } from '../shared/clock.js';
import { findReport, setReportStatus, type PlaceReport } from '../reports/reports.moderation.js';
import { REPORT_CATEGORY_NAMES } from '../reports/reports.schemas.js';
import {
  decideClaim,
  decideLabelRequest,
  decideProposal,
  findClaimById,
  findProposal,
  labelRequestsFor,
  upsertClaim,
} from '../editing/stewardship.js';
import { moderationQueue } from './moderation.queue.js';

export type Decision = 'accept' | 'reject';

/**
 * The moderators' queue and decisions; every decision is audited and the person concerned e-mailed.
 * Changes to the place record go through the place-writing service (server/places/).
 */
export function createModerationService(deps: {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  publicBaseUrl: string;
  placeWrites: PlaceWrites;
}) {
  const { db, clock, mailer, placeWrites } = deps;
  const url = (path: string) => new URL(path, deps.publicBaseUrl).toString();
  const requireReason = (decision: Decision, reason: string | null) => {
    if (decision === 'reject' && !reason)
      throw new ValidationError([
        { field: 'motif', message: 'Indiquez le motif : il est envoyé à la personne concernée.' },
      ]);
  };
  const alreadyDecided = () => new ConflictError('Cette demande a déjà été traitée par quelqu’un d’autre.');

  async function decideOnClaim(moderator: CurrentUser, id: number, decision: Decision, reason: string | null) {
    requireReason(decision, reason);
    const claim = await findClaimById(db, id);
    if (!claim) throw new NotFoundError('Cette demande n’existe pas.');
    const now = clock.now();
    await db.transaction(async (trx) => {
      const ok = await decideClaim(
        trx,
        id,
        'pending',
        {
          status: decision === 'accept' ? 'approved' : 'rejected',
          method: decision === 'accept' ? 'moderator' : undefined,
          reason,
          decidedBy: moderator.id,
        },
        now,
      );
      if (!ok) throw alreadyDecided();
      await recordAudit(
        trx,
        {
          actorId: moderator.id,
          action: decision === 'accept' ? 'claim.approved' : 'claim.rejected',
          subjectType: 'claim',
          subjectId: id,
          reason,
          details: { placeId: claim.placeId, userId: claim.userId },
        },
        now,
      );
    });
    await mailer.send(
      decision === 'accept'
        ? composeEmail(claim.userEmail, 'claim-accepted', { nom: claim.placeNom, spaceUrl: url('/mon-espace') })
        : composeEmail(claim.userEmail, 'claim-rejected', { nom: claim.placeNom, reason }),
    );
  }

  async function revokeManager(moderator: CurrentUser, id: number, reason: string | null) {
    requireReason('reject', reason);
    const claim = await findClaimById(db, id);
    if (!claim) throw new NotFoundError('Ce lien n’existe pas.');
    const now = clock.now();
    await db.transaction(async (trx) => {
      const ok = await decideClaim(trx, id, 'approved', { status: 'revoked', reason, decidedBy: moderator.id }, now);
      if (!ok) throw alreadyDecided();
      await recordAudit(
        trx,
        {
          actorId: moderator.id,
          action: 'claim.revoked',
          subjectType: 'claim',
          subjectId: id,
          reason,
          details: { placeId: claim.placeId, userId: claim.userId },
        },
        now,
      );
    });
    await mailer.send(composeEmail(claim.userEmail, 'claim-revoked', { nom: claim.placeNom, reason }));
    return claim;
  }

  async function decideOnProposal(moderator: CurrentUser, id: number, decision: Decision, reason: string | null) {
    requireReason(decision, reason);
    const proposal = await findProposal(db, id);
    if (!proposal) throw new NotFoundError('Cette proposition n’existe pas.');
    const now = clock.now();
    const placeId = await db.transaction(async (trx) => {
      // The place, its first revision and the proposer's claim: all with the decision, or nothing.
      const newPlaceId =
        decision === 'accept'
          ? await placeWrites.create(proposal.record, { author: { userId: proposal.userId, role: 'mediator' }, trx })
          : undefined;
      if (newPlaceId)
        await upsertClaim(
          trx,
          { placeId: newPlaceId, userId: proposal.userId, status: 'approved', method: 'proposal', message: null },
          now,
        );
      const ok = await decideProposal(
        trx,
        id,
        {
          status: decision === 'accept' ? 'accepted' : 'rejected',
          placeId: newPlaceId,
          reason,
          decidedBy: moderator.id,
        },
        now,
      );
      if (!ok) throw alreadyDecided();
      await recordAudit(
        trx,
        {
          actorId: moderator.id,
          action: decision === 'accept' ? 'proposal.accepted' : 'proposal.rejected',
          subjectType: 'proposal',
          subjectId: id,
          reason,
          details: { placeId: newPlaceId ?? null, nom: proposal.record.nom, userId: proposal.userId },
        },
        now,
      );
      return newPlaceId;
    });
    const nom = String(proposal.record.nom);
    // Only an accepted proposal has a place.
    await mailer.send(
      placeId === undefined
        ? composeEmail(proposal.userEmail, 'proposal-rejected', { nom, reason })
        : composeEmail(proposal.userEmail, 'proposal-published', {
            nom,
            placeUrl: url(placePath({ id: placeId, nom })),
            spaceUrl: url('/mon-espace'),
          }),
    );
    return placeId;
  }

  async function decideOnLabelRequest(moderator: CurrentUser, id: number, decision: Decision, reason: string | null) {
    requireReason(decision, reason);
    const request = (await labelRequestsFor(db, { id })).at(0);
    if (!request) throw new NotFoundError('Cette demande n’existe pas.');
    const now = clock.now();
    await db.transaction(async (trx) => {
      const ok = await decideLabelRequest(
        trx,
        id,
        { status: decision === 'accept' ? 'accepted' : 'rejected', reason, decidedBy: moderator.id },
        now,
      );
      if (!ok) throw alreadyDecided();
      if (decision === 'accept') {
        const change =
          request.action === 'add' ? { add: [request.labelId], remove: [] } : { add: [], remove: [request.labelId] };
        await placeWrites.changeLabels(
          request.placeId,
          { ...change, origin: 'mediator' },
          { author: { userId: request.userId, role: 'mediator' }, trx },
        );
      }
      await recordAudit(
        trx,
        {
          actorId: moderator.id,
          action: decision === 'accept' ? 'label_request.accepted' : 'label_request.rejected',
          subjectType: 'label_request',
          subjectId: id,
          reason,
          details: {
            placeId: request.placeId,
            label: request.labelSlug,
            action: request.action,
            userId: request.userId,
          },
        },
        now,
      );
    });
    const what = { adding: request.action === 'add', labelName: request.labelName, placeNom: request.placeNom };
    await mailer.send(
      decision === 'accept'
        ? composeEmail(request.userEmail, 'label-request-accepted', what)
        : composeEmail(request.userEmail, 'label-request-rejected', { ...what, reason }),
    );
  }

  /**
   * Settles a new report (optimistic locking on its version) and audits it, in `trx`; the e-mail
   * to the visitor goes once the caller's transaction has committed (`notifyReporter`).
   */
  async function settleReport(
    trx: Knex.Transaction,
    moderator: CurrentUser,
    id: number,
    version: number,
    decision: Decision,
    reason: string | null,
    now: Date,
  ) {
    const report = await findReport(trx, id);
    if (report?.status !== 'new') throw new ConflictError('Ce signalement n’existe pas ou a déjà été traité.');
    const ok = await setReportStatus(
      trx,
      id,
      version,
      decision === 'accept' ? 'accepted' : 'rejected',
      reason ?? undefined,
    );
    if (!ok) throw alreadyDecided();
    await recordAudit(
      trx,
      {
        actorId: moderator.id,
        action: decision === 'accept' ? 'report.accepted' : 'report.rejected',
        subjectType: 'report',
        subjectId: id,
        reason,
        details: { placeId: report.placeId, category: report.category },
      },
      now,
    );
    return report;
  }

  async function notifyReporter(report: PlaceReport, decision: Decision, reason: string | null) {
    if (!report.email) return;
    const place = await findPlaceById(db, report.placeId);
    await mailer.send(
      composeEmail(report.email, decision === 'accept' ? 'report-accepted' : 'report-rejected', {
        nom: place?.nom ?? '',
        reason,
      }),
    );
  }

  async function decideOnReport(
    moderator: CurrentUser,
    id: number,
    version: number,
    decision: Decision,
    reason: string | null,
  ) {
    const now = clock.now();
    const report = await db.transaction((trx) => settleReport(trx, moderator, id, version, decision, reason, now));
    await notifyReporter(report, decision, reason);
  }

  /**
   * Takes a place off the site ('hidden': search, API and its page answer as if it did not exist)
   * or puts it back ('published'). The reason is required; the change is a revision of the place
   * (section 'statut') and an audit entry. Optionally settles, in the same transaction, the
   * visitor's report that asked for it: both happen or neither.
   */
  async function setPlaceStatus(
    moderator: CurrentUser,
    placeId: number,
    status: 'hidden' | 'published',
    reason: string | null,
    report?: { id: number; version: number },
  ) {
    if (!reason)
      throw new ValidationError([
        { field: 'reason', message: 'Indiquez le motif : il reste dans l’historique du lieu et le journal.' },
      ]);
    const place = await findPlaceById(db, placeId);
    if (!place) throw new NotFoundError('Ce lieu n’existe pas.');
    const now = clock.now();
    const settled = await db.transaction(async (trx) => {
      await placeWrites.setStatus(placeId, status, reason, {
        author: { userId: moderator.id, role: moderator.role === 'admin' ? 'admin' : 'moderator' },
        audit: {
          actorId: moderator.id,
          action: status === 'hidden' ? 'place.hidden' : 'place.published',
          subjectType: 'place',
          subjectId: placeId,
          reason,
          details: { placeId, ...(report ? { reportId: report.id } : {}) },
        },
        trx,
      });
      return report ? settleReport(trx, moderator, report.id, report.version, 'accept', reason, now) : undefined;
    });
    if (settled) await notifyReporter(settled, 'accept', reason);
    return place;
  }

  async function claimById(id: number) {
    const claim = await findClaimById(db, id);
    if (!claim) throw new NotFoundError('Ce lien n’existe pas.');
    return claim;
  }

  return {
    queue: () => moderationQueue(db),
    claimById,
    setPlaceStatus,
    placeById: (id: number) => findPlaceById(db, id),
    decideOnClaim,
    revokeManager,
    decideOnProposal,
    decideOnLabelRequest,
    decideOnReport,
    auditLog: async (viewer: CurrentUser) =>
      auditEntriesView(db, await listAudit(db, { limit: 200 }), {
        viewerIsAdmin: viewer.role === 'admin',
        roleNames: ROLE_NAMES,
        reportCategoryNames: REPORT_CATEGORY_NAMES,
        placePath,
      }),
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
