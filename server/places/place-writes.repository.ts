import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { snakeKeys } from '../db/rows.js';
import type { AuthorRole, FieldChanges, RevisionKind } from './place-history.repository.js';
import { placeQuality } from './place-quality.js';
import type { ImportIssue, Place } from './places.types.js';

type Conn = Db | Knex.Transaction;

/*
 * The only SQL that writes `places`, `place_revisions` and `place_labels`
 * (tests/unit/place-tables-owner.test.ts fails on a write anywhere else). Only
 * place-writes.service.ts calls it, inside its transactions; tests' factories use it too.
 */

const isoDate = (now: Date) => now.toISOString().slice(0, 10);

/** The place's version and status, its row locked until the transaction ends. */
export async function lockPlace(
  trx: Knex.Transaction,
  placeId: number,
): Promise<{ version: number; status: Place['status'] } | undefined> {
  const row = await trx('places')
    .where({ id: placeId })
    .forUpdate()
    .first<{ version: number; status: Place['status'] } | undefined>('version', 'status');
  return row ? { version: row.version, status: row.status } : undefined;
}

/**
 * Optimistic locking: the update applies only if the place is still at `expectedVersion`.
 * Returns the new version, or null when someone saved in between (the caller answers 409).
 */
export async function updatePlaceFields(
  trx: Conn,
  placeId: number,
  expectedVersion: number,
  values: Record<string, unknown>,
  now: Date,
): Promise<number | null> {
  const rows = await trx('places')
    .where({ id: placeId, version: expectedVersion })
    .update({ ...values, version: trx.raw('version + 1'), updated_at: now, date_maj: isoDate(now) })
    .returning<{ version: number }[]>('version');
  return rows.length ? rows[0].version : null;
}

/** The trigger reads an unchanged precision next to moved coordinates as an exact position: cleared first. */
export async function clearLocationPrecision(trx: Conn, placeId: number, version: number): Promise<void> {
  await trx('places').where({ id: placeId, version }).update({ location_precision: null });
}

/** The stored quality score; not a change of the record: neither its version nor its dates move. */
export async function setQuality(trx: Conn, placeId: number, quality: number): Promise<void> {
  await trx('places').where({ id: placeId }).update({ quality });
}

export async function setVerifiedAt(trx: Conn, placeId: number, now: Date): Promise<number | undefined> {
  const rows = await trx('places')
    .where({ id: placeId })
    .update({ verified_at: now, date_maj: isoDate(now) })
    .returning<{ version: number }[]>('version');
  return rows.length ? rows[0].version : undefined;
}

export async function insertRevision(
  trx: Conn,
  revision: {
    placeId: number;
    version: number;
    userId: number | null;
    authorRole: AuthorRole;
    kind: RevisionKind;
    section?: string | null;
    changes: FieldChanges;
    revertsRevisionId?: number | null;
  },
  now: Date,
): Promise<number> {
  const [row] = await trx('place_revisions')
    .insert({
      place_id: revision.placeId,
      version: revision.version,
      user_id: revision.userId,
      author_role: revision.authorRole,
      kind: revision.kind,
      section: revision.section ?? null,
      changes: JSON.stringify(revision.changes),
      reverts_revision_id: revision.revertsRevisionId ?? null,
      created_at: now,
    })
    .returning<{ id: number }[]>('id');
  return row.id;
}

/**
 * Saves `values` if the place is still at `expectedVersion`, and records the change as the new
 * version's revision. The new version, or null (nothing written) when the place has moved on.
 */
export async function updatePlaceWithRevision(
  trx: Conn,
  change: {
    placeId: number;
    expectedVersion: number;
    values: Record<string, unknown>;
    revision: Omit<Parameters<typeof insertRevision>[1], 'placeId' | 'version'>;
  },
  now: Date,
): Promise<number | null> {
  const version = await updatePlaceFields(trx, change.placeId, change.expectedVersion, change.values, now);
  if (version === null) return null;
  await insertRevision(trx, { ...change.revision, placeId: change.placeId, version }, now);
  return version;
}

/** A new place (accepted proposal): the standard's record, in `places` columns. */
export async function insertPlace(trx: Conn, record: Record<string, unknown>, now: Date): Promise<number> {
  const [row] = await trx('places')
    .insert({ ...record, created_at: now, updated_at: now, verified_at: now, date_maj: isoDate(now) })
    .returning<{ id: number }[]>('id');
  return row.id;
}

