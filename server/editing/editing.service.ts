import type { CurrentUser } from '../accounts/accounts.types.js';
import type { Db } from '../db/knex.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { composeEmail } from '../mail/emails.js';
import type { Mailer } from '../mail/mailer.js';
import { recordAudit } from '../audit/audit.js';
import {
  findPlaceById,
  findPlacesByIds,
  labelLinksOfPlaces,
  latestChangeAndVerification,
  listRevisions,
  type AuthorRole,
  type Revision,
} from '../places/places.read.js';
import type { Author, FieldsSaveResult, PlaceWrites } from '../places/place-writes.service.js';
import type { Clock } from '../shared/clock.js';
import type { Place } from '../places/places.types.js';
import { placePath } from '../places/places.mapping.js';
import { completeness, freshness } from './completeness.js';
import { type EditableField, SECTIONS } from './sections.js';
import {
  allLabels,
  claimsOfUser,
  findClaim,
  insertLabelRequest,
  insertProposal,
  isManager,
  labelRequestsFor,
  managersOfPlace,
  proposalsOfUser,
  publishedPlacesWithDomain,
  upsertClaim,
} from './stewardship.repository.js';
import { automaticClaimMethod, domainOf } from './claim-policy.js';

export const isModerator = (user: CurrentUser | undefined) => user?.role === 'moderator' || user?.role === 'admin';

export type SaveResult =
  | { status: 'saved'; version: number; changed: string[] }
  | { status: 'unchanged' }
  | { status: 'conflict'; current: Place; revisions: Revision[] };

const authorOf = (user: CurrentUser): Author => ({ userId: user.id, role: user.role });

/** Who looks after a place's listing, as the public page says it. */
export type Steward = 'team' | 'moderation' | 'import';
const stewardOf = (role: AuthorRole): Steward =>
  role === 'mediator' ? 'team' : role === 'system' ? 'import' : 'moderation';

/** What a revert may put back: the fields of the editing forms (not the status nor the labels). */
const REVERTABLE_FIELDS: ReadonlySet<string> = new Set(SECTIONS.flatMap((s) => s.fields));

/**
 * Who may change a place and how mediators ask for it: every authorization is decided here, in the
 * function that performs the action (routes do not check again); the place record itself is
 * written by the place-writing service (server/places/place-writes.service.ts).
 */
