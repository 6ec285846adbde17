import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit, type AuditEntry } from '../audit/record-audit.js';
import type { Db } from '../db/knex.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import { communeFill } from './commune-location.js';
import { findRevision, revisionsAfter, type AuthorRole, type FieldChanges } from './place-history.repository.js';
import {
  applyLabelChange,
  clearLocationPrecision,
  insertPlace,
  insertRevision,
  lockPlace,
  setQuality,
  setVerifiedAt,
  updatePlaceFields,
  type NewPlaceRow,
} from './place-writes.repository.js';
import { findPlaceById, labelLinksOfPlaces } from './places.repository.js';
import { placeQuality } from './place-quality.js';
import { createMergeWrites } from './place-merge-writes.js';
import { createImportMergeSeparation } from './import-merge-separation.js';
import { createImportWrites } from './place-import-writes.js';
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

/** Who made a change, as its revision records it. */
export interface Author {
  userId: number | null;
  role: AuthorRole;
}

export interface WriteOptions {
  author: Author;
  /** The decision's entry in the audit journal, written in the same transaction (its time is the change's). */
  audit?: AuditEntry;
  trx?: Knex.Transaction;
}

export type FieldsSaveResult =
  { status: 'saved'; version: number; changed: string[] } | { status: 'unchanged' } | { status: 'conflict' };

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A place's current value of a column, in the standard's terms (`code_postal` → place.codePostal). */
export const columnValue = (place: Place, column: string): unknown =>
  (place as unknown as Record<string, unknown>)[camel(column)] ?? null;

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function createPlaceWrites(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const inTransaction = <T>(
    outer: Knex.Transaction | undefined,
    work: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T> => (outer ?? db).transaction(work);

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
      const newVersion = await updatePlaceFields(trx, placeId, version, updates, now);
      if (newVersion === null) return { status: 'conflict' };
      await insertRevision(
        trx,
        {
          placeId,
          version: newVersion,
          userId: options.author.userId,
          authorRole: options.author.role,
          kind: options.kind,
          section: options.section,
          changes,
          revertsRevisionId: options.revertsRevisionId,
        },
        now,
      );
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
      const newVersion = await updatePlaceFields(trx, placeId, locked.version, { status }, now);
      if (newVersion === null) throw new ConflictError('Ce lieu vient d’être modifié.');
      await insertRevision(
        trx,
        {
          placeId,
          version: newVersion,
          userId: options.author.userId,
          authorRole: options.author.role,
          kind: 'edit',
          section: 'statut',
          changes: { status: { old: locked.status, new: status }, motif: { old: null, new: reason } },
        },
        now,
      );
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
