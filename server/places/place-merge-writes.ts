import type { Knex } from 'knex';
import { recordAudit, type AuditEntry } from '../audit/record-audit.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import type { Clock } from '../shared/clock.js';
import type { FieldChanges } from './place-history.repository.js';
import {
  copyLabelLinks,
  findMerge,
  insertMerge,
  markMergeUndone,
  removeLabelLinks,
} from './place-merges.repository.js';
import { insertRevision, lockPlace, updatePlaceFields } from './place-writes.repository.js';
import { columnValue, sameValue, type Author, type InTransaction } from './place-writes.shared.js';
import { findPlaceById, labelLinksOfPlaces } from './places.repository.js';

/**
 * Merging two places that are one (duplicates) and undoing it: part of the place-writing service
 * (createPlaceWrites exposes `merge` and `undoMerge`), split out for length. One transaction each:
 * the kept place takes the chosen values and the other's labels, the other becomes 'merged' (its
 * address answers 301 to the kept one), and `place_merges` records what changed so that an undo
 * puts it back.
 */

export interface MergeInput {
  keptVersion: number;
  mergedVersion: number;
  /** The values, in `places` columns, that the kept place takes from the other one. */
  values: Record<string, unknown>;
  /** Articles whose link moved to the kept place in this transaction (to move back on undo). */
  articlesMoved: number[];
}

type SaveFields = (
  placeId: number,
  version: number,
  values: Record<string, unknown>,
  options: { author: Author; trx: Knex.Transaction; kind: 'edit'; section: string },
) => Promise<
  { status: 'saved'; version: number; changed: string[] } | { status: 'unchanged' } | { status: 'conflict' }
>;

/** What saving fields may also change (a new commune moves the pin and the INSEE code). */
const SIDE_EFFECT_COLUMNS = ['latitude', 'longitude', 'code_insee', 'location_precision'];

/** Rows this transaction has locked and just written: missing means a bug, not a visitor's mistake. */
function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('place-merge-writes: a locked place vanished');
  return value;
}

const changed = () => new ConflictError('Un de ces lieux a changé depuis l’ouverture de la page : rechargez-la.');

