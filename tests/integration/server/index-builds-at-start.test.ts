import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { indexesLeftToBuild, recordIndexesToBuild } from '../../../server/places/place-index-builds.repository.js';
import { createFreshDatabase } from '../../support/fresh-database.js';
import { READY, spawnServer, stopAll } from '../../support/server-process.js';

afterAll(stopAll, 60_000);

describe('indexes a bulk load left to build', () => {
  it(
    'when the server starts on a database whose last bulk load died before building its indexes, ' +
      'then it builds them before it serves, and says so',
    async () => {
      expect(existsSync('dist/server/main.js')).toBe(true);
      const fresh = await createFreshDatabase();
      try {
        const index = (
          await fresh.db.raw<{ rows: { name: string; definition: string }[] }>(
            `SELECT 'places_search_text_knn' AS name,
                    pg_get_indexdef('places_search_text_knn'::regclass) AS definition`,
          )
        ).rows[0];
        await fresh.db.transaction(async (trx) => {
          await trx.raw('DROP INDEX ??', [index.name]);
          await recordIndexesToBuild(trx, [index]);
        });

        const server = await spawnServer({ DATABASE_URL: fresh.url });
        await server.waitFor(READY, 120_000);
        expect(server.output()).toMatch(
          /Index de lieux à reconstruire après un chargement interrompu : places_search_text_knn/,
        );
        expect(await indexesLeftToBuild(fresh.db)).toEqual([]);
        const rebuilt = await fresh.db.raw<{ rows: { definition: string }[] }>(
          `SELECT pg_get_indexdef('places_search_text_knn'::regclass) AS definition`,
        );
        expect(rebuilt.rows[0].definition).toBe(index.definition);
        server.child.kill('SIGTERM');
        expect(await server.exited).toEqual({ code: 0, signal: null });
      } finally {
        await stopAll();
        await fresh.drop();
      }
    },
    150_000,
  );
});
