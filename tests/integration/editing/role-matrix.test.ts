import type { Agent } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/knex.js';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { anonymousAgent, createUser, loginAs, postForm, type TestUser } from '../../support/session.js';

/**
 * Every mutating route of accounts, editing and moderation × every kind of person, with the exact
 * status, and — when refused — proof that nothing changed in the database.
 * Rule: anonymous POST → 401; signed in without the right → 403; accepted form → 303 (redirect).
 */
type Who = 'anonymous' | 'otherMediator' | 'owner' | 'moderator' | 'admin';
const WHO: Who[] = ['anonymous', 'otherMediator', 'owner', 'moderator', 'admin'];

interface Fixture {
  placeId: number;
  path: string;
  fields: Record<string, string | number>;
  /** Rows outside the place that the call could touch. */
  proposalId?: number;
  userId?: number;
  /** The upload page's rows: an uploaded file (its report appears once imported). */
  uploadId?: string;
}

interface RouteCase {
  name: string;
  expected: Record<Who, number>;
  /** Accepted but with nothing to change (e.g. the owner claiming its own place again). */
  noChangeFor?: Who[];
  setup(db: Db, people: Record<Exclude<Who, 'anonymous'>, TestUser>): Promise<Fixture>;
}

const OWNER_OR_MODERATION = { anonymous: 401, otherMediator: 403, owner: 303, moderator: 303, admin: 303 };
const MODERATION_ONLY = { anonymous: 401, otherMediator: 403, owner: 403, moderator: 303, admin: 303 };
/** Moderation routes that render a page (a preview) rather than redirect. */
const MODERATION_PAGE = { anonymous: 401, otherMediator: 403, owner: 403, moderator: 200, admin: 200 };
const ANY_SIGNED_IN = { anonymous: 401, otherMediator: 303, owner: 303, moderator: 303, admin: 303 };

async function ownedPlace(db: Db, owner: TestUser) {
  const place = await makePlace(db, { courriels: [] });
  await db('place_managers').insert({ place_id: place.id, user_id: owner.id, status: 'approved', method: 'moderator' });
  return place;
}

/** A one-row standard file, as the upload page stores it (the upload itself: tests/integration/moderation). */
async function uploadedFile(db: Db, placeId: number) {
  const csv =
    'id,nom,commune,code_postal,adresse,latitude,longitude,source\n' +
    `matrice-${placeId},Matrice ${placeId},Bourges,18000,1 rue Matrice,47.05,2.35,matrice-${placeId}\n`;
  const [row] = await db('import_uploads')
    .insert({ file_name: 'matrice.csv', bytes: Buffer.from(csv), size_bytes: csv.length, uploaded_at: new Date() })
    .returning('id');
  return String(row.id);
}

async function pendingClaim(db: Db, placeId: number) {
  const claimant = await createUser(db);
  const [row] = await db('place_managers')
    .insert({ place_id: placeId, user_id: claimant.id, status: 'pending' })
    .returning('id');
  return Number(row.id);
}

