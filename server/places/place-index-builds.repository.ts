import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';

/**
 * The secondary indexes of `places` that a first bulk load (places.bulk.ts) dropped and builds again
 * after its commit, in two sessions at once. Inside the load's one transaction they were built one
 * after the other by one backend: at 1M places the GiST trigram index alone takes ~50 s and the
 * GiST earth index ~15 s, and GiST builds have no parallel workers. Two sessions put the trigram
 * build on one core and every other build on the other.
 *
 * The load writes the list (`place_index_builds`) in its own transaction, so a load that committed
 * always leaves a record of what it dropped; each build deletes its row in the transaction of its
 * CREATE INDEX, so an index is either built and off the list, or still on it. A build cut short (the
 * process killed) is done again at the next start (`server/main.ts`). A row is claimed with
 * `FOR UPDATE SKIP LOCKED`, then waited for once none is free: two instances starting at once never
 * build the same index twice, and a build whose client was killed is redone once its backend gives up.
 */
export interface IndexToBuild {
  name: string;
  /** `pg_get_indexdef`'s text: `CREATE INDEX <name> ON …`. */
  definition: string;
}

/** How many builds run at once: one per core of the database's machine (two here); more would queue on them. */
const BUILD_SESSIONS = 2;

export async function recordIndexesToBuild(trx: Knex.Transaction, indexes: IndexToBuild[]): Promise<void> {
  if (indexes.length === 0) return;
  await trx('place_index_builds')
    .insert(indexes.map(({ name, definition }) => ({ name, definition })))
    .onConflict('name')
    .merge(['definition']);
}

/** The indexes a load or an interrupted build left to build. */
export async function indexesLeftToBuild(db: Db | Knex.Transaction): Promise<string[]> {
  return db('place_index_builds').orderBy('name').pluck('name');
}

/**
 * Builds every index on the list, BUILD_SESSIONS at a time, the costliest first (the trigram GiST,
 * then the other GiST indexes: they set the length of the whole), and returns the names built here.
 * An index that already exists (built by hand, or by a restore's migrations) is only taken off the list.
 */
export async function buildPendingPlaceIndexes(
  db: Db,
  options: { onBuilt?: (name: string, ms: number) => void } = {},
): Promise<string[]> {
  const built: string[] = [];
  const claim = async (trx: Knex.Transaction, wait: boolean) =>
    (
      await trx.raw<{ rows: IndexToBuild[] }>(
        `SELECT name, definition FROM place_index_builds
          ORDER BY definition LIKE '%gist_trgm_ops%' DESC, definition LIKE '%USING gist%' DESC, name
          LIMIT 1 FOR UPDATE ${wait ? '' : 'SKIP LOCKED'}`,
      )
    ).rows.at(0);
  const buildNext = (): Promise<string | undefined> =>
    db.transaction(async (trx) => {
      // A row another session holds is skipped while others are free; then waited for: that session
      // may be a build whose client died (its backend finishes, then rolls back and lets go), or a
      // live one (its row is then gone when the lock is released, and the claim moves on).
      const next = (await claim(trx, false)) ?? (await claim(trx, true));
      if (next === undefined) return undefined;
      const started = performance.now();
      await trx.raw(`SET LOCAL maintenance_work_mem = '512MB'`);
      await trx.raw('SET LOCAL synchronous_commit = off');
      await trx.raw(next.definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
      await trx('place_index_builds').where({ name: next.name }).delete();
      options.onBuilt?.(next.name, performance.now() - started);
      return next.name;
    });
  const session = async () => {
    for (;;) {
      const name = await buildNext();
      if (name !== undefined) built.push(name);
      // Nothing claimed: a row waited for was gone once free (LIMIT 1 then returns none); others may remain.
      else if ((await indexesLeftToBuild(db)).length === 0) return;
    }
  };
  await Promise.all(Array.from({ length: BUILD_SESSIONS }, session));
  return built;
}
