import { describe, expect, it } from 'vitest';
import { createPlaceWrites } from '../../../server/places/place-writes.service.js';
import { createTestContext, fixedClock } from '../../support/context.js';
import { makeLabel, makePlace } from '../../support/factories.js';
import { createUser } from '../../support/session.js';

/** A user id no row has: a foreign key refuses it, which makes a write fail at a chosen step. */
const NOBODY = 2_000_000_000;

describe('the place-writing service: each call writes the row, its revision and its audit entry together', () => {
  const { db } = createTestContext();
  const placeWrites = createPlaceWrites({ db, clock: fixedClock('2026-12-01T10:00:00Z') });

  const stateOf = async (placeId: number) => ({
    row: await db('places').where({ id: placeId }).first('nom', 'status', 'version'),
    revisions: await db('place_revisions')
      .where({ place_id: placeId })
      .count<{ n: string }[]>('* as n')
      .then(([r]) => Number(r.n)),
    audits: await db('audit_log')
      .where({ subject_type: 'place', subject_id: String(placeId) })
      .count<{ n: string }[]>('* as n')
      .then(([r]) => Number(r.n)),
  });

  const whenSaveFailsHalfWay =
    'when a save fails half-way (its revision is refused), ' +
    'then neither the row nor its revision nor the audit entry is written';
  it(whenSaveFailsHalfWay, async () => {
    const place = await makePlace(db);
    const moderator = await createUser(db, { role: 'moderator' });
    const before = await stateOf(place.id);
    await expect(
      placeWrites.saveFields(
        place.id,
        1,
        { nom: 'Nom qui ne doit pas rester' },
        {
          author: { userId: NOBODY, role: 'mediator' },
          kind: 'edit',
          section: 'general',
          audit: { actorId: moderator.id, action: 'place.edited', subjectType: 'place', subjectId: place.id },
        },
      ),
    ).rejects.toThrow();
    expect(await stateOf(place.id)).toEqual(before);
  });

  const whenAuditEntryRefusedAfter =
    'when the audit entry is refused after the row and its revision, ' +
    'then the place keeps its status and gets no revision';
  it(whenAuditEntryRefusedAfter, async () => {
    const place = await makePlace(db);
    const moderator = await createUser(db, { role: 'moderator' });
    await expect(
      placeWrites.setStatus(place.id, 'hidden', 'Fermé', {
        author: { userId: moderator.id, role: 'moderator' },
        audit: { actorId: NOBODY, action: 'place.hidden', subjectType: 'place', subjectId: place.id, reason: 'Fermé' },
      }),
    ).rejects.toThrow();
    expect(await stateOf(place.id)).toEqual({
      row: { nom: place.nom, status: 'published', version: 1 },
      revisions: 0,
      audits: 0,
    });
  });

  it('when a caller writes in its own transaction then fails, then the place change is undone with it', async () => {
    const place = await makePlace(db);
    const moderator = await createUser(db, { role: 'moderator' });
    await expect(
      db.transaction(async (trx) => {
        await placeWrites.setStatus(place.id, 'hidden', 'Fermé', {
          author: { userId: moderator.id, role: 'moderator' },
          trx,
        });
        throw new Error('the caller’s own write failed');
      }),
    ).rejects.toThrow('the caller’s own write failed');
    expect((await stateOf(place.id)).row.status).toBe('published');
    expect((await stateOf(place.id)).revisions).toBe(0);
  });

  const whenSaveSucceeds =
    'when a save succeeds, then the row, ' +
    'one revision with the old and new values, and the audit entry are all there';
  it(whenSaveSucceeds, async () => {
    const place = await makePlace(db);
    const moderator = await createUser(db, { role: 'moderator' });
    const result = await placeWrites.saveFields(
      place.id,
      1,
      { nom: 'Nouveau nom', telephone: null },
      {
        author: { userId: moderator.id, role: 'moderator' },
        kind: 'edit',
        section: 'general',
        audit: { actorId: moderator.id, action: 'place.edited', subjectType: 'place', subjectId: place.id },
      },
    );
    expect(result).toEqual({ status: 'saved', version: 2, changed: ['nom'] });
    expect(await stateOf(place.id)).toEqual({
      row: { nom: 'Nouveau nom', status: 'published', version: 2 },
      revisions: 1,
      audits: 1,
    });
    const revision = await db('place_revisions').where({ place_id: place.id }).first();
    expect(revision).toMatchObject({
      version: 2,
      kind: 'edit',
      section: 'general',
      changes: { nom: { old: place.nom, new: 'Nouveau nom' } },
    });
  });

  it('when a save comes with a stale version, then it is a conflict and nothing is written', async () => {
    const place = await makePlace(db);
    expect(
      await placeWrites.saveFields(
        place.id,
        7,
        { nom: 'Trop tard' },
        { author: { userId: null, role: 'system' }, kind: 'edit' },
      ),
    ).toEqual({ status: 'conflict' });
    expect((await stateOf(place.id)).revisions).toBe(0);
  });

  const whenLabelsChange =
    'when labels change, then the links and one labels revision ' +
    '(verified slugs before and after) are written together';
  it(whenLabelsChange, async () => {
    const kept = await makeLabel(db);
    const added = await makeLabel(db);
    const place = await makePlace(db, { labels: [kept.slug] });
    const moderator = await createUser(db, { role: 'moderator' });
    const { before, after } = await placeWrites.changeLabels(
      place.id,
      { add: [added.id], remove: [kept.id], origin: 'moderator' },
      { author: { userId: moderator.id, role: 'moderator' } },
    );
    expect(before).toEqual([kept.slug]);
    expect(after).toEqual([added.slug]);
    expect((await db('place_labels').where({ place_id: place.id })).map((l) => Number(l.label_id))).toEqual([added.id]);
    const revision = await db('place_revisions').where({ place_id: place.id, kind: 'labels' }).first();
    expect(revision.changes).toEqual({ labels: { old: [kept.slug], new: [added.slug] } });
  });

  it('when a label change fails (an unknown label), then no link and no revision remain', async () => {
    const kept = await makeLabel(db);
    const place = await makePlace(db, { labels: [kept.slug] });
    await expect(
      placeWrites.changeLabels(
        place.id,
        { add: [NOBODY], remove: [kept.id], origin: 'moderator' },
        { author: { userId: null, role: 'system' } },
      ),
    ).rejects.toThrow();
    expect((await db('place_labels').where({ place_id: place.id })).map((l) => Number(l.label_id))).toEqual([kept.id]);
    expect((await stateOf(place.id)).revisions).toBe(0);
  });

  it('when a place is created, then its create revision at version 1 comes in the same transaction', async () => {
    const mediator = await createUser(db);
    const placeId = await placeWrites.create(
      {
        nom: 'Lieu créé',
        adresse: '2 rue Neuve',
        code_postal: '99999',
        commune: 'Nulle-Part',
        latitude: 10.5,
        longitude: 10.5,
      },
      { author: { userId: mediator.id, role: 'mediator' } },
    );
    expect(await db('places').where({ id: placeId }).first('nom', 'source', 'version')).toEqual({
      nom: 'Lieu créé',
      source: 'epn-finder',
      version: 1,
    });
    const revisions = await db('place_revisions').where({ place_id: placeId });
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ version: 1, kind: 'create', user_id: mediator.id, author_role: 'mediator' });
  });

  const whenPlaceMarkedVerified =
    'when a place is marked verified, then verified_at and a verify revision are written, the version unchanged';
  it(whenPlaceMarkedVerified, async () => {
    const place = await makePlace(db);
    await placeWrites.markVerified(place.id, { author: { userId: null, role: 'system' } });
    const row = await db('places').where({ id: place.id }).first('verified_at', 'version');
    expect(row).toEqual({ verified_at: new Date('2026-12-01T10:00:00Z'), version: 1 });
    expect(await db('place_revisions').where({ place_id: place.id, kind: 'verify' })).toHaveLength(1);
  });
});