export function createEditingService(deps: {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  publicBaseUrl: string;
  placeWrites: PlaceWrites;
}) {
  const { db, clock, mailer, placeWrites } = deps;
  const url = (path: string) => new URL(path, deps.publicBaseUrl).toString();

  async function getPlace(placeId: number): Promise<Place> {
    const place = await findPlaceById(db, placeId);
    if (!place) throw new NotFoundError('Ce lieu n’existe pas.');
    return place;
  }

  async function canManage(user: CurrentUser | undefined, placeId: number): Promise<boolean> {
    if (!user) return false;
    if (isModerator(user)) return true;
    return user.verified && (await isManager(db, placeId, user.id));
  }

  /** The place, if this person may change it (its approved mediators, moderators, admins); 403 otherwise. */
  async function placeToManage(user: CurrentUser, placeId: number): Promise<Place> {
    const place = await getPlace(placeId);
    if (!(await canManage(user, placeId)))
      throw new ForbiddenError('Seuls les médiateurs de ce lieu et la modération peuvent le modifier.');
    return place;
  }

  async function dashboard(user: CurrentUser) {
    const now = clock.now();
    const claims = await claimsOfUser(db, user.id);
    const approved = claims.filter((c) => c.status === 'approved');
    // One query for every managed place, however many (was one per place).
    const places = await findPlacesByIds(
      db,
      approved.map((c) => c.placeId),
    );
    const managed = approved.flatMap((claim) => {
      const place = places.get(claim.placeId);
      return place
        ? [{ place, path: placePath(place), completeness: completeness(place), freshness: freshness(place, now) }]
        : [];
    });
    return {
      managed,
      pending: claims.filter((c) => c.status === 'pending'),
      refused: claims.filter((c) => c.status === 'rejected' || c.status === 'revoked'),
      proposals: await proposalsOfUser(db, user.id),
    };
  }

  // ---------- Claims ----------

  async function claim(user: CurrentUser, placeId: number, message: string | null) {
    if (!user.verified) throw new ForbiddenError('Confirmez d’abord votre adresse e-mail (lien reçu à l’inscription).');
    const place = await getPlace(placeId);
    const existing = await findClaim(db, placeId, user.id);
    if (existing && (existing.status === 'approved' || existing.status === 'pending'))
      return { status: existing.status, place };
    // Once a moderator has rejected or revoked this person for this place, only a moderator can let them back in.
    const decidedBefore = existing && (existing.status === 'rejected' || existing.status === 'revoked');
    const method = decidedBefore
      ? null
      : automaticClaimMethod(user.email, place.courriels, await publishedPlacesWithDomain(db, domainOf(user.email)));
    const now = clock.now();
    const status = method ? 'approved' : 'pending';
    await db.transaction(async (trx) => {
      const id = await upsertClaim(trx, { placeId, userId: user.id, status, method, message }, now);
      if (method) {
        await recordAudit(
          trx,
          {
            actorId: null,
            action: 'claim.approved',
            subjectType: 'claim',
            subjectId: id,
            details: { placeId, userId: user.id, method, automatic: true },
          },
          now,
        );
      }
    });
    await mailer.send(
      method
        ? composeEmail(user.email, 'claim-approved-automatically', { nom: place.nom, spaceUrl: url('/mon-espace') })
        : composeEmail(user.email, 'claim-received', { nom: place.nom }),
    );
    return { status, place };
  }

  // ---------- Edits, with optimistic locking and revisions ----------

  /**
   * Saves `values` if the place is still at `version`; every accepted save is one revision with
   * the old and new value of each field that changed. A stale version gets a conflict (409), with
   * the place as it is now and the revisions saved since `version`.
   */
  async function saveFields(
    user: CurrentUser,
    placeId: number,
    version: number,
    values: Partial<Record<EditableField, unknown>>,
    meta: { kind: 'edit' | 'revert'; section?: string; revertsRevisionId?: number },
  ): Promise<SaveResult> {
    await placeToManage(user, placeId);
    return withConflictDetails(
      placeId,
      version,
      await placeWrites.saveFields(placeId, version, values, { author: authorOf(user), ...meta }),
    );
  }

  async function withConflictDetails(placeId: number, version: number, result: FieldsSaveResult): Promise<SaveResult> {
    if (result.status !== 'conflict') return result;
    const current = await findPlaceById(db, placeId);
    if (!current) throw new Error(`Place ${placeId} vanished while its edit was in conflict`);
    return { status: 'conflict', current, revisions: await listRevisions(db, placeId, { afterVersion: version }) };
  }

  async function confirmUpToDate(user: CurrentUser, placeId: number) {
    await placeToManage(user, placeId);
    await placeWrites.markVerified(placeId, { author: authorOf(user) });
  }

  async function history(user: CurrentUser, placeId: number) {
    const place = await placeToManage(user, placeId);
    return { place, revisions: await listRevisions(db, placeId) };
  }

  /** Puts every field back as it was right after `revisionId`; the revert is itself a new revision. */
  async function revert(user: CurrentUser, placeId: number, revisionId: number, version: number): Promise<SaveResult> {
    await placeToManage(user, placeId);
    const result = await placeWrites.revert(placeId, revisionId, version, {
      author: authorOf(user),
      fields: REVERTABLE_FIELDS,
    });
    return withConflictDetails(placeId, version, result);
  }

  /**
   * For the public page: the latest revision (a change or a confirmation) and who made it —
   * 'team' (the place's mediators), 'moderation' (moderators, admins) or 'import' (open-data
   * imports, which are not the moderation) — and the latest confirmation ("toujours à jour") on its own.
   */
  async function lastUpdate(placeId: number) {
    const { change: revision, verification } = await latestChangeAndVerification(db, placeId);
    if (!revision) return null;
    return {
      at: revision.createdAt,
      by: stewardOf(revision.authorRole),
      isVerification: revision.kind === 'verify',
      verification: verification ? { at: verification.createdAt, by: stewardOf(verification.authorRole) } : null,
    };
  }

  /**
   * The place page's stewardship line: who last updated it, and the link to manage it (its
   * mediators, moderators) or to claim it (anyone else). Given to the page by app.ts.
   */
  async function stewardship(user: CurrentUser | undefined, placeId: number) {
    const [latest, manage] = await Promise.all([lastUpdate(placeId), canManage(user, placeId)]);
    return {
      lastUpdate: latest,
      claimUrl: `/mon-espace/lieux/${placeId}/demande`,
      manageUrl: manage ? `/mon-espace/lieux/${placeId}` : null,
    };
  }

  // ---------- Labels: requests for mediators, immediate for moderators ----------

  async function labelsView(user: CurrentUser, placeId: number) {
    const place = await placeToManage(user, placeId);
    const [labels, links, requests] = await Promise.all([
      allLabels(db),
      labelLinksOfPlaces(db, [placeId]),
      labelRequestsFor(db, { placeId, status: 'pending' }),
    ]);
    return { place, labels, links, requests };
  }

  async function changeLabels(user: CurrentUser, placeId: number, change: { add: number[]; remove: number[] }) {
    await placeToManage(user, placeId);
    const known = new Set((await allLabels(db)).map((l) => l.id));
    const links = new Set(
      (await labelLinksOfPlaces(db, [placeId])).filter((l) => l.status === 'verified').map((l) => l.labelId),
    );
    const add = change.add.filter((id) => known.has(id) && !links.has(id));
    const remove = change.remove.filter((id) => links.has(id));
    if (!add.length && !remove.length) {
      throw new ValidationError([{ field: 'add', message: 'Choisissez un label à ajouter ou à retirer.' }]);
    }
    const now = clock.now();
    if (!isModerator(user)) {
      await db.transaction(async (trx) => {
        for (const labelId of add)
          await insertLabelRequest(trx, { placeId, labelId, action: 'add', userId: user.id }, now);
        for (const labelId of remove)
          await insertLabelRequest(trx, { placeId, labelId, action: 'remove', userId: user.id }, now);
      });
      return { applied: false };
    }
    await placeWrites.changeLabels(
      placeId,
      { add, remove, origin: 'moderator' },
      {
        author: authorOf(user),
        audit: {
          actorId: user.id,
          action: 'labels.changed',
          subjectType: 'place',
          subjectId: placeId,
          details: { add, remove },
        },
      },
    );
    return { applied: true };
  }

  // ---------- New places ----------

  async function propose(user: CurrentUser, record: Record<string, unknown>) {
    if (!user.verified) throw new ForbiddenError('Confirmez d’abord votre adresse e-mail (lien reçu à l’inscription).');
    return insertProposal(db, { userId: user.id, record }, clock.now());
  }

  return {
    getPlace,
    canManage,
    placeToManage,
    dashboard,
    claim,
    saveFields,
    confirmUpToDate,
    history,
    revert,
    lastUpdate,
    stewardship,
    labelsView,
    changeLabels,
    propose,
    managersOfPlace: (placeId: number) => managersOfPlace(db, placeId),
    claimOf: (placeId: number, userId: number) => findClaim(db, placeId, userId),
  };
}

export type EditingService = ReturnType<typeof createEditingService>;
