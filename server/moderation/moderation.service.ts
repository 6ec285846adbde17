import type { CurrentUser } from '../accounts/accounts.types.js';
import type { Db } from '../db/knex.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import { composeEmail } from '../mail/emails.js';
import type { Mailer } from '../mail/mailer.js';
import { findPlaceById } from '../places/places.repository.js';
import { placePath } from '../places/places.mapping.js';
import type { Clock } from '../shared/clock.js';
import { listReports, setReportStatus } from '../reports/reports.repository.js';
import { REPORT_CATEGORY_NAMES } from '../reports/reports.schemas.js';
import { insertPlace, insertRevision, lockPlaceVersion, updatePlaceFields } from '../editing/place-edits.repository.js';
import { communeFill } from '../editing/commune-location.js';
import { FIELD_LABELS, displayValue, valueOf, type EditableField } from '../editing/sections.js';
import {
  applyLabelChange, claimsByStatus, decideClaim, decideLabelRequest, decideProposal, findClaimById, findProposal,
  labelRequestsFor, placeLabelLinks, proposalsByStatus, upsertClaim,
} from '../editing/stewardship.repository.js';
import { randomUUID } from 'node:crypto';
import { listAudit, recordAudit } from './audit.repository.js';
import { auditEntriesView } from './audit.view.js';

export type Decision = 'accept' | 'reject';

const REPORT_FIELDS: Record<string, EditableField[]> = {
  horaires: ['horaires'],
  services: ['services', 'publics_specifiquement_adresses'],
  adresse: ['adresse', 'complement_adresse', 'code_postal', 'commune'],
  contacts: ['telephone', 'courriels', 'site_web'],
};

