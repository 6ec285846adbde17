import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { quoteIdent, tablesInDependencyOrder } from './backup-tables.js';

export const BACKUP_FORMAT = 'epn-finder-backup/1';
export const MANIFEST = 'manifest.json';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  postgresVersion: string;
  /** The migrations applied when the snapshot was taken: a restore migrates to exactly these. */
  migrations: string[];
  /** In restore order (parents first). */
  tables: { name: string; file: string; rows: number; sha256: string }[];
}

/**
 * A consistent snapshot of the whole database into `folder`: one file per table in PostgreSQL's
 * COPY text format, and a manifest. The embedded binaries ship no pg_dump, so it is done with
 * what every PostgreSQL has: one SERIALIZABLE READ ONLY DEFERRABLE transaction (it waits for a
 * moment when no concurrent write can make the snapshot inconsistent, then never blocks writers)
 * and `COPY … TO STDOUT` per table, every table included, Knex's migration bookkeeping too.
 */
export async function backupDatabase(connectionString: string, folder: string): Promise<BackupManifest> {
  await mkdir(folder, { recursive: true });
  if ((await readdir(folder)).length > 0) {
    throw new Error(`Le dossier ${folder} n’est pas vide : choisissez un dossier neuf pour la sauvegarde.`);
  }
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE');
    const postgresVersion = (await client.query<{ v: string }>('SHOW server_version')).rows[0].v;
    const migrations = (await client.query<{ name: string }>('SELECT name FROM knex_migrations ORDER BY id')).rows.map(
      (row) => row.name,
    );
    const tables: BackupManifest['tables'] = [];
    for (const [index, name] of (await tablesInDependencyOrder(client)).entries()) {
      const file = `${String(index + 1).padStart(3, '0')}-${name}.copy`;
      const hash = createHash('sha256');
      let rows = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          // One line per row in the text format (newlines inside values are escaped as \n).
          for (const byte of chunk) if (byte === 10) rows += 1;
          done(null, chunk);
        },
      });
      await pipeline(
        client.query(copyTo(`COPY ${quoteIdent(name)} TO STDOUT`)),
        counter,
        createWriteStream(path.join(folder, file)),
      );
      tables.push({ name, file, rows, sha256: hash.digest('hex') });
    }
    await client.query('COMMIT');
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      postgresVersion,
      migrations,
      tables,
    };
    await writeFile(path.join(folder, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await client.end();
  }
}
