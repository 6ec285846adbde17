/**
 * The import pipeline, shared by `npm run import`, the seeds and (later) the upload page:
 * bytes → text (encoding detected) → rows (CSV or JSON) → format detected from the columns → v1
 * records (repairs reported) → validated rows → batches written through the place-writing service.
 * Every row read ends in exactly one outcome: created, updated, unchanged, merged or rejected.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import { labelIdsBySlug, labelIdsByStandardValue } from '../../labels/labels.read.js';
import { communeFill } from '../../places/commune-location.js';
import { findPlaceColumnsByIds, findPlacesBySourceKeys, findSamePlaces } from '../../places/place-import.read.js';
import { createPlaceWrites, type ImportedMerge, type ImportedUpdate } from '../../places/place-writes.service.js';
import type { Clock } from '../../shared/clock.js';
import { detectFormat, guessColumns, type FileFormat } from './file-formats.js';
import { missingColumns, type FileMapping } from './file-mapping.js';
import { planBatch, type PendingRow, type RowOutcome } from './import-plan.js';
import { toStandardRecord, type StandardRecord } from './standard-record.js';
import { readTable } from './table-reading.js';
import { decodeText, type Encoding } from './text-decoding.js';
import { validateRecord, type RowIssue } from './row-validation.js';

export interface ImportFileReport {
  file: string;
  format: FileFormat;
  encoding: Encoding;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  merged: number;
  rejected: number;
  rejections: ({ row: number } & RowIssue)[];
  /** Values changed where the intent was clear, and values set aside (kept in import_issues). */
  repairs: ({ row: number } & RowIssue)[];
  setAside: ({ row: number } & RowIssue)[];
  placedAtCommune: number;
  outcomes: RowOutcome[];
  dryRun: boolean;
  /** With `firstRows` (the upload page's preview): each row read, in the standard's names, repaired. */
  records: { row: number; record: StandardRecord }[];
}

export interface ImportFileOptions {
  fileName: string;
  /** The places' `source` where the file names none; default: the file's name without extension. */
  source?: string;
  mapping?: FileMapping;
  encoding?: Encoding;
  dryRun?: boolean;
  batchSize?: number;
  /** Only the first rows of the file (a preview: use with dryRun); their records are kept in the report. */
  firstRows?: number;
  onProgress?: (done: number, total: number) => void;
}

/** An unknown file without a mapping: nothing is written; the message says how to write a mapping. */
export class UnknownFileFormatError extends Error {
  constructor(
    readonly columns: string[],
    readonly fieldsNotFound: string[],
    readonly guesses: Record<string, string>,
  ) {
    super('Format de fichier inconnu.');
  }
}

/** A mapping that names columns the file does not have. */
export class MappingMismatchError extends Error {
  constructor(readonly missing: string[]) {
    super(`Colonnes absentes du fichier : ${missing.join(', ')}.`);
  }
}

const REQUIRED_FOR_MESSAGE = ['nom', 'adresse', 'code_postal', 'commune'] as const;

/**
 * Reads and recognises a file without touching the database: its encoding, rows and format.
 * Throws UnknownFileFormatError (no mapping for an unknown file) or MappingMismatchError.
 */
export function inspectFile(
  bytes: Uint8Array,
  options: Pick<ImportFileOptions, 'fileName' | 'source' | 'mapping' | 'encoding'>,
) {
  const { text, encoding } = decodeText(bytes, options.encoding);
  const table = readTable(text);
  const source = options.source ?? options.mapping?.source ?? path.basename(options.fileName).replace(/\.[^.]+$/, '');
  const detected = detectFormat(table.columns, { mapping: options.mapping, source });
  if (!detected) {
    const guesses = guessColumns(table.columns);
    throw new UnknownFileFormatError(
      table.columns,
      REQUIRED_FOR_MESSAGE.filter((field) => !guesses[field]),
      guesses,
    );
  }
  if (options.mapping) {
    const missing = missingColumns(options.mapping, table.columns);
    if (missing.length) throw new MappingMismatchError(missing);
  }
  return { encoding, table, detected, source };
}