/** The moderators' queue and decisions; every decision is audited and the person concerned e-mailed. */
export function createModerationService(deps: { db: Db; clock: Clock; mailer: Mailer; publicBaseUrl: string }) {
  const { db, clock, mailer } = deps;
  const url = (path: string) => new URL(path, deps.publicBaseUrl).toString();
  const requireReason = (decision: Decision, reason: string | null) => {
    if (decision === 'reject' && !reason) throw new ValidationError([{ field: 'motif', message: 'Indiquez le motif : il est envoyé à la personne concernée.' }]);
  };
  const alreadyDecided = () => new ConflictError('Cette demande a déjà été traitée par quelqu’un d’autre.');

  async function queue() {
    const [claims, proposals, labelRequests, reports] = await Promise.all([
      claimsByStatus(db, 'pending'),
      proposalsByStatus(db, 'pending'),
      labelRequestsFor(db, { status: 'pending' }),
      listReports(db, { status: 'new' }),
    ]);
    const claimItems = [];
    for (const claim of claims) {
      const place = await findPlaceById(db, claim.placeId);
      claimItems.push({ ...claim, placeUrl: place ? placePath(place) : null, placeEmails: place?.courriels ?? [] });
    }
    const labelItems = [];
    for (const request of labelRequests) {
      const current = (await placeLabelLinks(db, request.placeId)).filter((l) => l.status === 'verified').map((l) => l.name);
      const after = request.action === 'add' ? [...current, request.labelName].sort() : current.filter((n) => n !== request.labelName);
      labelItems.push({ ...request, before: displayValue(current), after: displayValue(after) });
    }
    const reportItems = [];
    for (const report of reports) {
      const place = await findPlaceById(db, report.placeId);
      const fields = REPORT_FIELDS[report.category] ?? [];
      reportItems.push({
        ...report,
        categoryName: REPORT_CATEGORY_NAMES[report.category] ?? report.category,
        placeNom: place?.nom ?? '—',
        // "Le lieu n'existe plus": the moderator can take it off the site from here.
        canHide: report.category === 'n-existe-plus' && place?.status === 'published',
        statusFieldId: `reason-statut-${report.id}`,
        placeUrl: place ? placePath(place) : null,
        // What the visitor questions, as it is online now (the moderator edits the place to change it).
        current: place ? fields.map((field) => ({ field: FIELD_LABELS[field], value: displayValue(valueOf(place, field)) })) : [],
      });
    }
    return {
      claims: claimItems,
      proposals: proposals.map((p) => ({
        ...p,
        diff: Object.entries(p.record)
          .filter(([, v]) => v !== null && !(Array.isArray(v) && !v.length))
          .map(([field, value]) => ({ field: FIELD_LABELS[field as EditableField] ?? field, old: '—', new: displayValue(value) })),
      })),
      labelRequests: labelItems,
      reports: reportItems,
    };
  }

  async function decideOnClaim(moderator: CurrentUser, id: number, decision: Decision, reason: string | null) {
    requireReason(decision, reason);
    const claim = await findClaimById(db, id);
    if (!claim) throw new NotFoundError('Cette demande n’existe pas.');
    const now = clock.now();
    await db.transaction(async (trx) => {
      const ok = await decideClaim(trx, id, 'pending', { status: decision === 'accept' ? 'approved' : 'rejected', method: decision === 'accept' ? 'moderator' : undefined, reason, decidedBy: moderator.id }, now);
      if (!ok) throw alreadyDecided();
      await recordAudit(trx, { actorId: moderator.id, action: decision === 'accept' ? 'claim.approved' : 'claim.rejected', subjectType: 'claim', subjectId: id, reason, details: { placeId: claim.placeId, userId: claim.userId } }, now);
    });
    await mailer.send(decision === 'accept'
      ? composeEmail(claim.userEmail, 'claim-accepted', { nom: claim.placeNom, spaceUrl: url('/mon-espace') })
      : composeEmail(claim.userEmail, 'claim-rejected', { nom: claim.placeNom, reason }));
  }

  async function revokeManager(moderator: CurrentUser, id: number, reason: string | null) {
    requireReason('reject', reason);
    const claim = await findClaimById(db, id);
    if (!claim) throw new NotFoundError('Ce lien n’existe pas.');
    const now = clock.now();
    await db.transaction(async (trx) => {
      const ok = await decideClaim(trx, id, 'approved', { status: 'revoked', reason, decidedBy: moderator.id }, now);
      if (!ok) throw alreadyDecided();
      await recordAudit(trx, { actorId: moderator.id, action: 'claim.revoked', subjectType: 'claim', subjectId: id, reason, details: { placeId: claim.placeId, userId: claim.userId } }, now);
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
      let newPlaceId: number | undefined;
      if (decision === 'accept') {
        // Typed without an INSEE code, often without coordinates: the commune gives both (its centre, flagged approximate).
        const fill = await communeFill(trx, { code_postal: proposal.record.code_postal, commune: proposal.record.commune, latitude: proposal.record.latitude, longitude: proposal.record.longitude });
        newPlaceId = await insertPlace(trx, { ...proposal.record, ...fill, source: 'epn-finder', source_id: randomUUID() }, now);
        await insertRevision(trx, {
          placeId: newPlaceId, version: 1, userId: proposal.userId, authorRole: 'mediator', kind: 'create',
          changes: Object.fromEntries(Object.entries(proposal.record).map(([k, v]) => [k, { old: null, new: v }])),
        }, now);
        await upsertClaim(trx, { placeId: newPlaceId, userId: proposal.userId, status: 'approved', method: 'proposal', message: null }, now);
      }
      const ok = await decideProposal(trx, id, { status: decision === 'accept' ? 'accepted' : 'rejected', placeId: newPlaceId, reason, decidedBy: moderator.id }, now);
      if (!ok) throw alreadyDecided();
      await recordAudit(trx, { actorId: moderator.id, action: decision === 'accept' ? 'proposal.accepted' : 'proposal.rejected', subjectType: 'proposal', subjectId: id, reason, details: { placeId: newPlaceId ?? null, nom: proposal.record.nom, userId: proposal.userId } }, now);
      return newPlaceId;
    });
    const nom = String(proposal.record.nom);
    await mailer.send(decision === 'accept'
      ? composeEmail(proposal.userEmail, 'proposal-published', { nom, placeUrl: url(placePath({ id: placeId!, nom })), spaceUrl: url('/mon-espace') })
      : composeEmail(proposal.userEmail, 'proposal-rejected', { nom, reason }));
    return placeId;
  }

  async function decideOnLabelRequest(moderator: CurrentUser, id: number, decision: Decision, reason: string | null) {
    requireReason(decision, reason);
    const [request] = await labelRequestsFor(db, { id });
    if (!request) throw new NotFoundError('Cette demande n’existe pas.');
    const now = clock.now();
    await db.transaction(async (trx) => {
      const ok = await decideLabelRequest(trx, id, { status: decision === 'accept' ? 'accepted' : 'rejected', reason, decidedBy: moderator.id }, now);
      if (!ok) throw alreadyDecided();
      if (decision === 'accept') {
        const before = (await placeLabelLinks(trx, request.placeId)).filter((l) => l.status === 'verified').map((l) => l.slug);
        await applyLabelChange(trx, { placeId: request.placeId, labelId: request.labelId, action: request.action, origin: 'mediator' }, now);
        const after = (await placeLabelLinks(trx, request.placeId)).filter((l) => l.status === 'verified').map((l) => l.slug);
        const version = (await trx('places').where({ id: request.placeId }).first('version')).version as number;
        await insertRevision(trx, { placeId: request.placeId, version, userId: request.userId, authorRole: 'mediator', kind: 'labels', changes: { labels: { old: before, new: after } } }, now);
      }
      await recordAudit(trx, { actorId: moderator.id, action: decision === 'accept' ? 'label_request.accepted' : 'label_request.rejected', subjectType: 'label_request', subjectId: id, reason, details: { placeId: request.placeId, label: request.labelSlug, action: request.action, userId: request.userId } }, now);
    });
    const what = { adding: request.action === 'add', labelName: request.labelName, placeNom: request.placeNom };
    await mailer.send(decision === 'accept'
      ? composeEmail(request.userEmail, 'label-request-accepted', what)
      : composeEmail(request.userEmail, 'label-request-rejected', { ...what, reason }));
  }

  async function decideOnReport(moderator: CurrentUser, id: number, version: number, decision: Decision, reason: string | null) {
    // Only new reports can be decided; read through the reports feature's own repository.
    const report = (await listReports(db, { status: 'new' }, 10_000)).find((r) => r.id === id);
    if (!report) throw new ConflictError('Ce signalement n’existe pas ou a déjà été traité.');
    const now = clock.now();
    const ok = await setReportStatus(db, id, version, decision === 'accept' ? 'accepted' : 'rejected', reason ?? undefined);
    if (!ok) throw alreadyDecided();
    await recordAudit(db, { actorId: moderator.id, action: decision === 'accept' ? 'report.accepted' : 'report.rejected', subjectType: 'report', subjectId: id, reason, details: { placeId: report.placeId, category: report.category } }, now);
    if (report.email) {
      const place = await findPlaceById(db, report.placeId);
      await mailer.send(composeEmail(report.email, decision === 'accept' ? 'report-accepted' : 'report-rejected', { nom: place?.nom ?? '', reason }));
    }
  }

  /**
   * Takes a place off the site ('hidden': search, API and its page answer as if it did not exist)
   * or puts it back ('published'). The reason is required; the change is a revision of the place
   * (section 'statut') and an audit entry. Optionally settles the visitor's report that asked for it.
   */
  async function setPlaceStatus(
    moderator: CurrentUser, placeId: number, status: 'hidden' | 'published', reason: string | null,
    report?: { id: number; version: number },
  ) {
    if (!reason) throw new ValidationError([{ field: 'reason', message: 'Indiquez le motif : il reste dans l’historique du lieu et le journal.' }]);
    const place = await findPlaceById(db, placeId);
    if (!place) throw new NotFoundError('Ce lieu n’existe pas.');
    const now = clock.now();
    await db.transaction(async (trx) => {
      const version = await lockPlaceVersion(trx, placeId);
      const current = await trx('places').where({ id: placeId }).first('status');
      if (version === undefined || current.status === status) {
        throw new ConflictError(status === 'hidden' ? 'Ce lieu est déjà masqué.' : 'Ce lieu est déjà en ligne.');
      }
      const newVersion = (await updatePlaceFields(trx, placeId, version, { status }, now))!;
      await insertRevision(trx, {
        placeId, version: newVersion, userId: moderator.id, authorRole: moderator.role === 'admin' ? 'admin' : 'moderator', kind: 'edit', section: 'statut',
        changes: { status: { old: current.status, new: status }, motif: { old: null, new: reason } },
      }, now);
      await recordAudit(trx, { actorId: moderator.id, action: status === 'hidden' ? 'place.hidden' : 'place.published', subjectType: 'place', subjectId: placeId, reason, details: { placeId, ...(report ? { reportId: report.id } : {}) } }, now);
    });
    if (report) await decideOnReport(moderator, report.id, report.version, 'accept', reason);
    return place;
  }

  async function claimById(id: number) {
    const claim = await findClaimById(db, id);
    if (!claim) throw new NotFoundError('Ce lien n’existe pas.');
    return claim;
  }

  return {
    queue, claimById, setPlaceStatus, placeById: (id: number) => findPlaceById(db, id), decideOnClaim, revokeManager, decideOnProposal, decideOnLabelRequest, decideOnReport,
    auditLog: async (viewer: CurrentUser) => auditEntriesView(db, await listAudit(db, { limit: 200 }), viewer.role === 'admin'),
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
