import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../db/knex.js';
import type { NewPlaceRow } from './place-writes.repository.js';
import { placeQuality } from './place-quality.js';
import { buildPendingPlaceIndexes, recordIndexesToBuild } from './place-index-builds.repository.js';

/**
 * The bulk path for places: rows streamed with COPY into a staging table, then one INSERT … SELECT
 * into `places` and `place_labels`. Row-by-row or batched INSERTs pay parsing, planning and a round
 * trip per batch (1M places in 174 s through the 500-row batches of the import); COPY streams the
 * rows and lets PostgreSQL do the rest set-based.
 *
 * The rows must already be valid (the import validates them field by field); the table's CHECK
 * constraints still guard, and one bad row fails the whole load, which then leaves nothing behind.
 * Idempotent like the import: a (source, source_id) already present is left untouched.
 */
export type BulkPlaceRow = NewPlaceRow & {
  /** Slugs of labels to link (verified, origin 'import'); unknown slugs are skipped and counted. */
  labelSlugs?: string[];
};

export interface BulkLoadReport {
  read: number;
  inserted: number;
  alreadyPresent: number;
  labelsLinked: number;
}

interface Column {
  name: string;
  type: string;
  value: (row: BulkPlaceRow) => unknown;
}

const scalar = (name: string, type: string, key: keyof BulkPlaceRow): Column => ({
  name,
  type,
  value: (row) => row[key],
});

/** The staging table's columns, in COPY order; the same names as in `places` except label_slugs. */
const COLUMNS: Column[] = [
  scalar('source', 'text', 'source'),
  scalar('source_id', 'text', 'sourceId'),
  scalar('pivot', 'text', 'pivot'),
  scalar('nom', 'text', 'nom'),
  scalar('commune', 'text', 'commune'),
  scalar('code_postal', 'text', 'codePostal'),
  scalar('code_insee', 'text', 'codeInsee'),
  scalar('adresse', 'text', 'adresse'),
  scalar('complement_adresse', 'text', 'complementAdresse'),
  scalar('latitude', 'double precision', 'latitude'),
  scalar('longitude', 'double precision', 'longitude'),
  // The trigger fills 'exact' when coordinates come without a precision.
  scalar('location_precision', 'text', 'locationPrecision'),
  scalar('typologie', 'text[]', 'typologie'),
  scalar('telephone', 'text', 'telephone'),
  scalar('courriels', 'text[]', 'courriels'),
  scalar('site_web', 'text[]', 'siteWeb'),
  scalar('horaires', 'text', 'horaires'),
  scalar('presentation_resume', 'text', 'presentationResume'),
  scalar('presentation_detail', 'text', 'presentationDetail'),
  scalar('itinerance', 'text[]', 'itinerance'),
  scalar('structure_parente', 'text', 'structureParente'),
  scalar('date_maj', 'date', 'dateMaj'),
  scalar('services', 'text[]', 'services'),
  scalar('publics_specifiquement_adresses', 'text[]', 'publicsSpecifiquementAdresses'),
  scalar('prise_en_charge_specifique', 'text[]', 'priseEnChargeSpecifique'),
  scalar('frais_a_charge', 'text[]', 'fraisACharge'),
  scalar('autres_formations_labels', 'text[]', 'autresFormationsLabels'),
  scalar('modalites_acces', 'text[]', 'modalitesAcces'),
  scalar('modalites_accompagnement', 'text[]', 'modalitesAccompagnement'),
  scalar('fiche_acces_libre', 'text', 'ficheAccesLibre'),
  scalar('prise_rdv', 'text', 'priseRdv'),
  { name: 'import_issues', type: 'jsonb', value: (row) => JSON.stringify(row.importIssues) },
  { name: 'quality', type: 'smallint', value: (row) => placeQuality(row, new Date()).score },
  { name: 'label_slugs', type: 'text[]', value: (row) => row.labelSlugs ?? [] },
];

const PLACE_COLUMNS = COLUMNS.map((c) => c.name).filter((name) => name !== 'label_slugs');

// COPY's text format: backslash, tab, newline and carriage return are escaped; \N is NULL. Most
// values hold none of them: testing first spares a replace (and its copy) per field, a third of the
// time of a line.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyEscape = (text: string) =>
  COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]) : text;