const CASES: RouteCase[] = [
  {
    name: 'edit a section',
    expected: OWNER_OR_MODERATION,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      return {
        placeId: place.id,
        path: `/mon-espace/lieux/${place.id}/description`,
        fields: { version: 1, presentation_resume: 'Nouveau résumé', presentation_detail: '' },
      };
    },
  },
  {
    name: 'edit the hours grid',
    expected: OWNER_OR_MODERATION,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      return {
        placeId: place.id,
        path: `/mon-espace/lieux/${place.id}/horaires`,
        fields: { version: 1, mode: 'grille', h_Mo_1_from: '09:00', h_Mo_1_to: '12:00' },
      };
    },
  },
  {
    name: 'confirm the listing is up to date',
    expected: OWNER_OR_MODERATION,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      return { placeId: place.id, path: `/mon-espace/lieux/${place.id}/verifier`, fields: {} };
    },
  },
  {
    name: 'change labels',
    expected: OWNER_OR_MODERATION,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const [label] = await db('labels')
        .insert({ slug: `matrice-${place.id}`, name: `Matrice ${place.id}`, kind: 'local' })
        .returning('id');
      return { placeId: place.id, path: `/mon-espace/lieux/${place.id}/labels`, fields: { add: label.id } };
    },
  },
  {
    name: 'revert to a revision',
    expected: OWNER_OR_MODERATION,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      await db('places').where({ id: place.id }).update({ presentation_resume: 'B', version: 3 });
      const [first] = await db('place_revisions')
        .insert({
          place_id: place.id,
          version: 2,
          user_id: people.owner.id,
          author_role: 'mediator',
          kind: 'edit',
          changes: JSON.stringify({ presentation_resume: { old: null, new: 'A' } }),
        })
        .returning('id');
      await db('place_revisions').insert({
        place_id: place.id,
        version: 3,
        user_id: people.owner.id,
        author_role: 'mediator',
        kind: 'edit',
        changes: JSON.stringify({ presentation_resume: { old: 'A', new: 'B' } }),
      });
      return {
        placeId: place.id,
        path: `/mon-espace/lieux/${place.id}/historique/${first.id}/retablir`,
        fields: { version: 3 },
      };
    },
  },
  {
    name: 'claim a place',
    expected: ANY_SIGNED_IN,
    noChangeFor: ['owner'],
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      return { placeId: place.id, path: `/mon-espace/lieux/${place.id}/demande`, fields: {} };
    },
  },
  {
    name: 'propose a new place',
    expected: ANY_SIGNED_IN,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      return {
        placeId: place.id,
        path: '/mon-espace/nouveau-lieu',
        fields: { nom: `Proposé ${place.id}`, adresse: '1 rue', code_postal: '13500', commune: 'Martigues' },
        proposalId: -place.id,
      };
    },
  },
  {
    name: 'decide a claim',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      return {
        placeId: place.id,
        path: `/moderation/demandes/${await pendingClaim(db, place.id)}`,
        fields: { decision: 'accept' },
      };
    },
  },
  {
    name: 'revoke a mediator',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const link = await db('place_managers').where({ place_id: place.id, user_id: people.owner.id }).first();
      return { placeId: place.id, path: `/moderation/gestionnaires/${link.id}/retirer`, fields: { reason: 'Essai' } };
    },
  },
  {
    name: 'decide a proposed place',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const [row] = await db('place_proposals')
        .insert({
          user_id: people.otherMediator.id,
          record: JSON.stringify({
            nom: `Proposé ${place.id}`,
            adresse: '1 rue',
            code_postal: '13500',
            commune: 'Martigues',
          }),
        })
        .returning('id');
      await db('place_proposals').where({ id: row.id }).update({ place_id: null });
      return {
        placeId: place.id,
        path: `/moderation/propositions/${row.id}`,
        fields: { decision: 'reject', reason: 'Doublon' },
        proposalId: Number(row.id),
      };
    },
  },
  {
    name: 'decide a label request',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const [label] = await db('labels')
        .insert({ slug: `demande-${place.id}`, name: `Demande ${place.id}`, kind: 'local' })
        .returning('id');
      const [row] = await db('label_requests')
        .insert({ place_id: place.id, label_id: label.id, action: 'add', user_id: people.owner.id })
        .returning('id');
      return { placeId: place.id, path: `/moderation/labels/${row.id}`, fields: { decision: 'accept' } };
    },
  },
  {
    name: 'decide a visitor’s report',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const [row] = await db('place_reports')
        .insert({ place_id: place.id, category: 'autre', message: 'Un souci' })
        .returning(['id', 'version']);
      return {
        placeId: place.id,
        path: `/moderation/signalements/${row.id}`,
        fields: { decision: 'reject', reason: 'Rien à corriger', version: row.version },
      };
    },
  },
  {
    name: 'hide a place',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      return {
        placeId: place.id,
        path: `/moderation/lieux/${place.id}/statut`,
        fields: { status: 'hidden', reason: 'Fermé définitivement' },
      };
    },
  },
  {
    name: 'republish a hidden place',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      await db('places').where({ id: place.id }).update({ status: 'hidden' });
      return {
        placeId: place.id,
        path: `/moderation/lieux/${place.id}/statut`,
        fields: { status: 'published', reason: 'Rouvert' },
      };
    },
  },
  {
    name: 'hide a place from a visitor’s report',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const [row] = await db('place_reports')
        .insert({ place_id: place.id, category: 'n-existe-plus', message: 'Fermé' })
        .returning(['id', 'version']);
      return {
        placeId: place.id,
        path: `/moderation/lieux/${place.id}/statut`,
        fields: { status: 'hidden', reason: 'Fermé', signalement: row.id, version: row.version },
      };
    },
  },
  {
    name: 'preview an uploaded file',
    expected: MODERATION_PAGE,
    noChangeFor: ['moderator', 'admin'],
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const uploadId = await uploadedFile(db, place.id);
      return { placeId: place.id, path: `/moderation/import/${uploadId}/apercu`, fields: {}, uploadId };
    },
  },
  {
    name: 'save an import mapping',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const uploadId = await uploadedFile(db, place.id);
      const columns = { colonne_nom: 'nom', colonne_adresse: 'adresse', colonne_code_postal: 'code_postal' };
      return {
        placeId: place.id,
        path: `/moderation/import/${uploadId}/correspondance`,
        fields: { ...columns, colonne_commune: 'commune', nom_correspondance: `Matrice ${place.id}` },
        uploadId,
      };
    },
  },
  {
    name: 'import an uploaded file',
    expected: MODERATION_ONLY,
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const uploadId = await uploadedFile(db, place.id);
      return { placeId: place.id, path: `/moderation/import/${uploadId}/importer`, fields: {}, uploadId };
    },
  },
  {
    name: 'change a user’s role',
    expected: { anonymous: 401, otherMediator: 403, owner: 403, moderator: 403, admin: 303 },
    async setup(db, people) {
      const place = await ownedPlace(db, people.owner);
      const target = await createUser(db);
      return {
        placeId: place.id,
        path: `/admin/utilisateurs/${target.id}/role`,
        fields: { role: 'moderator' },
        userId: target.id,
      };
    },
  },
];

