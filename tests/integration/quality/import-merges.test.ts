import { randomInt, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uniqueWord } from '../../support/communes.js';
import { createTestContext } from '../../support/context.js';
import { northOf, randomSpot } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';
import { csvOf, fixtureImporter } from '../opendata/import-fixtures.js';

const COLUMNS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'adresse',
  'latitude',
  'longitude',
  'telephone',
  'courriels',
  'source',
  'date_maj',
  'services',
  'dispositif_programmes_nationaux',
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string | number>>;

/**
 * Issue 9, Duplicates: "high-confidence pairs merge automatically at import (recorded, reversible)".
 * A row of another source with the same SIRET within 200 m is merged into the place already here;
 * a moderator sees it on the duplicates page and separates it again.
 */
describe('import merges, recorded and reversible', () => {
  const { app, db, clock } = createTestContext();
  const importFile = fixtureImporter(db, clock);
  const importRows = (rows: Row[]) => importFile('fusion.csv', { bytes: csvOf(COLUMNS, rows) });

  /** A place from one source, then the same place (same SIRET, 50 m away) from another, merged into it. */
  async function mergedAtImport() {
    const pivot = `${randomInt(10_000_000, 99_999_999)}${randomInt(100_000, 999_999)}`;
    const spot = randomSpot();
    const near = northOf(spot, 0.05);
    const first: Row = {
      id: randomUUID(),
      pivot,
      nom: `Médiathèque ${uniqueWord()}`,
      commune: 'Bourges',
      code_postal: '18000',
      adresse: `1 rue ${uniqueWord()}`,
      latitude: spot.lat,
      longitude: spot.lon,
      source: `mairie-${uniqueWord()}`,
      date_maj: '2024-01-01',
      services: 'Aide aux démarches administratives',
    };
    const second: Row = {
      ...first,
      id: randomUUID(),
      nom: `France Services ${uniqueWord()}`,
      latitude: near.lat,
      longitude: near.lon,
      telephone: '0248000009',
      courriels: `accueil-${uniqueWord().toLowerCase()}@example.org`,
      source: `fs-${uniqueWord()}`,
      dispositif_programmes_nationaux: 'France Services',
    };
    await importRows([first]);
    const report = await importRows([second]);
    expect(report).toMatchObject({ read: 1, merged: 1, created: 0 });
    const kept = await db('places').where({ source_id: first.id }).first();
    const alias = await db('place_source_aliases').where({ source_id: second.id }).first();
    return { first, second, kept, alias };
  }

  const labelsOf = async (placeId: number) =>
    (await db('place_labels as pl').join('labels as l', 'l.id', 'pl.label_id').where('pl.place_id', placeId))
      .map((row: { slug: string }) => row.slug)
      .sort();

  async function moderator() {
    return loginAs(app, await createUser(db, { role: 'moderator' }));
  }

  const separates =
    'when a moderator separates a merge made at import, then the row is a place of its own with its labels, ' +
    'the place gets back its empty fields and loses the label the merge gave it, and the pair is never proposed again';
  it(separates, async () => {
    const { second, kept, alias } = await mergedAtImport();
    expect(kept.telephone).toBe('+33248000009');
    expect(await labelsOf(kept.id)).toContain('france-services');
    const agent = await moderator();

    const page = await agent.get('/moderation/doublons');
    expect(page.text).toContain(`/moderation/fusions-import/${alias.id}/separer`);
    expect(page.text).toContain(String(second.nom));

    const res = await postForm(agent, `/moderation/fusions-import/${alias.id}/separer`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/moderation/doublons?message=separee');

    const separated = await db('places').where({ source: second.source, source_id: second.id }).first();
    expect(separated).toMatchObject({ nom: second.nom, telephone: '+33248000009', status: 'published' });
    expect(await labelsOf(separated.id)).toEqual(['france-services']);
    const after = await db('places').where({ id: kept.id }).first();
    expect(after.telephone).toBeNull();
    expect(after.courriels).toEqual([]);
    expect(await labelsOf(kept.id)).not.toContain('france-services');
    const [a, b] = [kept.id, separated.id].sort((x: number, y: number) => x - y);
    expect(await db('place_duplicate_dismissals').where({ place_a_id: a, place_b_id: b }).first()).toBeDefined();
    const history = await db('place_revisions').where({ place_id: kept.id }).orderBy('id', 'desc').first();
    expect(history.changes.telephone).toEqual({ old: '+33248000009', new: null });
    const journal = await db('audit_log').where({ action: 'place.import_merge_separated', subject_id: kept.id });
    expect(journal).toHaveLength(1);

    const listed = await agent.get('/moderation/doublons?message=separee');
    expect(listed.text).toContain('la ligne importée est de nouveau un lieu à part');
    expect(listed.text).not.toContain(`/moderation/fusions-import/${alias.id}/separer`);
  });

  const reimport =
    'when the file is imported again after the separation, then the row finds its own place: nothing merged or created';
  it(reimport, async () => {
    const { second, alias } = await mergedAtImport();
    await postForm(await moderator(), `/moderation/fusions-import/${alias.id}/separer`);
    const again = await importRows([second]);
    expect(again).toMatchObject({ read: 1, unchanged: 1, created: 0, merged: 0 });
    const separated = await db('places').where({ source: second.source, source_id: second.id }).first();
    expect(again.outcomes[0].placeId).toBe(separated.id);
  });

  it('when the filled field was edited since the merge, then the separation keeps the edit', async () => {
    const { kept, alias } = await mergedAtImport();
    await db('places').where({ id: kept.id }).update({ telephone: '+33248111111' });
    await postForm(await moderator(), `/moderation/fusions-import/${alias.id}/separer`);
    const after = await db('places').where({ id: kept.id }).first();
    expect(after.telephone).toBe('+33248111111');
    expect(after.courriels).toEqual([]);
  });

  it('when one file held the same place twice, then the second row can be separated from the first', async () => {
    const spot = randomSpot();
    const near = northOf(spot, 0.03);
    const source = `ville-${uniqueWord()}`;
    const nom = `Espace numérique ${uniqueWord()}`;
    const first: Row = { id: randomUUID(), nom, commune: 'Bourges', code_postal: '18000', adresse: '1 rue Haute' };
    const twin: Row = { ...first, id: randomUUID(), telephone: '0248000010' };
    const report = await importRows([
      { ...first, latitude: spot.lat, longitude: spot.lon, source, date_maj: '2024-01-01' },
      { ...twin, latitude: near.lat, longitude: near.lon, source, date_maj: '2024-01-01' },
    ]);
    expect(report).toMatchObject({ read: 2, created: 1, merged: 1 });
    const kept = await db('places').where({ source, source_id: first.id }).first();
    expect(kept.telephone).toBe('+33248000010');
    const alias = await db('place_source_aliases').where({ source, source_id: twin.id }).first();

    expect((await postForm(await moderator(), `/moderation/fusions-import/${alias.id}/separer`)).status).toBe(303);
    const separated = await db('places').where({ source, source_id: twin.id }).first();
    expect(separated).toMatchObject({ telephone: '+33248000010' });
    expect((await db('places').where({ id: kept.id }).first()).telephone).toBeNull();
  });

  it('when a mediator tries, then 403; when it is separated twice, then 409 and nothing more changes', async () => {
    const { second, alias } = await mergedAtImport();
    const mediator = await loginAs(app, await createUser(db, { role: 'mediator' }));
    expect((await postForm(mediator, `/moderation/fusions-import/${alias.id}/separer`)).status).toBe(403);
    expect(await db('place_source_aliases').where({ id: alias.id }).first()).toMatchObject({ separated_at: null });

    const agent = await moderator();
    expect((await postForm(agent, `/moderation/fusions-import/${alias.id}/separer`)).status).toBe(303);
    const count = async () => Number((await db('places').where({ source_id: second.id }).count('* as n'))[0].n);
    const before = await count();
    expect((await postForm(agent, `/moderation/fusions-import/${alias.id}/separer`)).status).toBe(409);
    expect(await count()).toBe(before);
    expect((await postForm(agent, '/moderation/fusions-import/999999999/separer')).status).toBe(404);
  });
});