// An array literal quotes every element, with " and \ escaped inside the quotes.
const QUOTED_SPECIAL = /["\\]/;
const quoted = (v: string) => `"${QUOTED_SPECIAL.test(v) ? v.replace(/["\\]/g, (c) => `\\${c}`) : v}"`;
const arrayLiteral = (values: string[]) => `{${values.map(quoted).join(',')}}`;

function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (Array.isArray(value)) return copyEscape(arrayLiteral(value.map(String)));
  if (typeof value === 'number') return String(value);
  // Rows hold strings, numbers and arrays (above); JSON columns come already stringified.
  return copyEscape(typeof value === 'string' ? value : JSON.stringify(value));
}

/** One row as a line of COPY text; exported for its unit test. */
export function copyLine(row: BulkPlaceRow): string {
  let line = '';
  for (let i = 0; i < COLUMNS.length; i++) line += (i ? '\t' : '') + copyField(COLUMNS[i].value(row));
  return line + '\n';
}

/** Lines grouped in chunks of ~64 kB: one stream write per row would cost more than the row. */
async function* copyChunks(rows: Iterable<BulkPlaceRow> | AsyncIterable<BulkPlaceRow>, counter: { read: number }) {
  let chunk = '';
  for await (const row of rows) {
    chunk += copyLine(row);
    counter.read++;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Below this many rows, or when the load is smaller than the table, the indexes are kept and
 * maintained row by row; above, they are dropped and built again after the insert.
 */
const REBUILD_FROM_ROWS = 10_000;

export interface BulkLoadOptions {
  /** Told when COPY is done, to time the two halves apart. */
  onStaged?: (read: number) => void;
  /**
   * 'auto': rebuild the secondary indexes of `places` when the load is large and at least as big as
   * the table already there (a first load). A million row-by-row inserts into growing GIN and GiST
   * indexes cost far more than building them once, sorted or buffered, at the end. The foreign keys
   * to `places` are likewise dropped and added back (checked once, set-based). The load holds an
   * exclusive lock on `places` and `place_labels` until the commit: searches wait. The indexes are
   * then built after the commit, two at a time (place-index-builds.repository.ts): searches read
   * the new rows meanwhile, edits wait for the builds. 'never' for a live import.
   */
  rebuildIndexes?: 'auto' | 'always' | 'never';
  /** Told how long each step after the COPY took ('insert', 'foreign keys', 'index <name>'). */
  onStep?: (step: string, ms: number) => void;
}

/** The secondary indexes of `places` (all but the primary key and the (source, source_id) key). */
async function secondaryIndexes(trx: Knex.Transaction): Promise<{ name: string; definition: string }[]> {
  const result = await trx.raw<{ rows: { name: string; definition: string }[] }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'places'::regclass AND NOT i.indisprimary AND NOT i.indisunique`,
  );
  return result.rows;
}

/**
 * The foreign keys from `places` and `place_labels` to `places`: checked one row at a time by a
 * trigger (800,000 label links and a million places at 1M: 5.1 s), against one set-based check when
 * added back. The key to `labels` stays (2.6 s): dropping it would lock `labels` until the commit,
 * and every page that shows a label would wait for the load.
 */
async function foreignKeys(trx: Knex.Transaction): Promise<{ table: string; name: string; definition: string }[]> {
  const result = await trx.raw<{ rows: { table: string; name: string; definition: string }[] }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE contype = 'f' AND conrelid IN ('places'::regclass, 'place_labels'::regclass)
        AND confrelid = 'places'::regclass`,
  );
  return result.rows;
}

async function shouldRebuild(trx: Knex.Transaction, staged: number, choice: BulkLoadOptions['rebuildIndexes']) {
  if (choice === 'always') return true;
  if (choice === 'never' || staged < REBUILD_FROM_ROWS) return false;
  const result = await trx.raw<{ rows: { present: number }[] }>(
    `SELECT count(*)::int AS present FROM (SELECT 1 FROM places LIMIT ?) AS p`,
    [staged + 1],
  );
  return result.rows[0].present <= staged;
}

/**
 * Loads places in one transaction: every row and label link, or nothing. `rows` is consumed as a
 * stream (a generator of a million rows never sits in memory). When the load dropped the indexes,
 * it resolves once they are all built again; if a build fails after the commit, the rows stay and
 * the indexes left are built at the next start (`place_index_builds`).
 */
export async function bulkLoadPlaces(
  db: Db,
  rows: Iterable<BulkPlaceRow> | AsyncIterable<BulkPlaceRow>,
  options: BulkLoadOptions = {},
): Promise<BulkLoadReport> {
  const report = await loadInOneTransaction(db, rows, options);
  await buildPendingPlaceIndexes(db, { onBuilt: (name, ms) => options.onStep?.(`index ${name}`, ms) });
  return report;
}

function loadInOneTransaction(
  db: Db,
  rows: Iterable<BulkPlaceRow> | AsyncIterable<BulkPlaceRow>,
  options: BulkLoadOptions,
): Promise<BulkLoadReport> {
  return db.transaction(async (trx) => {
    // Inside a transaction Knex hands out the transaction's own connection: COPY runs in it.
    const client = trx.client as { acquireConnection(): Promise<pg.Client> };
    const connection = await client.acquireConnection();
    // Room for the insert's sorts and the keys' checks; no wait for the WAL flush at each step.
    await trx.raw(`SET LOCAL work_mem = '64MB'`);
    await trx.raw('SET LOCAL synchronous_commit = off');
    // Triggers on places that tell listeners about each row (the in-memory index's NOTIFY) read this
    // and stay quiet: one notification per row of a million-row load would flood them. Listeners
    // reload after a bulk load.
    await trx.raw(`SELECT set_config('epn.bulk', 'on', true)`);
    await trx.raw(
      `CREATE TEMPORARY TABLE places_staging (${COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')}) ON COMMIT DROP`,
    );
    const counter = { read: 0 };
    const copy = connection.query(
      copyFrom(`COPY places_staging (${COLUMNS.map((c) => c.name).join(', ')}) FROM STDIN`),
    );
    await pipeline(Readable.from(copyChunks(rows, counter)), copy);
    options.onStaged?.(counter.read);
    const rebuild = await shouldRebuild(trx, counter.read, options.rebuildIndexes);
    const rebuilt = rebuild ? await secondaryIndexes(trx) : [];
    const rechecked = rebuild ? await foreignKeys(trx) : [];
    for (const index of rebuilt) await trx.raw('DROP INDEX ??', [index.name]);
    await recordIndexesToBuild(trx, rebuilt);
    for (const key of rechecked) await trx.raw('ALTER TABLE ?? DROP CONSTRAINT ??', [key.table, key.name]);
    // Only the newly inserted places get their labels (RETURNING), as the import does. The search
    // words too: the trigger leaves them to a bulk load (migration 20261203_0100).
    const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await work();
      options.onStep?.(step, performance.now() - started);
      return result;
    };
    const result = await timed('insert', () =>
      trx.raw<{ rows: { inserted: number; linked: number }[] }>(
        `WITH inserted AS (
         INSERT INTO places (${PLACE_COLUMNS.join(', ')})
         SELECT ${PLACE_COLUMNS.join(', ')} FROM places_staging
         ON CONFLICT (source, source_id) DO NOTHING
         RETURNING id, source, source_id, search_text
       ), words AS (
         INSERT INTO search_words
         SELECT DISTINCT w FROM inserted, search_words_of(inserted.search_text) AS w
         ON CONFLICT DO NOTHING
       ), linked AS (
         INSERT INTO place_labels (place_id, label_id, origin, verification_status)
         SELECT inserted.id, labels.id, 'import', 'verified'
         FROM inserted
         JOIN places_staging staged USING (source, source_id)
         CROSS JOIN LATERAL unnest(staged.label_slugs) AS wanted(slug)
         JOIN labels ON labels.slug = wanted.slug
         ON CONFLICT (place_id, label_id) DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM linked) AS linked`,
      ),
    );
    // count() is a bigint, handed over as a number (server/db/knex.ts).
    const { inserted, linked } = result.rows[0];
    if (rechecked.length) {
      await timed('foreign keys', async () => {
        for (const key of rechecked) {
          await trx.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? ${key.definition}`, [key.table, key.name]);
        }
      });
    }
    return { read: counter.read, inserted, alreadyPresent: counter.read - inserted, labelsLinked: linked };
  });
}
