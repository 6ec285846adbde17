/**
 * The moderators' upload page behind its routes: a file is stored in PostgreSQL (any instance can
 * serve the next step), read and recognised as `npm run import` reads it, previewed (its first rows
 * run through the whole pipeline in a transaction rolled back), then imported by the same pipeline,
 * whose report is kept with the upload. Uploads are pruned after a day.
 */
import type { CurrentUser } from '../../accounts/accounts.types.js';
import type { Db } from '../../db/knex.js';
import { NotFoundError } from '../../http/errors.js';
import type { Clock } from '../../shared/clock.js';
import { fileMappingSchema, type FileMapping } from '../import/file-mapping.js';
import { FORMAT_LABELS, type FileFormat } from '../import/file-formats.js';
import { dayColumnsOf } from '../import/half-day-hours.js';
import {
  createFileImporter,
  inspectFile,
  MappingMismatchError,
  UnknownFileFormatError,
  type ImportFileReport,
} from '../import/import-file.service.js';
import { jsonSummary } from '../import/import-summary.js';
import { UnreadableFileError } from '../import/table-reading.js';
import type { Encoding } from '../import/text-decoding.js';
import {
  deleteUploadsBefore,
  findMapping,
  findUpload,
  findUploadBytes,
  insertUpload,
  listMappingNames,
  saveUploadReport,
  upsertMapping,
} from './import-uploads.repository.js';
import { mappingOfGuesses } from './mapping-form.js';

/** The largest file the page takes (the biggest shared dataset is 3.6 MB); a larger one gets a 413. */
export const IMPORT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;
const KEPT_FOR_MS = 24 * 3600_000;
const PREVIEW_ROWS = 10;
/** Rejections, repairs and set-aside values kept with the report (the counts are always complete). */
const KEPT_ISSUES = 2000;

export const ENCODING_LABELS: Record<Encoding, string> = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252 (Latin-1)',
};

export interface ReadOptions {
  encoding?: Encoding;
  mapping?: FileMapping;
  source?: string;
}

/** What the page says about a file: its encoding and format, or why it cannot be read as it is. */
export type UploadReading =
  | { state: 'unreadable'; message: string }
  | {
      state: 'known' | 'unknown' | 'mismatch';
      encoding: Encoding;
      rowCount: number;
      columns: string[];
      format: FileFormat | null;
      /** For an unknown format: the guesses as a mapping, to prefill the form. */
      guessedMapping: FileMapping;
      missingColumns: string[];
    };

export interface SavedReport {
  summary: ReturnType<typeof jsonSummary>;
  repairs: ImportFileReport['repairs'];
  setAside: ImportFileReport['setAside'];
  placedAtCommune: number;
  formatLabel: string;
  encodingLabel: string;
  /** How many issues of each list were left out of the kept report. */
  omitted: { rejections: number; repairs: number; setAside: number };
}

