import type { Db } from '../../db/knex.js';
import type { FileMapping } from '../import/file-mapping.js';

/** An uploaded file, as the upload page reads it back (the bytes only when asked for). */
export interface StoredUpload {
  id: string;
  fileName: string;
  sizeBytes: number;
  uploadedBy: number | null;
  uploadedAt: Date;
  report: unknown;
  importedAt: Date | null;
}

const UPLOAD_COLUMNS = {
  id: 'id',
  fileName: 'file_name',
  sizeBytes: 'size_bytes',
  uploadedBy: 'uploaded_by',
  uploadedAt: 'uploaded_at',
  report: 'report',
  importedAt: 'imported_at',
} as const;

export async function insertUpload(
  db: Db,
  upload: { fileName: string; bytes: Uint8Array; uploadedBy: number; uploadedAt: Date },
): Promise<string> {
  const [row] = await db<{
    id: string;
    file_name: string;
    bytes: Buffer;
    size_bytes: number;
    uploaded_by: number;
    uploaded_at: Date;
  }>('import_uploads')
    .insert({
      file_name: upload.fileName,
      bytes: Buffer.from(upload.bytes),
      size_bytes: upload.bytes.byteLength,
      uploaded_by: upload.uploadedBy,
      uploaded_at: upload.uploadedAt,
    })
    .returning('id');
  return row.id;
}

/** Uploads older than `before` are deleted (with their bytes): they are a working copy, not an archive. */
export async function deleteUploadsBefore(db: Db, before: Date): Promise<number> {
  return db('import_uploads').where('uploaded_at', '<', before).delete();
}

export async function findUpload(db: Db, id: string): Promise<StoredUpload | undefined> {
  const row = await db('import_uploads').where({ id }).first<StoredUpload | undefined>(UPLOAD_COLUMNS);
  return row;
}

export async function findUploadBytes(db: Db, id: string): Promise<Uint8Array | undefined> {
  const row = await db('import_uploads').where({ id }).first<{ bytes: Buffer } | undefined>('bytes');
  return row ? new Uint8Array(row.bytes) : undefined;
}

export async function saveUploadReport(
  db: Db,
  id: string,
  done: { report: unknown; importedBy: number; importedAt: Date },
): Promise<void> {
  await db('import_uploads')
    .where({ id })
    .update({ report: JSON.stringify(done.report), imported_by: done.importedBy, imported_at: done.importedAt });
}

export async function listMappingNames(db: Db): Promise<string[]> {
  const rows = await db('import_mappings').orderBy('name').select('name');
  return rows.map((row: { name: string }) => row.name);
}

/** The stored mapping as saved (the caller validates it again: a saved mapping is data, not code). */
export async function findMapping(db: Db, name: string): Promise<unknown> {
  const row = await db('import_mappings').where({ name }).first<{ mapping: unknown } | undefined>('mapping');
  return row?.mapping;
}

/** Saving under an existing name replaces that mapping. */
export async function upsertMapping(
  db: Db,
  saved: { name: string; mapping: FileMapping; savedBy: number; savedAt: Date },
): Promise<void> {
  await db('import_mappings')
    .insert({
      name: saved.name,
      mapping: JSON.stringify(saved.mapping),
      saved_by: saved.savedBy,
      saved_at: saved.savedAt,
    })
    .onConflict('name')
    .merge(['mapping', 'saved_by', 'saved_at']);
}
