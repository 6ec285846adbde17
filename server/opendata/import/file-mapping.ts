/**
 * `--mapping map.json`: for a file in a local format, which column feeds each standard field, and
 * how (docs/opendata.md lists the transforms with examples).
 */
import { z } from 'zod';
import { openingHoursOfRow, dayColumnsOf, DAYS } from './half-day-hours.js';
import { STANDARD_FIELDS, textOf } from './standard-record.js';

const columnSpec = z
  .object({
    column: z.string().min(1).optional(),
    /** Split the cell into a list (multi-valued fields). */
    separator: z.string().min(1).optional(),
    /** Replace values (after splitting): { "Accès libre": "Se présenter" }; unlisted values are kept. */
    values: z.record(z.string(), z.string()).optional(),
    transform: z.enum(['half-day-hours', 'coordinates', 'address', 'date']).optional(),
    /** half-day-hours: per day (lundi…dimanche), its columns in order; absent: found from the column names. */
    days: z.record(z.enum(DAYS.map((day) => day.names[0]) as [string, ...string[]]), z.array(z.string())).optional(),
    /** coordinates: a "lat,lon" cell (column) or two columns (latitude first). */
    columns: z.array(z.string()).length(2).optional(),
    /** date: the cell's format. */
    format: z.enum(['jj/mm/aaaa', 'aaaa-mm-jj', 'mm/jj/aaaa']).optional(),
  })
  .strict();

export const fileMappingSchema = z
  .object({
    /** The places' `source` when the file names none (the command's --source wins). */
    source: z.string().min(1).optional(),
    fields: z.partialRecord(z.enum(STANDARD_FIELDS), z.union([z.string().min(1), columnSpec])),
  })
  .strict();
export type FileMapping = z.infer<typeof fileMappingSchema>;
type ColumnSpec = z.infer<typeof columnSpec>;

/** "12 rue de la Paix - 87000 Limoges" (or with a comma) → its three parts. */
function splitAddress(cell: string): { adresse?: string; code_postal?: string; commune?: string } {
  const match = /^(.*?)[\s,–-]+(\d{5})\s+(.+)$/.exec(cell.trim());
  if (!match) return { adresse: cell.trim() };
  return { adresse: match[1].trim(), code_postal: match[2], commune: match[3].trim() };
}

function dateOf(cell: string, format: ColumnSpec['format']): string {
  const parts = cell.split(/[/.-]/);
  if (format === 'jj/mm/aaaa') return `${parts[2]}-${parts[1]?.padStart(2, '0')}-${parts[0]?.padStart(2, '0')}`;
  if (format === 'mm/jj/aaaa') return `${parts[2]}-${parts[0]?.padStart(2, '0')}-${parts[1]?.padStart(2, '0')}`;
  return cell.slice(0, 10);
}

function valueOf(field: string, spec: ColumnSpec, row: Record<string, unknown>, columns: string[]): unknown {
  if (spec.transform === 'half-day-hours') {
    const dayColumns = spec.days ? DAYS.map((day) => spec.days?.[day.names[0]] ?? []) : dayColumnsOf(columns);
    return dayColumns ? openingHoursOfRow(row, dayColumns).horaires : undefined;
  }
  if (spec.transform === 'coordinates') {
    const [lat, lon] = spec.columns
      ? spec.columns.map((column) => textOf(row[column]))
      : (textOf(row[spec.column ?? ''])?.split(/[,;\s]+/) ?? []);
    const part = field === 'longitude' ? lon : lat;
    return part === undefined ? undefined : Number(part.replace(',', '.'));
  }
  const cell = textOf(row[spec.column ?? '']);
  if (cell === undefined) return undefined;
  if (spec.transform === 'address') return splitAddress(cell)[field as 'adresse' | 'code_postal' | 'commune'];
  if (spec.transform === 'date') return dateOf(cell, spec.format);
  const mapValue = (value: string) => spec.values?.[value] ?? value;
  if (spec.separator)
    return cell
      .split(spec.separator)
      .map((item) => mapValue(item.trim()))
      .filter(Boolean);
  return mapValue(cell);
}

/** A row of the file → a row in the standard's field names, per the mapping. */
export function applyMapping(mapping: FileMapping, row: Record<string, unknown>, columns: string[]) {
  const mapped: Record<string, unknown> = {};
  for (const [field, given] of Object.entries(mapping.fields)) {
    const spec: ColumnSpec = typeof given === 'string' ? { column: given } : given;
    const value = valueOf(field, spec, row, columns);
    if (value !== undefined) mapped[field] = value;
  }
  if (mapped.source === undefined && mapping.source) mapped.source = mapping.source;
  return mapped;
}

/** Columns a mapping names that the file does not have. */
export function missingColumns(mapping: FileMapping, columns: string[]): string[] {
  const named = Object.values(mapping.fields).flatMap((given) =>
    typeof given === 'string'
      ? [given]
      : [given.column, ...(given.columns ?? []), ...Object.values(given.days ?? {}).flat()].filter(
          (column): column is string => column !== undefined,
        ),
  );
  return [...new Set(named)].filter((column) => !columns.includes(column));
}
