import { describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/knex.js';
import { createEditingService } from '../../../server/editing/editing.service.js';
import { createMemoryMailer } from '../../../server/mail/mailer.js';
import { createModerationService } from '../../../server/moderation/moderation.service.js';
import { createPlaceWrites } from '../../../server/places/place-writes.service.js';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace } from '../../support/factories.js';
import { createUser, loginAs, postForm, type TestUser } from '../../support/session.js';

/** How many SQL queries `work` sends through this connection pool. */
async function countQueries(db: Db, work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const listener = () => {
    count += 1;
  };
  db.on('query', listener);
  try {
    await work();
  } finally {
    db.off('query', listener);
  }
  return count;
}

describe('the moderation queue and the dashboard are built with a constant number of queries', () => {
  const { db, clock } = createTestContext();
  const deps = {
    db,
    clock,
    mailer: createMemoryMailer(),
    publicBaseUrl: 'http://epn.test',
    placeWrites: createPlaceWrites({ db, clock }),
  };
  const moderation = createModerationService(deps);
  const editing = createEditingService(deps);

  /** One pending claim, one label request and one visitor's report, each on its own place. */
  async function addPendingItems(count: number, label: { id: number }) {
    for (let i = 0; i < count; i += 1) {
      const place = await makePlace(db);
      const claimant = await createUser(db);
      await db('place_managers').insert({ place_id: place.id, user_id: claimant.id, status: 'pending' });
      await db('label_requests').insert({
        place_id: place.id,
        label_id: label.id,
        action: 'add',
        user_id: claimant.id,
      });
      await db('place_reports').insert({
        place_id: place.id,
        category: 'horaires',
        message: 'Les horaires ont changé',
      });
    }
  }

  const whenModerationQueueHolds50 =
    'when the moderation queue holds 50 claims, 50 label requests and 50 reports, ' +
    'then it is built with as many queries as with 1 of each';
  it(whenModerationQueueHolds50, async () => {
    const label = await makeLabel(db);
    await addPendingItems(1, label);
    const few = await countQueries(db, () => moderation.queue());
    await addPendingItems(50, label);
    let queue: Awaited<ReturnType<typeof moderation.queue>> | undefined;
    const many = await countQueries(db, async () => {
      queue = await moderation.queue();
    });
    expect(queue!.claims.length).toBeGreaterThanOrEqual(50);
    expect(queue!.labelRequests.length).toBeGreaterThanOrEqual(50);
    expect(queue!.reports.length).toBeGreaterThanOrEqual(50);
    expect(many).toBe(few);
    // Four lists, then the places and the label links of all their items.
    expect(many).toBeLessThanOrEqual(6);
  });

  it('when a mediator manages 30 places, then "Mon espace" is built with as many queries as for 1 place', async () => {
    const manage = async (user: TestUser, places: number) => {
      for (let i = 0; i < places; i += 1) {
        const place = await makePlace(db);
        await db('place_managers').insert({
          place_id: place.id,
          user_id: user.id,
          status: 'approved',
          method: 'moderator',
        });
      }
    };
    const one = await createUser(db);
    const thirty = await createUser(db);
    await manage(one, 1);
    await manage(thirty, 30);
    const asUser = (user: TestUser) =>
      ({ id: user.id, email: user.email, role: user.role, verified: true }) as Parameters<typeof editing.dashboard>[0];
    const forOne = await countQueries(db, () => editing.dashboard(asUser(one)));
    let managed = 0;
    const forThirty = await countQueries(db, async () => {
      managed = (await editing.dashboard(asUser(thirty))).managed.length;
    });
    expect(managed).toBe(30);
    expect(forThirty).toBe(forOne);
  });
});

describe("hiding a place from a visitor's report settles the report in the same transaction", () => {
  const { app, db } = createTestContext();

  async function reportedPlace() {
    const place = await makePlace(db);
    const [report] = await db('place_reports')
      .insert({ place_id: place.id, category: 'n-existe-plus', message: 'Fermé, rideau baissé' })
      .returning(['id', 'version']);
    return { place, report: { id: Number(report.id), version: Number(report.version) } };
  }

  const whenModeratorHidesPlaceFrom =
    'when a moderator hides a place from a report, ' +
    'then the place is hidden, the report settled and both decisions journaled together';
  it(whenModeratorHidesPlaceFrom, async () => {
    const { place, report } = await reportedPlace();
    const moderator = await createUser(db, { role: 'moderator' });
    const agent = await loginAs(app, moderator);
    const res = await postForm(agent, `/moderation/lieux/${place.id}/statut`, {
      status: 'hidden',
      reason: 'Confirmé par la mairie',
      signalement: report.id,
      version: report.version,
    });
    expect(res.status).toBe(303);
    expect((await db('places').where({ id: place.id }).first()).status).toBe('hidden');
    expect(await db('place_reports').where({ id: report.id }).first()).toMatchObject({
      status: 'accepted',
      moderator_note: 'Confirmé par la mairie',
    });
    const actions = (await db('audit_log').where({ actor_id: moderator.id }).orderBy('id')).map((a) => a.action);
    expect(actions).toEqual(['place.hidden', 'report.accepted']);
  });

  const whenReportWasSettledSomeone =
    'when the report was settled by someone else meanwhile, ' +
    'then the place stays online, with no revision and no journal entry';
  it(whenReportWasSettledSomeone, async () => {
    const { place, report } = await reportedPlace();
    const first = await createUser(db, { role: 'moderator' });
    const second = await createUser(db, { role: 'moderator' });
    const settled = await postForm(await loginAs(app, first), `/moderation/signalements/${report.id}`, {
      decision: 'reject',
      reason: 'Toujours ouvert',
      version: report.version,
    });
    expect(settled.status).toBe(303);
    const res = await postForm(await loginAs(app, second), `/moderation/lieux/${place.id}/statut`, {
      status: 'hidden',
      reason: 'Fermé',
      signalement: report.id,
      version: report.version,
    });
    expect(res.status).toBe(409);
    expect((await db('places').where({ id: place.id }).first()).status).toBe('published');
    expect(await db('place_revisions').where({ place_id: place.id })).toHaveLength(0);
    expect(await db('audit_log').where({ actor_id: second.id })).toHaveLength(0);
  });

  const whenModeratorDecidesReport =
    'when a moderator decides a report, ' +
    'then it is found by its id whatever the number of new reports, and a second decision is a conflict';
  it(whenModeratorDecidesReport, async () => {
    const { report } = await reportedPlace();
    const agent = await loginAs(app, await createUser(db, { role: 'moderator' }));
    expect(
      (
        await postForm(agent, `/moderation/signalements/${report.id}`, {
          decision: 'accept',
          reason: '',
          version: report.version,
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await postForm(agent, `/moderation/signalements/${report.id}`, {
          decision: 'accept',
          reason: '',
          version: report.version + 1,
        })
      ).status,
    ).toBe(409);
  });
});
