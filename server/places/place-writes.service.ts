import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit, type AuditEntry } from '../audit/record-audit.js';
import type { Db } from '../db/knex.js';
import { NotFoundError } from '../http/errors.js';
import { communeFill } from './commune-location.js';
import { findRevision, revisionsAfter, type FieldChanges } from './place-history.repository.js';
import {
  clearLocationPrecision,
  insertPlace,
  insertRevision,
  setQuality,
  updatePlaceWithRevision,
  type NewPlaceRow,
} from './place-writes.repository.js';
import { findPlaceById } from './places.repository.js';
import { placeQuality } from './place-quality.js';
import { createMergeWrites } from './place-merge-writes.js';
import { createImportMergeSeparation } from './import-merge-separation.js';
import { createImportWrites } from './place-import-writes.js';
import { createStateWrites } from './place-state-writes.js';
import { columnValue, sameValue, type Author, type InTransaction, type WriteOptions } from './place-writes.shared.js';
import type { Clock } from '../shared/clock.js';
import type { Place } from './places.types.js';

/**
 * The one way to change the place record (`places`, `place_revisions`, `place_labels`).
 * Editing, moderation, the importer and the seeds decide *whether* a change may happen; this
 * service decides *how*: each call is one transaction that writes the row, its revision and, when
 * the caller names one, its audit entry, so that none of them exists without the others.
 *
 * `trx`: a caller with rows of its own to write in the same transaction (accepting a proposal also
 * approves its claim; hiding a place also settles the report that asked for it) passes its
 * transaction; the call then runs in a savepoint of it and commits or fails with it.
 */

export { columnValue, sameValue, type Author, type WriteOptions };

export type FieldsSaveResult =
  { status: 'saved'; version: number; changed: string[] } | { status: 'unchanged' } | { status: 'conflict' };

