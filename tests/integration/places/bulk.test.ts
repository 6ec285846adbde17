import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bulkLoadPlaces, copyLine } from '../../../server/places/places.bulk.js';
import { correctedSearchText } from '../../../server/places/search-words.repository.js';
import {
  buildPendingPlaceIndexes,
  indexesLeftToBuild,
  recordIndexesToBuild,
} from '../../../server/places/place-index-builds.repository.js';
import { bulkRow } from '../../support/bulk-rows.js';
import { createTestContext } from '../../support/context.js';
import { createFreshDatabase } from '../../support/fresh-database.js';
import { makeLabel } from '../../support/factories.js';

describe('loading places in bulk (COPY into staging, then one INSERT … SELECT)', () => {
  const { app, db, placeIndex } = createTestContext();

  it('when rows are loaded, then they are searchable with their labels, arrays and hours', async () => {
    const label = await makeLabel(db);
    const row = bulkRow({ labelSlugs: [label.slug], autresFormationsLabels: ['Pix, "niveau 2"'] });
    const report = await bulkLoadPlaces(db, [row]);
    expect(report).toEqual({ read: 1, inserted: 1, alreadyPresent: 0, labelsLinked: 1 });
    const res = await request(app).get('/api/v1/places').query({ lat: row.latitude, lon: row.longitude, radius_km: 1 });
    expect(res.body.items[0]).toMatchObject({
      nom: 'Médiathèque du port',
      horaires: 'Mo-Fr 09:00-12:00',
      location_precision: 'exact',
    });
    const stored = await db('places').where({ source: 'bulk-test', source_id: row.sourceId }).first();
    expect(stored.autres_formations_labels).toEqual(['Pix, "niveau 2"']);
    expect(await db('place_labels').where({ place_id: stored.id }).pluck('label_id')).toEqual([label.id]);
  });

  it('when text holds tabs, newlines, backslashes and quotes, then it is stored as written', async () => {
    const awkward = 'Ligne 1\nLigne 2\tcolonne \\ "guillemets" {accolades} \\N';
    const row = bulkRow({ presentationDetail: awkward, courriels: ['a\\b@exemple.fr', 'c,d@exemple.fr'] });
    await bulkLoadPlaces(db, [row]);
    const stored = await db('places').where({ source: 'bulk-test', source_id: row.sourceId }).first();
    expect(stored.presentation_detail).toBe(awkward);
    expect(stored.courriels).toEqual(['a\\b@exemple.fr', 'c,d@exemple.fr']);
  });

  it('when the same rows are loaded twice, then the second load adds nothing and links no label again', async () => {
    const label = await makeLabel(db);
    const rows = [bulkRow({ labelSlugs: [label.slug] }), bulkRow()];
    await bulkLoadPlaces(db, rows);
    const again = await bulkLoadPlaces(db, rows);
    expect(again).toEqual({ read: 2, inserted: 0, alreadyPresent: 2, labelsLinked: 0 });
  });

  it('when rows are loaded, then their words correct a misspelt search, as a place written one by one', async () => {
    const token = `Kerlouan${Math.floor(Math.random() * 1e6)}`;
    await bulkLoadPlaces(db, [bulkRow({ nom: `Cyber-base ${token}` })]);
    const misspelt = token.toLowerCase().replace('lou', 'lu'); // "kerluan…"
    expect(await correctedSearchText(db, `cyber base ${misspelt}`)).toBe(`cyber base ${token.toLowerCase()}`);
  });

  it('when rows are loaded, then the change log names every place once (place 0), not each row', async () => {
    // On a database of its own: other test files write to the shared one meanwhile.
    const fresh = await createFreshDatabase();
    try {
      const label = await makeLabel(fresh.db);
      const rows = Array.from({ length: 50 }, () => bulkRow({ labelSlugs: [label.slug] }));
      const logged = () => fresh.db('place_changes').orderBy('seq').pluck('place_id');
      const before = (await logged()).length;
      await bulkLoadPlaces(fresh.db, rows);
      // Places and label links in one entry: every instance reloads once, whatever the size.
      expect((await logged()).slice(before).map(Number)).toEqual([0]);
      await bulkLoadPlaces(fresh.db, rows);
      expect((await logged()).slice(before).map(Number)).toEqual([0]); // nothing new, nothing logged
    } finally {
      await fresh.drop();
    }
  });

  it('when places are loaded in bulk while an instance serves searches, then its next search finds them', async () => {
    await placeIndex.start();
    const row = bulkRow({ nom: 'Espace numérique du phare' });
    await bulkLoadPlaces(db, [row]);
    const res = await request(app).get('/api/v1/places').query({ lat: row.latitude, lon: row.longitude, radius_km: 1 });
    expect(res.body.items.map((item: { nom: string }) => item.nom)).toContain('Espace numérique du phare');
  });

  it('when one row breaks a constraint, then nothing of the load is kept', async () => {
    const good = bulkRow();
    await expect(bulkLoadPlaces(db, [good, bulkRow({ codePostal: 'ABCDE' })])).rejects.toThrow(
      /places_code_postal_format/,
    );
    expect(await db('places').where({ source: 'bulk-test', source_id: good.sourceId }).first()).toBeUndefined();
  });

  it('when rows come from an async generator, then they are streamed in', async () => {
    const ids: string[] = [];
    // eslint-disable-next-line @typescript-eslint/require-await -- the point is an async iterable, with no await
    async function* rows() {
      for (let i = 0; i < 3000; i++) {
        const row = bulkRow();
        ids.push(row.sourceId);
        yield row;
      }
    }
    const report = await bulkLoadPlaces(db, rows());
    expect(report.inserted).toBe(3000);
    expect(Number((await db('places').whereIn('source_id', ids).count('* as n'))[0].n)).toBe(3000);
  });

  it('when a load rebuilds the indexes, then every index and key comes back and finds the rows', async () => {
    // On a database of its own: dropping and rebuilding the indexes locks the places table, which would
    // stall every other test file sharing the run's database.
    const fresh = await createFreshDatabase();
    try {
      const indexes = async () =>
        (
          await fresh.db.raw<{ rows: { definition: string }[] }>(
            `SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = 'places'::regclass
             UNION ALL
             SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
              WHERE conrelid IN ('places'::regclass, 'place_labels'::regclass)`,
          )
        ).rows
          .map((row) => row.definition)
          .sort();
      const before = await indexes();
      const token = `Vauquelin${Math.floor(Math.random() * 1e6)}`;
      const row = bulkRow({ nom: `Médiathèque ${token}` });
      const label = await makeLabel(fresh.db);
      const report = await bulkLoadPlaces(fresh.db, [{ ...row, labelSlugs: [label.slug] }], {
        rebuildIndexes: 'always',
      });
      expect(report).toMatchObject({ inserted: 1, labelsLinked: 1 });
      expect(await indexes()).toEqual(before);
      expect(await indexesLeftToBuild(fresh.db)).toEqual([]);
      const found = await fresh.db('places').where('nom', row.nom).select('id');
      expect(found).toHaveLength(1);
    } finally {
      await fresh.drop();
    }
  });

  it(
    'when a load committed but its process died before the indexes were built, then the next build ' +
      'makes each of them once, even from two instances at once, and skips one that already exists',
    async () => {
      const fresh = await createFreshDatabase();
      try {
        const secondary = async () =>
          (
            await fresh.db.raw<{ rows: { name: string; definition: string }[] }>(
              `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
                 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = 'places'::regclass AND NOT i.indisprimary AND NOT i.indisunique
                ORDER BY 1`,
            )
          ).rows;
        const before = await secondary();
        const dropped = before.filter((index) => /gist|gin/i.test(index.definition)).slice(0, 3);
        const untouched = before.find((index) => !dropped.includes(index))!;
        // What a load leaves when its process is killed between the commit and the builds.
        await fresh.db.transaction(async (trx) => {
          for (const index of dropped) await trx.raw('DROP INDEX ??', [index.name]);
          await recordIndexesToBuild(trx, [...dropped, untouched]);
        });
        expect(await indexesLeftToBuild(fresh.db)).toHaveLength(4);

        const [first, second] = await Promise.all([
          buildPendingPlaceIndexes(fresh.db),
          buildPendingPlaceIndexes(fresh.db),
        ]);
        expect([...first, ...second].sort()).toEqual([...dropped, untouched].map((index) => index.name).sort());
        expect(await secondary()).toEqual(before);
        expect(await indexesLeftToBuild(fresh.db)).toEqual([]);
      } finally {
        await fresh.drop();
      }
    },
  );

  it(
    "when a killed load's build still holds its index (its backend not yet given up), then the next " +
      'build waits for it and builds that index once it is let go',
    async () => {
      const fresh = await createFreshDatabase();
      try {
        const index = (
          await fresh.db.raw<{ rows: { name: string; definition: string }[] }>(
            `SELECT 'places_earth' AS name, pg_get_indexdef('places_earth'::regclass) AS definition`,
          )
        ).rows[0];
        await fresh.db.transaction(async (trx) => {
          await trx.raw('DROP INDEX ??', [index.name]);
          await recordIndexesToBuild(trx, [index]);
        });
        // The dead client's backend: it holds the row until it rolls back.
        const dying = await fresh.db.transaction();
        await dying.raw('SELECT name FROM place_index_builds FOR UPDATE');
        const building = buildPendingPlaceIndexes(fresh.db);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await dying.rollback();
        expect(await building).toEqual([index.name]);
        expect(await indexesLeftToBuild(fresh.db)).toEqual([]);
        const rebuilt = await fresh.db.raw<{ rows: { definition: string }[] }>(
          `SELECT pg_get_indexdef('places_earth'::regclass) AS definition`,
        );
        expect(rebuilt.rows[0].definition).toBe(index.definition);
      } finally {
        await fresh.drop();
      }
    },
  );

  it('when a value is missing, then its COPY field is \\N (NULL), not an empty string', () => {
    const line = copyLine(bulkRow({ telephone: null }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.split('\t')[13]).toBe('\\N');
  });
});