/** Everything a refused call could have touched (only this test's rows: other files run in parallel). */
async function stateOf(db: Db, fixture: Fixture, actorIds: number[]) {
  const { placeId } = fixture;
  const noUpload = '00000000-0000-4000-8000-000000000000';
  const [place, managers, labels, requests, revisions, reports, proposals, roles, audit, uploads, mappings, imported] =
    await Promise.all([
      db('places').where({ id: placeId }).first(),
      db('place_managers').where({ place_id: placeId }).orderBy('id'),
      db('place_labels').where({ place_id: placeId }).orderBy('label_id'),
      db('label_requests').where({ place_id: placeId }).orderBy('id'),
      db('place_revisions').where({ place_id: placeId }).orderBy('id'),
      db('place_reports').where({ place_id: placeId }).orderBy('id'),
      fixture.proposalId && fixture.proposalId < 0
        ? db('place_proposals').whereRaw(`record->>'nom' = ?`, [`Proposé ${placeId}`])
        : db('place_proposals').where({ id: fixture.proposalId ?? 0 }),
      db('users')
        .where({ id: fixture.userId ?? 0 })
        .select('id', 'role'),
      db('audit_log').whereIn('actor_id', actorIds).count('* as n').first(),
      db('import_uploads')
        .where({ id: fixture.uploadId ?? noUpload })
        .select('report', 'imported_by'),
      db('import_mappings')
        .where({ name: `Matrice ${placeId}` })
        .select('mapping'),
      db('places')
        .where({ source: `matrice-${placeId}` })
        .count('* as n')
        .first(),
    ]);
  return JSON.stringify({
    ...{ place, managers, labels, requests, revisions, reports, proposals, roles, audit },
    ...{ uploads, mappings, imported },
  });
}

describe('role matrix: every mutating route × every kind of person', () => {
  const { app, db } = createTestContext();
  const people = {} as Record<Exclude<Who, 'anonymous'>, TestUser>;
  const agents = {} as Record<Who, Agent>;
  const actorIds = () => Object.values(people).map((p) => p.id);

  beforeAll(async () => {
    people.otherMediator = await createUser(db, { role: 'mediator' });
    people.owner = await createUser(db, { role: 'mediator' });
    people.moderator = await createUser(db, { role: 'moderator' });
    people.admin = await createUser(db, { role: 'admin' });
    await ownedPlace(db, people.otherMediator);
    agents.anonymous = anonymousAgent(app);
    for (const who of ['otherMediator', 'owner', 'moderator', 'admin'] as const)
      agents[who] = await loginAs(app, people[who]);
  });

  for (const route of CASES) {
    for (const who of WHO) {
      const expected = route.expected[who];
      it(`${route.name} as ${who} → ${expected}`, async () => {
        const fixture = await route.setup(db, people);
        const before = await stateOf(db, fixture, actorIds());
        const res = await postForm(agents[who], fixture.path, fixture.fields);
        expect(res.status, res.text.slice(0, 300)).toBe(expected);
        if (expected >= 400) expect(await stateOf(db, fixture, actorIds())).toBe(before);
        else if (!route.noChangeFor?.includes(who)) expect(await stateOf(db, fixture, actorIds())).not.toBe(before);
      });
    }
  }

  it('a form posted without its CSRF token is refused (403) before any rule, and changes nothing', async () => {
    const fixture = await CASES[0].setup(db, people);
    const before = await stateOf(db, fixture, actorIds());
    const res = await agents.owner.post(fixture.path).type('form').send(fixture.fields);
    expect(res.status).toBe(403);
    expect(await stateOf(db, fixture, actorIds())).toBe(before);
  });
});