export function createPlaceWrites(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const inTransaction: InTransaction = (outer, work) => (outer ?? db).transaction(work);

  /** Every write that changes what the score reads ends here, in its transaction. */
  const rescore = async (trx: Knex.Transaction, placeId: number, now: Date) => {
    const place = await findPlaceById(trx, placeId);
    if (place) await setQuality(trx, placeId, placeQuality(place, now).score);
  };

  const audit = async (trx: Knex.Transaction, entry: AuditEntry | undefined, now: Date) => {
    if (entry) await recordAudit(trx, entry, now);
  };

  /**
   * A new place from a record in `places` columns (an accepted proposal). Typed without an INSEE
   * code, often without coordinates: the commune gives both (its centre, flagged approximate).
   * Its first revision ('create', version 1) lists the record as typed. Returns the new id.
   */
  async function create(record: Record<string, unknown>, options: WriteOptions): Promise<number> {
    const now = clock.now();
    return inTransaction(options.trx, async (trx) => {
      const fill = await communeFill(trx, {
        code_postal: record.code_postal,
        commune: record.commune,
        latitude: record.latitude,
        longitude: record.longitude,
      });
      const placeId = await insertPlace(
        trx,
        { ...record, ...fill, source: 'epn-finder', source_id: randomUUID() },
        now,
      );
      await insertRevision(
        trx,
        {
          placeId,
          version: 1,
          userId: options.author.userId,
          authorRole: options.author.role,
          kind: 'create',
          changes: Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { old: null, new: v }])),
        },
        now,
      );
      await rescore(trx, placeId, now);
      await audit(trx, options.audit, now);
      return placeId;
    });
  }

  /**
   * Saves `values` (in `places` columns) if the place is still at `version`; an accepted save is
   * one revision with the old and new value of each field that changed. A stale version: conflict.
   */
  async function saveFields(
    placeId: number,
    version: number,
    values: Record<string, unknown>,
    options: WriteOptions & { kind: 'edit' | 'revert'; section?: string; revertsRevisionId?: number },
  ): Promise<FieldsSaveResult> {
    return inTransaction(options.trx, async (trx): Promise<FieldsSaveResult> => {
      const current = await findPlaceById(trx, placeId);
      if (!current) throw new NotFoundError('Ce lieu n’existe pas.');
      if (current.version !== version) return { status: 'conflict' };
      const changes: FieldChanges = {};
      for (const [field, value] of Object.entries(values)) {
        const old = columnValue(current, field);
        if (!sameValue(old, value)) changes[field] = { old, new: value };
      }
      if (!Object.keys(changes).length) return { status: 'unchanged' };
      const now = clock.now();
      const updates: Record<string, unknown> = Object.fromEntries(
        Object.entries(changes).map(([field, change]) => [field, change.new]),
      );
      if ('commune' in changes || 'code_postal' in changes || ('latitude' in changes && updates.latitude === null)) {
        await fillFromCommune(trx, current, updates, changes);
      }
      const newVersion = await updatePlaceWithRevision(
        trx,
        {
          placeId,
          expectedVersion: version,
          values: updates,
          revision: {
            userId: options.author.userId,
            authorRole: options.author.role,
            kind: options.kind,
            section: options.section,
            changes,
            revertsRevisionId: options.revertsRevisionId,
          },
        },
        now,
      );
      if (newVersion === null) return { status: 'conflict' };
      await rescore(trx, placeId, now);
      await audit(trx, options.audit, now);
      return { status: 'saved', version: newVersion, changed: Object.keys(changes) };
    });
  }

  /**
   * A new commune or postal code: refresh the INSEE code; with no coordinates given (or only the
   * previous commune's centre), place the pin at the new commune's centre, flagged approximate.
   */
  async function fillFromCommune(
    trx: Knex.Transaction,
    current: Place,
    updates: Record<string, unknown>,
    changes: FieldChanges,
  ) {
    const after = (field: 'code_postal' | 'commune' | 'latitude' | 'longitude') =>
      field in updates ? updates[field] : columnValue(current, field);
    const keptCommuneCentre =
      current.locationPrecision === 'commune' && !('latitude' in changes) && !('longitude' in changes);
    const fill = await communeFill(trx, {
      code_postal: after('code_postal'),
      commune: after('commune'),
      latitude: keptCommuneCentre ? null : after('latitude'),
      longitude: keptCommuneCentre ? null : after('longitude'),
    });
    if (fill.code_insee && fill.code_insee !== current.codeInsee) updates.code_insee = fill.code_insee;
    if (fill.latitude === undefined || fill.longitude === undefined) return;
    if (fill.latitude === current.latitude && fill.longitude === current.longitude) return;
    if (current.locationPrecision === 'commune') await clearLocationPrecision(trx, current.id, current.version);
    updates.latitude = fill.latitude;
    updates.longitude = fill.longitude;
    updates.location_precision = 'commune';
    changes.latitude = { old: current.latitude, new: fill.latitude };
    changes.longitude = { old: current.longitude, new: fill.longitude };
  }

  /**
   * Puts back, as they were right after `revisionId`, the `fields` that later edits and reverts
   * changed; the revert is itself a new revision. `fields`: what a revert may touch (the editing
   * forms' fields, not the status nor the labels, which have their own decisions).
   */
  async function revert(
    placeId: number,
    revisionId: number,
    version: number,
    options: WriteOptions & { fields: ReadonlySet<string> },
  ): Promise<FieldsSaveResult> {
    const target = await findRevision(options.trx ?? db, placeId, revisionId);
    if (!target) throw new NotFoundError('Cette version n’existe pas.');
    const later = (await revisionsAfter(options.trx ?? db, placeId, revisionId)).filter(
      (r) => r.kind === 'edit' || r.kind === 'revert',
    );
    const values: Record<string, unknown> = {};
    for (const revision of later) {
      for (const [field, change] of Object.entries(revision.changes)) {
        if (options.fields.has(field) && !(field in values)) values[field] = change.old;
      }
    }
    if (!Object.keys(values).length) return { status: 'unchanged' };
    return saveFields(placeId, version, values, { ...options, kind: 'revert', revertsRevisionId: revisionId });
  }

  // Labels, status and "toujours à jour" (./place-state-writes.ts).
  const { changeLabels, setStatus, markVerified } = createStateWrites({ clock, inTransaction, rescore, audit });

  // Imported rows: new places, merges into places already here, newer records (./place-import-writes.ts).
  const { importBatch } = createImportWrites({ clock, inTransaction });

  // Duplicates: merge two places into one, and undo it (./place-merge-writes.ts).
  const { merge, undoMerge } = createMergeWrites({ clock, inTransaction, saveFields, rescore });

  // Separating a row the import merged into a place (./import-merge-separation.ts).
  const { separateImportMerge } = createImportMergeSeparation({ clock, inTransaction, rescore });

  return {
    create,
    saveFields,
    revert,
    changeLabels,
    setStatus,
    markVerified,
    importBatch,
    merge,
    undoMerge,
    separateImportMerge,
  };
}

export type PlaceWrites = ReturnType<typeof createPlaceWrites>;

export type { ImportedMerge, ImportedUpdate } from './place-import-writes.js';

/** A place as the bulk writers (import, bulk load) hand it over. */
export type { NewPlaceRow };
