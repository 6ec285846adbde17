import type { Db } from '../server/db/knex.js';

export async function findSeedRun(db: Db, name: string): Promise<{ checksum: string } | undefined> {
  return db<{ name: string; checksum: string }>('seed_runs').select('checksum').where({ name }).first();
}

export async function recordSeedRun(db: Db, name: string, checksum: string, report: unknown): Promise<void> {
  await db('seed_runs')
    .insert({ name, checksum, report: JSON.stringify(report), loaded_at: db.fn.now() })
    .onConflict('name')
    .merge();
}
