import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/knex.js';
import { PLACES_SEEDED_RUN, runSeeds } from '../../../seeds/index.js';
import { createFreshDatabase } from '../../support/fresh-database.js';
import { READY, spawnServer, stopAll, waitUntil } from '../../support/server-process.js';

/**
 * kill -9 of the real server (`node dist/server/main.js`) while it seeds an empty database: no
 * handler runs, the transaction in flight dies with its connection. The next start must finish
 * the seed (its marker written last) and leave exactly what an uninterrupted seed leaves.
 */
const SEEDED_TABLES = [
  'places',
  'place_revisions',
  'place_labels',
  'place_source_aliases',
  'place_merges',
  'communes',
  'labels',
  'articles',
  'article_labels',
  'article_places',
  'audit_log',
] as const;

async function countsOf(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of SEEDED_TABLES) counts[table] = Number((await db(table).count('* as n'))[0].n);
  return counts;
}

/** What the places say, without their ids, times or versions: equal only if the same rows were written. */
async function placesDigest(db: Db): Promise<string> {
  const { rows } = await db.raw<{ rows: { digest: string | null }[] }>(
    `SELECT md5(string_agg(concat_ws('|', source, source_id, nom, commune, code_postal, latitude, longitude,
       status, location_precision), E'\\n' ORDER BY source, source_id)) AS digest FROM places`,
  );
  return rows[0].digest ?? '';
}

async function seedRunNames(db: Db): Promise<string[]> {
  return (await db('seed_runs').select('name').orderBy('name')).map((row: { name: string }) => row.name);
}

describe('kill -9 during seeding', () => {
  let killed: Awaited<ReturnType<typeof createFreshDatabase>>;
  let clean: Awaited<ReturnType<typeof createFreshDatabase>>;
  const placesNow = async () => Number((await killed.db('places').count('* as n'))[0].n);

  beforeAll(async () => {
    [killed, clean] = await Promise.all([createFreshDatabase(), createFreshDatabase()]);
  }, 60_000);
  afterAll(async () => {
    await stopAll();
    await killed.drop();
    await clean.drop();
  }, 60_000);

  const whenKilledMidSeed =
    'when the server is killed mid-seed then started again, then the seed completes with exactly a clean seed’s rows';
  it(
    whenKilledMidSeed,
    async () => {
      const env = { DATABASE_URL: killed.url, SEED_ON_START: 'true' };
      const first = await spawnServer(env);
      await first.waitFor(/Chargement des données de démonstration/);
      // Well inside the places files: some batches committed, more to come.
      await waitUntil(async () => (await placesNow()) > 1000, 120_000);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const placesAtKill = await placesNow();
      expect(await seedRunNames(killed.db)).not.toContain(PLACES_SEEDED_RUN);

      const second = await spawnServer(env);
      await second.waitFor(READY, 240_000);
      expect(await seedRunNames(killed.db)).toContain(PLACES_SEEDED_RUN);
      expect(await placesNow()).toBeGreaterThan(placesAtKill);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);

      await runSeeds(clean.db, { log: () => {}, today: new Date().toISOString().slice(0, 10) });
      expect(await seedRunNames(killed.db)).toEqual(await seedRunNames(clean.db));
      expect(await countsOf(killed.db)).toEqual(await countsOf(clean.db));
      expect(await placesDigest(killed.db)).toBe(await placesDigest(clean.db));
      // Row, revision and history agree: every place's version has its revision, none beyond it.
      const { rows: orphans } = await killed.db.raw<{ rows: unknown[] }>(
        `SELECT p.id FROM places p
        WHERE p.version <> 1 + (SELECT count(*) FROM place_revisions r WHERE r.place_id = p.id)`,
      );
      expect(orphans).toEqual([]);
    },
    600_000,
  );
});
