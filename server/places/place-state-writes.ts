import type { Knex } from 'knex';
import type { AuditEntry } from '../audit/record-audit.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import type { Clock } from '../shared/clock.js';
import {
  applyLabelChange,
  insertRevision,
  lockPlace,
  setVerifiedAt,
  updatePlaceWithRevision,
} from './place-writes.repository.js';
import type { InTransaction, WriteOptions } from './place-writes.shared.js';
import { findPlaceById, labelLinksOfPlaces } from './places.repository.js';
import type { Place } from './places.types.js';

/**
 * A place's labels, its status (on the site or hidden) and its "toujours à jour" date: part of the
 * place-writing service (createPlaceWrites exposes `changeLabels`, `setStatus` and `markVerified`),
 * split out for length. One transaction each, with its revision and, when named, its audit entry.
 */
export function createStateWrites(deps: {
  clock: Clock;
  inTransaction: InTransaction;
  rescore: (trx: Knex.Transaction, placeId: number, now: Date) => Promise<void>;
  audit: (trx: Knex.Transaction, entry: AuditEntry | undefined, now: Date) => Promise<void>;
}) {
  const { clock, inTransaction, rescore, audit } = deps;

  /**
   * Adds and removes verified label links, then writes one 'labels' revision with the verified
   * labels before and after (by slug). The one place where "change a label, then write a revision" lives.
   */
  async function changeLabels(
    placeId: number,
    change: { add: number[]; remove: number[]; origin: 'mediator' | 'moderator' },
    options: WriteOptions,
  ): Promise<{ before: string[]; after: string[] }> {
    const now = clock.now();
    return inTransaction(options.trx, async (trx) => {
      const locked = await lockPlace(trx, placeId);
      if (!locked) throw new NotFoundError('Ce lieu n’existe pas.');
      const verifiedSlugs = async () =>
        (await labelLinksOfPlaces(trx, [placeId])).filter((l) => l.status === 'verified').map((l) => l.slug);
      const before = await verifiedSlugs();
      for (const labelId of change.add)
        await applyLabelChange(trx, { placeId, labelId, action: 'add', origin: change.origin }, now);
      for (const labelId of change.remove)
        await applyLabelChange(trx, { placeId, labelId, action: 'remove', origin: change.origin }, now);
      const after = await verifiedSlugs();
      await insertRevision(
        trx,
        {
          placeId,
          version: locked.version,
          userId: options.author.userId,
          authorRole: options.author.role,
          kind: 'labels',
          changes: { labels: { old: before, new: after } },
        },
        now,
      );
      await audit(trx, options.audit, now);
      return { before, after };
    });
  }

  /**
   * Takes a place off the site ('hidden') or puts it back ('published'); the reason stays in its
   * revision (section 'statut'). A place already in that status: ConflictError.
   */
  async function setStatus(
    placeId: number,
    status: Place['status'],
    reason: string,
    options: WriteOptions,
  ): Promise<void> {
    const now = clock.now();
    await inTransaction(options.trx, async (trx) => {
      const locked = await lockPlace(trx, placeId);
      if (!locked) throw new NotFoundError('Ce lieu n’existe pas.');
      if (locked.status === 'merged')
        throw new ConflictError('Ce lieu a été fusionné avec un autre : annulez la fusion pour le faire revenir.');
      if (locked.status === status)
        throw new ConflictError(status === 'hidden' ? 'Ce lieu est déjà masqué.' : 'Ce lieu est déjà en ligne.');
      // The row is locked at this version, so the update cannot miss it.
      const newVersion = await updatePlaceWithRevision(
        trx,
        {
          placeId,
          expectedVersion: locked.version,
          values: { status },
          revision: {
            userId: options.author.userId,
            authorRole: options.author.role,
            kind: 'edit',
            section: 'statut',
            changes: { status: { old: locked.status, new: status }, motif: { old: null, new: reason } },
          },
        },
        now,
      );
      if (newVersion === null) throw new ConflictError('Ce lieu vient d’être modifié.');
      await audit(trx, options.audit, now);
    });
  }

  /** "Toujours à jour": the place's verified_at becomes now, with a 'verify' revision. */
  async function markVerified(placeId: number, options: WriteOptions): Promise<void> {
    const now = clock.now();
    await inTransaction(options.trx, async (trx) => {
      const locked = await lockPlace(trx, placeId);
      if (!locked) throw new NotFoundError('Ce lieu n’existe pas.');
      const previous = (await findPlaceById(trx, placeId))?.verifiedAt ?? null;
      const version = await setVerifiedAt(trx, placeId, now);
      await insertRevision(
        trx,
        {
          placeId,
          version: version ?? locked.version,
          userId: options.author.userId,
          authorRole: options.author.role,
          kind: 'verify',
          changes: { verified_at: { old: previous, new: now } },
        },
        now,
      );
      await rescore(trx, placeId, now);
      await audit(trx, options.audit, now);
    });
  }

  return { changeLabels, setStatus, markVerified };
}
