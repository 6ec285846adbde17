import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import type { PlaceBatch } from '../places/places.read.js';
import { STANDARD_COLUMNS } from '../places/standard.js';
import { csvRow } from './export.records.js';
import type { StandardRecord } from './export.records.js';
import type { Place, PlaceLabelLink } from '../places/places.types.js';

type ToRecord<T> = (place: Place, labels: PlaceLabelLink[]) => T;

async function* records<T>(batches: AsyncIterable<PlaceBatch>, toRecord: ToRecord<T>): AsyncGenerator<T> {
  for await (const batch of batches) {
    for (const place of batch.places) yield toRecord(place, batch.labels);
  }
}

/** The standard's CSV: header row, `,` separator, quoting by csv-stringify (RFC 4180), CRLF line ends. */
export function csvStream(batches: AsyncIterable<PlaceBatch>, toRecord: ToRecord<StandardRecord>): Readable {
  const rows = Readable.from(
    (async function* () {
      for await (const record of records(batches, toRecord)) yield csvRow(record);
    })(),
  );
  const csv = stringify({
    header: true,
    columns: [...STANDARD_COLUMNS],
    record_delimiter: 'windows',
    quoted_string: true,
  });
  // .pipe() does not pass errors on: a query failing mid-export must end the response, not leave it open.
  rows.once('error', (error) => csv.destroy(error));
  return rows.pipe(csv);
}

/**
 * A JSON document written piece by piece: `{…head, "<arrayKey>": [record, record, …]}` (or a bare
 * array without a key), so that one record at a time is in memory.
 */
export function jsonStream<T>(
  batches: AsyncIterable<PlaceBatch>,
  toRecord: ToRecord<T>,
  envelope: { head: Record<string, unknown>; arrayKey: string } | null,
): Readable {
  return Readable.from(
    (async function* () {
      if (envelope) {
        const head = JSON.stringify(envelope.head);
        yield `${head.slice(0, -1)}${head === '{}' ? '' : ','}${JSON.stringify(envelope.arrayKey)}:[\n`;
      } else {
        yield '[\n';
      }
      let first = true;
      for await (const record of records(batches, toRecord)) {
        yield `${first ? '' : ',\n'}${JSON.stringify(record)}`;
        first = false;
      }
      yield envelope ? '\n]}\n' : '\n]\n';
    })(),
  );
}
