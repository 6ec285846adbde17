import { parse as parseCsv } from 'csv-parse/sync';

/** A file's rows as found, keyed by its column names (CSV header or JSON keys). */
export interface SourceTable {
  syntax: 'csv' | 'json';
  columns: string[];
  rows: Record<string, unknown>[];
}

export class UnreadableFileError extends Error {}

/** `,` or `;`: whichever the header line holds more of, outside quotes. */
function guessDelimiter(text: string): ',' | ';' | '\t' {
  const header = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const count = (char: string) => header.split(char).length - 1;
  const counts: [',' | ';' | '\t', number][] = [
    [',', count(',')],
    [';', count(';')],
    ['\t', count('\t')],
  ];
  return counts.sort((a, b) => b[1] - a[1])[0][0];
}

function rowsOfJson(value: unknown): Record<string, unknown>[] {
  const isRecord = (item: unknown): item is Record<string, unknown> =>
    typeof item === 'object' && item !== null && !Array.isArray(item);
  if (Array.isArray(value)) return value.filter(isRecord);
  if (isRecord(value)) {
    // GeoJSON: the properties are the record; { "structures": […] }-style wrappers: the one array.
    if (Array.isArray(value.features))
      return value.features.filter(isRecord).map((feature) => ({ ...(feature.properties as object) }));
    const arrays = Object.values(value).filter(Array.isArray);
    if (arrays.length === 1) return rowsOfJson(arrays[0]);
  }
  throw new UnreadableFileError('Le fichier JSON ne contient pas de liste d’enregistrements.');
}

export function readTable(text: string): SourceTable {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new UnreadableFileError(`JSON illisible : ${(error as Error).message}`);
    }
    const rows = rowsOfJson(value);
    const columns = [...new Set(rows.slice(0, 1000).flatMap((row) => Object.keys(row)))];
    return { syntax: 'json', columns, rows };
  }
  try {
    const rows = parseCsv<Record<string, string>>(text, {
      columns: (header: string[]) => header.map((name) => name.trim()),
      delimiter: guessDelimiter(text),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
    const columns = rows.length ? Object.keys(rows[0]) : [];
    return { syntax: 'csv', columns, rows };
  } catch (error) {
    throw new UnreadableFileError(`CSV illisible : ${(error as Error).message}`);
  }
}
