import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';
import type { FieldChanges } from './place-history.repository.js';
import {
  insertPlacesIfAbsent,
  insertRevision,
  insertSourceAliases,
  linkPlacesToLabels,
  updateImportedPlace,
  type NewPlaceRow,
} from './place-writes.repository.js';
import type { InTransaction } from './place-writes.shared.js';

/**
 * Writing imported rows: part of the place-writing service (createPlaceWrites exposes
 * `importBatch`), split out for length.
 */

/** A newer record of a place already here, in `places` columns, with the old and new values. */
export interface ImportedUpdate {
  placeId: number;
  values: Record<string, unknown>;
  changes: FieldChanges;
}

/** A row found to be a place already here (`placeId`), or a new place of the same batch ("source\u0000source_id"). */
export interface ImportedMerge {
  source: string;
  sourceId: string;
  reason: string;
  target: { placeId: number } | { key: string };
  labelIds: number[];
  /** The row as it would have been created: a moderator who separates the merge gets this place. */
  record: NewPlaceRow;
  /** The place's empty fields this row filled in (put back on separation if still as filled). */
  filled: FieldChanges;
}

export function createImportWrites(deps: { clock: Clock; inTransaction: InTransaction }) {
  const { clock, inTransaction } = deps;

  /**
   * One batch of an open-data file, in one transaction: new places with their label links (a
   * (source, source_id) already present is left untouched); newer records of places already here
   * (`updates`: one 'edit' revision each, section 'import', by the system); and rows found to be a
   * place already here (`merges`: their key kept as an alias of that place, their labels added, the
   * fields the place lacked filled in). A new place has no revision: an imported record's history
   * is its source's (`source`, `date_maj`); a place's revisions start with the first change here.
   * Returns the new ids keyed by "source\u0000source_id".
   */
  async function importBatch(
    items: { row: NewPlaceRow; labelIds: number[] }[],
    options: {
      trx?: Knex.Transaction;
      updates?: ImportedUpdate[];
      merges?: ImportedMerge[];
    } = {},
  ): Promise<Map<string, number>> {
    return inTransaction(options.trx, async (trx) => {
      const now = clock.now();
      const inserted = await insertPlacesIfAbsent(
        trx,
        items.map((item) => item.row),
        clock.now(),
      );
      const links = items.flatMap((item) => {
        const placeId = inserted.get(`${item.row.source}\u0000${item.row.sourceId}`);
        return placeId === undefined ? [] : item.labelIds.map((labelId) => ({ placeId, labelId }));
      });
      await linkPlacesToLabels(trx, links, 'import');
      const merged = (options.merges ?? []).flatMap((merge) => {
        const placeId = 'placeId' in merge.target ? merge.target.placeId : inserted.get(merge.target.key);
        return placeId === undefined ? [] : [{ merge, placeId }];
      });
      // Each label a merge gave the place is put down to the first merge that brought it.
      const added = await linkPlacesToLabels(
        trx,
        merged.flatMap(({ merge, placeId }) => merge.labelIds.map((labelId) => ({ placeId, labelId }))),
        'import',
      );
      const unclaimed = new Set(added.map((link) => `${link.placeId}:${link.labelId}`));
      const claim = (placeId: number, labelId: number) => unclaimed.delete(`${placeId}:${labelId}`);
      await insertSourceAliases(
        trx,
        merged.map(({ merge, placeId }) => ({
          source: merge.source,
          sourceId: merge.sourceId,
          placeId,
          reason: merge.reason,
          record: merge.record,
          recordLabelIds: merge.labelIds,
          labelsAdded: merge.labelIds.filter((labelId) => claim(placeId, labelId)),
          fieldsFilled: merge.filled,
        })),
      );
      for (const update of options.updates ?? []) {
        const version = await updateImportedPlace(trx, update.placeId, update.values, now);
        await insertRevision(
          trx,
          {
            placeId: update.placeId,
            version,
            userId: null,
            authorRole: 'system',
            kind: 'edit',
            section: 'import',
            changes: update.changes,
          },
          now,
        );
      }
      return inserted;
    });
  }

  return { importBatch };
}