export function createFileImporter(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const placeWrites = createPlaceWrites({ db, clock });

  async function importFile(bytes: Uint8Array, options: ImportFileOptions): Promise<ImportFileReport> {
    const today = clock.now().toISOString().slice(0, 10);
    const { encoding, table, detected, source } = inspectFile(bytes, options);
    const rows = options.firstRows === undefined ? table.rows : table.rows.slice(0, options.firstRows);
    const report: ImportFileReport = {
      file: options.fileName,
      format: detected.format,
      encoding,
      read: rows.length,
      created: 0,
      updated: 0,
      unchanged: 0,
      merged: 0,
      rejected: 0,
      rejections: [],
      repairs: [],
      setAside: [],
      placedAtCommune: 0,
      outcomes: [],
      dryRun: options.dryRun ?? false,
      records: [],
    };
    const reject = (row: number, issues: RowIssue[], key?: { source: string; sourceId: string }) => {
      report.rejected += 1;
      report.rejections.push(...issues.map((issue) => ({ row, ...issue })));
      report.outcomes.push({
        row,
        source: key?.source ?? null,
        sourceId: key?.sourceId ?? null,
        outcome: 'rejected',
        placeId: null,
        detail: issues.map((issue) => `${issue.field} : ${issue.rule}`).join(' ; '),
      });
    };

    const run = async (outer: Knex.Transaction | undefined) => {
      const conn = outer ?? db;
      const context = {
        source,
        today,
        labelIds: await labelIdsByStandardValue(conn),
        labelIdsOfSlugs: await labelIdsBySlug(conn),
      };
      const pending: PendingRow[] = [];
      const seenKeys = new Set<string>();
      for (const [index, raw] of rows.entries()) {
        const rowNumber = index + 1;
        const adapted = detected.adapt(raw);
        const { record, repairs } = toStandardRecord(adapted.row);
        if (options.firstRows !== undefined) report.records.push({ row: rowNumber, record });
        const validated = validateRecord(record, raw, context);
        if (!validated.ok) {
          reject(rowNumber, validated.rejections);
          continue;
        }
        const key = `${validated.row.source}\u0000${validated.row.sourceId}`;
        const identity = { source: validated.row.source, sourceId: validated.row.sourceId };
        if (seenKeys.has(key)) {
          reject(
            rowNumber,
            [{ field: 'id', value: validated.row.sourceId, rule: 'Identifiant en double dans le fichier.' }],
            identity,
          );
          continue;
        }
        seenKeys.add(key);
        report.repairs.push(
          ...[...adapted.notes, ...repairs, ...validated.repairs].map((r) => ({ row: rowNumber, ...r })),
        );
        report.setAside.push(...validated.setAside.map((issue) => ({ row: rowNumber, ...issue })));
        pending.push({
          rowNumber,
          key,
          row: validated.row,
          labelIds: validated.labelIds,
          datedBySource: validated.datedBySource,
        });
      }

      // Rows without coordinates are placed at their commune's centre (flagged approximate).
      for (const item of pending) {
        if (item.row.latitude !== null) continue;
        const fill = await communeFill(conn, {
          code_postal: item.row.codePostal,
          commune: item.row.commune,
          latitude: null,
          longitude: null,
        });
        item.row.codeInsee ??= fill.code_insee ?? null;
        if (fill.latitude !== undefined && fill.longitude !== undefined) {
          item.row.latitude = fill.latitude;
          item.row.longitude = fill.longitude;
          item.row.locationPrecision = 'commune';
          report.placedAtCommune += 1;
        }
      }

      const batchSize = options.batchSize ?? 500;
      for (let start = 0; start < pending.length; start += batchSize) {
        const batch = pending.slice(start, start + batchSize);
        await (outer ?? db).transaction(async (trx) => {
          const existing = await findPlacesBySourceKeys(
            trx,
            batch.map((item) => ({ source: item.row.source, sourceId: item.row.sourceId })),
          );
          const same = await findSamePlaces(
            trx,
            batch.flatMap((item) =>
              existing.has(item.key) || item.row.latitude === null || item.row.longitude === null
                ? []
                : [
                    {
                      index: item.rowNumber,
                      pivot: item.row.pivot,
                      nom: item.row.nom,
                      latitude: item.row.latitude,
                      longitude: item.row.longitude,
                    },
                  ],
            ),
            { radiusMeters: 200, minSimilarity: 0.5 },
          );
          const targets = await findPlaceColumnsByIds(
            trx,
            [...same.values()].map((match) => match.placeId),
          );
          const samePlaces = new Map(
            [...same].flatMap(([rowNumber, match]) => {
              const place = targets.get(match.placeId);
              return place ? [[rowNumber, { ...match, place }] as const] : [];
            }),
          );
          const plan = planBatch(batch, existing, samePlaces);
          const inserted = await placeWrites.importBatch(plan.creates, {
            trx,
            updates: plan.updates satisfies ImportedUpdate[],
            merges: plan.merges satisfies ImportedMerge[],
          });
          for (const outcome of plan.outcomes) {
            if (outcome.outcome === 'created')
              outcome.placeId = inserted.get(`${outcome.source ?? ''}\u0000${outcome.sourceId ?? ''}`) ?? null;
            report[outcome.outcome] += 1;
            report.outcomes.push(outcome);
          }
        });
        options.onProgress?.(Math.min(start + batchSize, pending.length), pending.length);
      }
    };

    if (options.dryRun) {
      // One transaction for the whole file, rolled back: the counts are those of a real run.
      await db
        .transaction(async (trx) => {
          await run(trx);
          throw new DryRunDone();
        })
        .catch((error: unknown) => {
          if (!(error instanceof DryRunDone)) throw error;
        });
    } else await run(undefined);
    report.outcomes.sort((a, b) => a.row - b.row);
    return report;
  }

  return { importFile };
}

class DryRunDone extends Error {}