export async function applyLabelChange(
  trx: Conn,
  change: { placeId: number; labelId: number; action: 'add' | 'remove'; origin: 'mediator' | 'moderator' },
  now: Date,
): Promise<void> {
  if (change.action === 'remove') {
    await trx('place_labels').where({ place_id: change.placeId, label_id: change.labelId }).delete();
    return;
  }
  await trx('place_labels')
    .insert({
      place_id: change.placeId,
      label_id: change.labelId,
      origin: change.origin,
      verification_status: 'verified',
      since: isoDate(now),
      created_at: now,
    })
    .onConflict(['place_id', 'label_id'])
    .merge({ verification_status: 'verified', origin: change.origin });
}

export type NewPlaceRow = Omit<
  Place,
  'id' | 'status' | 'version' | 'createdAt' | 'updatedAt' | 'verifiedAt' | 'importIssues' | 'locationPrecision'
> & {
  importIssues: ImportIssue[];
  locationPrecision?: 'exact' | 'commune' | null;
  status?: Place['status'];
};

/**
 * Inserts places unless (source, source_id) is already there; returns the new ids keyed by
 * "source\u0000source_id". Each row comes with its quality score (as of `now`).
 */
export async function insertPlacesIfAbsent(
  trx: Conn,
  rows: NewPlaceRow[],
  now = new Date(),
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const values = rows.map((row) =>
    snakeKeys({ ...row, importIssues: JSON.stringify(row.importIssues), quality: placeQuality(row, now).score }),
  );
  const inserted = await trx('places')
    .insert(values)
    .onConflict(['source', 'source_id'])
    .ignore()
    .returning(['id', 'source', 'source_id']);
  return new Map(
    inserted.map((row: { id: string; source: string; source_id: string }) => [
      `${row.source}\u0000${row.source_id}`,
      Number(row.id),
    ]),
  );
}

/** Returns the links actually made (a place that already had the label is left as it was). */
export async function linkPlacesToLabels(
  trx: Conn,
  links: { placeId: number; labelId: number }[],
  origin: 'import' | 'mediator' | 'moderator',
): Promise<{ placeId: number; labelId: number }[]> {
  if (links.length === 0) return [];
  const made = await trx('place_labels')
    .insert(
      links.map((link) => ({
        place_id: link.placeId,
        label_id: link.labelId,
        origin,
        verification_status: 'verified',
      })),
    )
    .onConflict(['place_id', 'label_id'])
    .ignore()
    .returning<{ place_id: string | number; label_id: string | number }[]>(['place_id', 'label_id']);
  return made.map((row) => ({ placeId: Number(row.place_id), labelId: Number(row.label_id) }));
}

/**
 * An imported record's newer values (or, for a merge, the fields the place lacked): written with
 * the source's `date_maj` when given, the version bumped so that an open edit form sees the change.
 */
export async function updateImportedPlace(
  trx: Conn,
  placeId: number,
  values: Record<string, unknown>,
  now: Date,
): Promise<number> {
  const [row] = await trx('places')
    .where({ id: placeId })
    .update({ ...values, version: trx.raw('version + 1'), updated_at: now })
    .returning<{ version: number }[]>('version');
  return row.version;
}

/**
 * (source, source_id) keys of rows merged into an existing place: a re-import finds the same place.
 * With what the merge did (`record`, `labelsAdded`, `fieldsFilled`) so that it can be separated.
 */
export async function insertSourceAliases(
  trx: Conn,
  aliases: {
    source: string;
    sourceId: string;
    placeId: number;
    reason: string;
    record: NewPlaceRow;
    /** The row's own labels (the separated place gets them). */
    recordLabelIds: number[];
    labelsAdded: number[];
    fieldsFilled: FieldChanges;
  }[],
): Promise<void> {
  if (aliases.length === 0) return;
  await trx('place_source_aliases')
    .insert(
      aliases.map((alias) => ({
        source: alias.source,
        source_id: alias.sourceId,
        place_id: alias.placeId,
        reason: alias.reason,
        record: JSON.stringify({ row: alias.record, labelIds: alias.recordLabelIds }),
        labels_added: alias.labelsAdded,
        fields_filled: JSON.stringify(alias.fieldsFilled),
      })),
    )
    .onConflict(['source', 'source_id'])
    .ignore();
}
