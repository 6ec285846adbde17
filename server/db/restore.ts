import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BACKUP_FORMAT, MANIFEST, type BackupManifest } from './backup.js';
import { MIGRATION_TABLES, quoteIdent, sequenceColumns, tablesInDependencyOrder } from './backup-tables.js';
import { createDb } from './knex.js';
import { migrateTo } from './migrate.js';

/** Restoring over data would mix two databases: refused, with what to do instead. */
export class RestoreRefusedError extends Error {}

async function readManifest(folder: string): Promise<BackupManifest> {
  const text = await readFile(path.join(folder, MANIFEST), 'utf8').catch(() => {
    throw new RestoreRefusedError(`Pas de ${MANIFEST} dans ${folder} : ce n’est pas une sauvegarde d’EPN Finder.`);
  });
  const manifest = JSON.parse(text) as { format?: unknown };
  if (manifest.format !== BACKUP_FORMAT) {
    throw new RestoreRefusedError(
      `Format de sauvegarde inconnu (${String(manifest.format)}), attendu ${BACKUP_FORMAT}.`,
    );
  }
  return manifest as BackupManifest;
}

/**
 * Rebuilds an empty database from a backup folder: migrations up to the backup's own version,
 * then in one transaction every table's rows with COPY FROM (parents first; the tables' own
 * triggers off meanwhile, so that rows come back exactly as saved), the sequences set past the
 * restored ids, and every count and checksum checked against the manifest. Any failure rolls
 * the data back entirely.
 */
export async function restoreDatabase(connectionString: string, folder: string): Promise<BackupManifest> {
  const manifest = await readManifest(folder);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await refuseUnlessEmpty(client);
    const db = createDb(connectionString, { min: 0, max: 1 });
    try {
      await migrateTo(db, manifest.migrations);
    } finally {
      await db.destroy();
    }
    const present = new Set(await tablesInDependencyOrder(client));
    const missing = manifest.tables.filter((table) => !present.has(table.name));
    if (missing.length > 0) {
      throw new RestoreRefusedError(`Tables absentes après migration : ${missing.map((t) => t.name).join(', ')}.`);
    }
    await client.query('BEGIN');
    await client.query(`TRUNCATE ${MIGRATION_TABLES.map(quoteIdent).join(', ')}`);
    for (const table of manifest.tables) await copyTableIn(client, folder, table);
    for (const { table, column, sequence } of await sequenceColumns(client)) {
      await client.query(
        `SELECT setval($1, COALESCE(max(${quoteIdent(column)}), 1), max(${quoteIdent(column)}) IS NOT NULL)
           FROM ${quoteIdent(table)}`,
        [sequence],
      );
    }
    await client.query('COMMIT');
    return manifest;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

async function refuseUnlessEmpty(client: pg.Client): Promise<void> {
  const tables = (await tablesInDependencyOrder(client)).filter((table) => !MIGRATION_TABLES.includes(table));
  const filled: string[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ filled: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)}) AS filled`,
    );
    if (rows[0].filled) filled.push(table);
  }
  if (filled.length > 0) {
    throw new RestoreRefusedError(
      `Restauration refusée : la base n’est pas vide (données dans ${filled.slice(0, 5).join(', ')}` +
        `${filled.length > 5 ? '…' : ''}). Restaurez dans une base neuve (CREATE DATABASE), ` +
        'jamais par-dessus des données.',
    );
  }
}

async function copyTableIn(client: pg.Client, folder: string, table: BackupManifest['tables'][number]) {
  const hash = createHash('sha256');
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const name = quoteIdent(table.name);
  await client.query(`ALTER TABLE ${name} DISABLE TRIGGER USER`);
  const copied = client.query(copyFrom(`COPY ${name} FROM STDIN`));
  await pipeline(createReadStream(path.join(folder, table.file)), hasher, copied);
  await client.query(`ALTER TABLE ${name} ENABLE TRIGGER USER`);
  if (hash.digest('hex') !== table.sha256) {
    throw new RestoreRefusedError(`Le fichier ${table.file} ne correspond plus à la sauvegarde (somme de contrôle).`);
  }
  if (copied.rowCount !== table.rows) {
    throw new RestoreRefusedError(`${table.name} : ${copied.rowCount} lignes restaurées, ${table.rows} sauvegardées.`);
  }
}
