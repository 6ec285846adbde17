import type { Knex } from 'knex';
import { recordAudit } from '../audit/record-audit.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import type { Clock } from '../shared/clock.js';
import { dismissPair } from './duplicates.repository.js';
import { lockedPlaceColumns, lockImportMerge, markImportMergeSeparated } from './import-merges.repository.js';
import type { FieldChanges } from './place-history.repository.js';
import { removeLabelLinks } from './place-merges.repository.js';
import {
  insertPlacesIfAbsent,
  insertRevision,
  linkPlacesToLabels,
  updateImportedPlace,
} from './place-writes.repository.js';
import { sameValue, type InTransaction, type WriteOptions } from './place-writes.shared.js';

/**
 * Separating a row that the import merged into a place already here (issue 9: "high-confidence pairs
 * merge automatically at import, recorded, reversible"): part of the place-writing service
 * (createPlaceWrites exposes `separateImportMerge`), split out for length. In one transaction the
 * row becomes the place it would have been, with its labels; the place it was merged into loses the
 * labels the merge gave it and gets back the empty fields the merge filled (those nobody changed
 * since: a later edit is kept); the pair is marked distinct, never proposed again; and a re-import
 * of the file finds the row's own place.
 */
export function createImportMergeSeparation(deps: {
  clock: Clock;
  inTransaction: InTransaction;
  rescore: (trx: Knex.Transaction, placeId: number, now: Date) => Promise<void>;
}) {
  const { clock, inTransaction, rescore } = deps;

  async function separateImportMerge(
    mergeId: number,
    options: Pick<WriteOptions, 'author' | 'trx'>,
  ): Promise<{ keptId: number; separatedId: number }> {
    return inTransaction(options.trx, async (trx) => {
      const now = clock.now();
      const merge = await lockImportMerge(trx, mergeId);
      if (!merge) throw new NotFoundError('Cette fusion faite à l’import n’existe pas.');
      if (merge.separatedAt) throw new ConflictError('Cette fusion a déjà été annulée.');
      if (!merge.record)
        throw new ConflictError(
          'Cette fusion date d’avant l’enregistrement des lignes importées : la ligne ne peut pas être ' +
            'recréée. Modifiez le lieu à la main si besoin.',
        );
      const kept = await lockedPlaceColumns(trx, merge.placeId);
      if (!kept) throw new NotFoundError('Le lieu de cette fusion n’existe plus.');

      const inserted = await insertPlacesIfAbsent(trx, [{ ...merge.record.row, status: 'published' }], now);
      const separatedId = inserted.get(`${merge.source}\u0000${merge.sourceId}`);
      if (separatedId === undefined)
        throw new ConflictError('Un lieu porte déjà l’identifiant de cette ligne : rien n’a été changé.');
      await linkPlacesToLabels(
        trx,
        merge.record.labelIds.map((labelId) => ({ placeId: separatedId, labelId })),
        'import',
      );

      const values: Record<string, unknown> = {};
      const changes: FieldChanges = {};
      for (const [column, filled] of Object.entries(merge.fieldsFilled)) {
        if (!sameValue(kept[column], filled.new)) continue;
        values[column] = filled.old;
        changes[column] = { old: filled.new, new: filled.old };
      }
      if (Object.keys(values).length) {
        const version = await updateImportedPlace(trx, merge.placeId, values, now);
        await insertRevision(
          trx,
          {
            placeId: merge.placeId,
            version,
            userId: options.author.userId,
            authorRole: options.author.role,
            kind: 'edit',
            section: 'import',
            changes,
          },
          now,
        );
      }
      await removeLabelLinks(trx, merge.placeId, merge.labelsAdded);
      await markImportMergeSeparated(trx, merge.id, { userId: options.author.userId, placeId: separatedId, at: now });
      if (options.author.userId !== null)
        await dismissPair(trx, [merge.placeId, separatedId], options.author.userId, now);
      await rescore(trx, merge.placeId, now);
      await recordAudit(
        trx,
        {
          actorId: options.author.userId,
          action: 'place.import_merge_separated',
          subjectType: 'place',
          subjectId: merge.placeId,
          details: { lieu_separe: separatedId, source: merge.source, raison: merge.reason },
        },
        now,
      );
      return { keptId: merge.placeId, separatedId };
    });
  }

  return { separateImportMerge };
}