export function createImportUploads(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const importer = createFileImporter({ db, clock });

  async function uploadOf(id: string) {
    const upload = await findUpload(db, id);
    if (!upload)
      throw new NotFoundError(
        'Ce fichier n’est plus disponible (les envois sont gardés un jour) : envoyez-le de nouveau.',
      );
    return upload;
  }

  async function bytesOf(id: string) {
    const bytes = await findUploadBytes(db, id);
    if (!bytes) throw new NotFoundError('Ce fichier n’est plus disponible : envoyez-le de nouveau.');
    return bytes;
  }

  return {
    /** Stores the file (and prunes uploads older than a day); returns its id. */
    async upload(user: CurrentUser, file: { fileName: string; bytes: Uint8Array }): Promise<string> {
      const now = clock.now();
      await deleteUploadsBefore(db, new Date(now.getTime() - KEPT_FOR_MS));
      return insertUpload(db, { fileName: file.fileName, bytes: file.bytes, uploadedBy: user.id, uploadedAt: now });
    },

    /** Reads the file as the command would, without writing anything. */
    async read(id: string, options: ReadOptions): Promise<{ fileName: string; sizeBytes: number } & UploadReading> {
      const { fileName, sizeBytes } = await uploadOf(id);
      const bytes = await bytesOf(id);
      const about = { fileName, sizeBytes };
      try {
        const { encoding, table, detected } = inspectFile(bytes, { fileName, ...options });
        return {
          ...about,
          state: 'known',
          encoding,
          rowCount: table.rows.length,
          columns: table.columns,
          format: detected.format,
          guessedMapping: { fields: {} },
          missingColumns: [],
        };
      } catch (error) {
        if (error instanceof UnreadableFileError) return { ...about, state: 'unreadable', message: error.message };
        if (!(error instanceof UnknownFileFormatError) && !(error instanceof MappingMismatchError)) throw error;
        // What the file holds, read again with a mapping of no field (which any table satisfies).
        const seen = inspectFile(bytes, { fileName, encoding: options.encoding, mapping: { fields: {} } });
        const columns = seen.table.columns;
        return {
          ...about,
          state: error instanceof MappingMismatchError ? 'mismatch' : 'unknown',
          encoding: seen.encoding,
          rowCount: seen.table.rows.length,
          columns,
          format: null,
          guessedMapping:
            error instanceof UnknownFileFormatError
              ? mappingOfGuesses(error.guesses, dayColumnsOf(columns) !== undefined)
              : { fields: {} },
          missingColumns: error instanceof MappingMismatchError ? error.missing : [],
        };
      }
    },

    /** The first rows as they would be imported: the whole pipeline, in a transaction rolled back. */
    async preview(id: string, options: ReadOptions): Promise<ImportFileReport> {
      const upload = await uploadOf(id);
      return importer.importFile(await bytesOf(id), {
        fileName: upload.fileName,
        ...options,
        dryRun: true,
        firstRows: PREVIEW_ROWS,
      });
    },

    /** Runs the import (as `npm run import`) and keeps its report with the upload. */
    async importUpload(user: CurrentUser, id: string, options: ReadOptions): Promise<void> {
      const upload = await uploadOf(id);
      const report = await importer.importFile(await bytesOf(id), { fileName: upload.fileName, ...options });
      const summary = jsonSummary(report);
      const saved: SavedReport = {
        summary: { ...summary, rejections: summary.rejections.slice(0, KEPT_ISSUES) },
        repairs: report.repairs.slice(0, KEPT_ISSUES),
        setAside: report.setAside.slice(0, KEPT_ISSUES),
        placedAtCommune: report.placedAtCommune,
        formatLabel: FORMAT_LABELS[report.format],
        encodingLabel: ENCODING_LABELS[report.encoding],
        omitted: {
          rejections: Math.max(0, report.rejections.length - KEPT_ISSUES),
          repairs: Math.max(0, report.repairs.length - KEPT_ISSUES),
          setAside: Math.max(0, report.setAside.length - KEPT_ISSUES),
        },
      };
      await saveUploadReport(db, id, { report: saved, importedBy: user.id, importedAt: clock.now() });
    },

    /** The kept report of an upload; undefined while it has not been imported. */
    async report(id: string): Promise<{ fileName: string; importedAt: Date; report: SavedReport } | undefined> {
      const upload = await uploadOf(id);
      if (!upload.report || !upload.importedAt) return undefined;
      return { fileName: upload.fileName, importedAt: upload.importedAt, report: upload.report as SavedReport };
    },

    mappingNames: () => listMappingNames(db),

    /** A saved mapping, validated again (undefined when there is none by that name). */
    async mapping(name: string): Promise<FileMapping | undefined> {
      const stored = await findMapping(db, name);
      if (stored === undefined) return undefined;
      const parsed = fileMappingSchema.safeParse(stored);
      return parsed.success ? parsed.data : undefined;
    },

    async saveMapping(user: CurrentUser, name: string, mapping: FileMapping): Promise<void> {
      await upsertMapping(db, { name, mapping, savedBy: user.id, savedAt: clock.now() });
    },
  };
}

export type ImportUploads = ReturnType<typeof createImportUploads>;