export function createMergeWrites(deps: {
  clock: Clock;
  inTransaction: InTransaction;
  saveFields: SaveFields;
  rescore: (trx: Knex.Transaction, placeId: number, now: Date) => Promise<void>;
}) {
  const { clock, inTransaction, saveFields, rescore } = deps;

  const slugsOf = async (trx: Knex.Transaction, placeId: number) =>
    (await labelLinksOfPlaces(trx, [placeId])).map((l) => l.slug);

  /** Merges `mergedId` into `keptId`; returns the merge's id (for "annuler la fusion"). */
  async function merge(
    keptId: number,
    mergedId: number,
    input: MergeInput,
    options: { author: Author; audit: AuditEntry; trx?: Knex.Transaction },
  ): Promise<number> {
    const now = clock.now();
    return inTransaction(options.trx, async (trx) => {
      // Always lock in id order: two moderators merging the same pair both ways cannot deadlock.
      const [first, second] = keptId < mergedId ? [keptId, mergedId] : [mergedId, keptId];
      const locks = new Map([
        [first, await lockPlace(trx, first)],
        [second, await lockPlace(trx, second)],
      ]);
      const kept = locks.get(keptId);
      const merged = locks.get(mergedId);
      if (!kept || !merged) throw new NotFoundError('Ce lieu n’existe pas.');
      if (kept.status === 'merged' || merged.status === 'merged')
        throw new ConflictError('Un de ces lieux a déjà été fusionné avec un autre.');
      if (kept.version !== input.keptVersion || merged.version !== input.mergedVersion) throw changed();

      const before = present(await findPlaceById(trx, keptId));
      const saved = await saveFields(keptId, kept.version, input.values, {
        author: options.author,
        trx,
        kind: 'edit',
        section: 'fusion',
      });
      if (saved.status === 'conflict') throw changed();
      const after = present(await findPlaceById(trx, keptId));
      const keptChanges: FieldChanges = {};
      for (const column of [...Object.keys(input.values), ...SIDE_EFFECT_COLUMNS]) {
        if (!sameValue(columnValue(before, column), columnValue(after, column)))
          keptChanges[column] = { old: columnValue(before, column), new: columnValue(after, column) };
      }

      const labelsBefore = await slugsOf(trx, keptId);
      const labelsAdded = await copyLabelLinks(trx, mergedId, keptId);
      const mergedVersion = present(
        await updatePlaceFields(trx, mergedId, merged.version, { status: 'merged', merged_into_id: keptId }, now),
      );
      const revision = { userId: options.author.userId, authorRole: options.author.role, kind: 'edit' as const };
      await insertRevision(
        trx,
        {
          ...revision,
          placeId: keptId,
          version: after.version,
          section: 'fusion',
          changes: {
            lieu_fusionne: { old: null, new: mergedId },
            ...(labelsAdded.length ? { labels: { old: labelsBefore, new: await slugsOf(trx, keptId) } } : {}),
          },
        },
        now,
      );
      await insertRevision(
        trx,
        {
          ...revision,
          placeId: mergedId,
          version: mergedVersion,
          section: 'fusion',
          changes: { status: { old: merged.status, new: 'merged' }, merged_into_id: { old: null, new: keptId } },
        },
        now,
      );
      const mergeId = await insertMerge(
        trx,
        {
          keptId,
          mergedId,
          mergedStatus: merged.status,
          keptChanges,
          labelsAdded,
          articlesMoved: input.articlesMoved,
          mergedBy: options.author.userId,
        },
        now,
      );
      await rescore(trx, keptId, now);
      await recordAudit(trx, { ...options.audit, details: { ...options.audit.details, fusion: mergeId } }, now);
      return mergeId;
    });
  }

  /**
   * Undoes a merge: the merged-away place is back with its status, the kept place loses the labels
   * the merge gave it and gets back each value the merge changed (unless edited since: then the
   * newer edit stays). Returns the merge as recorded (the caller moves article links back).
   */
  async function undoMerge(mergeId: number, options: { author: Author; audit: AuditEntry; trx?: Knex.Transaction }) {
    const now = clock.now();
    return inTransaction(options.trx, async (trx) => {
      const record = await findMerge(trx, mergeId, { lock: true });
      if (!record) throw new NotFoundError('Cette fusion n’existe pas.');
      if (record.undoneAt) throw new ConflictError('Cette fusion a déjà été annulée.');
      const { keptId, mergedId } = record;
      const [first, second] = keptId < mergedId ? [keptId, mergedId] : [mergedId, keptId];
      await lockPlace(trx, first);
      await lockPlace(trx, second);
      const kept = await findPlaceById(trx, keptId);
      const merged = await findPlaceById(trx, mergedId);
      if (!kept || !merged) throw new NotFoundError('Ce lieu n’existe pas.');
      if (merged.status !== 'merged') throw new ConflictError('Ce lieu n’est plus fusionné.');

      const values: Record<string, unknown> = {};
      const changes: FieldChanges = {};
      for (const [column, change] of Object.entries(record.keptChanges)) {
        if (!sameValue(columnValue(kept, column), change.new)) continue;
        values[column] = change.old;
        changes[column] = { old: change.new, new: change.old };
      }
      const labelsBefore = await slugsOf(trx, keptId);
      await removeLabelLinks(trx, keptId, record.labelsAdded);
      const labelsAfter = await slugsOf(trx, keptId);
      if (!sameValue(labelsBefore, labelsAfter)) changes.labels = { old: labelsBefore, new: labelsAfter };
      const keptVersion = Object.keys(values).length
        ? present(await updatePlaceFields(trx, keptId, kept.version, values, now))
        : kept.version;
      const mergedVersion = present(
        await updatePlaceFields(
          trx,
          mergedId,
          merged.version,
          { status: record.mergedStatus, merged_into_id: null },
          now,
        ),
      );
      const revision = { userId: options.author.userId, authorRole: options.author.role };
      await insertRevision(
        trx,
        {
          ...revision,
          placeId: keptId,
          version: keptVersion,
          kind: 'revert',
          section: 'fusion',
          changes: { ...changes, lieu_fusionne: { old: mergedId, new: null } },
        },
        now,
      );
      await insertRevision(
        trx,
        {
          ...revision,
          placeId: mergedId,
          version: mergedVersion,
          kind: 'revert',
          section: 'fusion',
          changes: {
            status: { old: 'merged', new: record.mergedStatus },
            merged_into_id: { old: keptId, new: null },
          },
        },
        now,
      );
      await markMergeUndone(trx, mergeId, options.author.userId, now);
      await rescore(trx, keptId, now);
      await rescore(trx, mergedId, now);
      await recordAudit(
        trx,
        { ...options.audit, subjectId: keptId, details: { ...options.audit.details, lieu_fusionne: mergedId } },
        now,
      );
      return record;
    });
  }

  return { merge, undoMerge };
}
