import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../server/db/knex.js';
import { createFileImporter, type ImportFileOptions } from '../../../server/opendata/import/import-file.service.js';
import type { Clock } from '../../../server/shared/clock.js';

const FIXTURES_DIR = path.resolve(import.meta.dirname, '../../fixtures/import');
export const fixturePath = (name: string) => path.join(FIXTURES_DIR, name);
export const fixtureBytes = (name: string) => readFileSync(fixturePath(name));

/** Imports a file of tests/fixtures/import (or given bytes) in-process, as `npm run import` does. */
export function fixtureImporter(db: Db, clock: Clock) {
  const importer = createFileImporter({ db, clock });
  return (name: string, options: Partial<ImportFileOptions> & { bytes?: Uint8Array } = {}) =>
    importer.importFile(options.bytes ?? fixtureBytes(name), { fileName: name, ...options });
}

/** A CSV file of these columns, every value quoted (JSON quoting is CSV's for these values). */
export function csvOf<Column extends string>(
  columns: readonly Column[],
  rows: Partial<Record<Column, string | number>>[],
): Buffer {
  const line = (row: Partial<Record<Column, string | number>>) =>
    columns.map((column) => JSON.stringify(String(row[column] ?? ''))).join(',');
  return Buffer.from([columns.join(','), ...rows.map(line)].join('\n'));
}
