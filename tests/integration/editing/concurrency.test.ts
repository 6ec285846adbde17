import type { Agent } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';

const SESSIONS = 20;

describe('no lost update: 20 sessions save the same place at once', () => {
  const { app, db } = createTestContext();
  let placeId: number;
  let agents: Agent[];

  beforeAll(async () => {
    const place = await makePlace(db);
    placeId = place.id;
    agents = await Promise.all(
      Array.from({ length: SESSIONS }, async () => {
        const user = await createUser(db);
        await db('place_managers').insert({
          place_id: placeId,
          user_id: user.id,
          status: 'approved',
          method: 'moderator',
        });
        return loginAs(app, user);
      }),
    );
  });

  const save = (agent: Agent, version: number, text: string) =>
    postForm(agent, `/mon-espace/lieux/${placeId}/description`, {
      version,
      presentation_resume: text,
      presentation_detail: '',
    });

  it('when all 20 save from the same version, then exactly one succeeds and the 19 others get 409', async () => {
    const results = await Promise.all(agents.map((agent, i) => save(agent, 1, `Résumé de la session ${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(SESSIONS - 1);
    const row = await db('places').where({ id: placeId }).first();
    expect(row.version).toBe(2);
    const winner = results.findIndex((r) => r.status === 303);
    expect(row.presentation_resume).toBe(`Résumé de la session ${winner}`);
    expect(await db('place_revisions').where({ place_id: placeId })).toHaveLength(1);
  });

  const whenEachSessionRetriesAfter =
    'when each session retries after its 409 with the version it is shown, ' +
    'then every change lands once, in one unbroken chain';
  it(whenEachSessionRetriesAfter, async () => {
    const start = (await db('places').where({ id: placeId }).first()).version as number;
    const attempts: number[] = [];
    await Promise.all(
      agents.map(async (agent, i) => {
        let version = start;
        for (let attempt = 1; ; attempt += 1) {
          const res = await save(agent, version, `Deuxième tour, session ${i}`);
          if (res.status === 303) {
            attempts.push(attempt);
            return;
          }
          expect(res.status).toBe(409);
          version = Number(/name="version" value="(\d+)"/.exec(res.text)![1]);
        }
      }),
    );
    expect(attempts).toHaveLength(SESSIONS);
    const row = await db('places').where({ id: placeId }).first();
    expect(row.version).toBe(start + SESSIONS);
    const revisions = await db('place_revisions')
      .where({ place_id: placeId })
      .where('version', '>', start)
      .orderBy('version');
    expect(revisions.map((r) => r.version)).toEqual(Array.from({ length: SESSIONS }, (_, i) => start + i + 1));
    // Each accepted change starts from the previous accepted value: nothing was overwritten unseen.
    for (let i = 1; i < revisions.length; i += 1) {
      expect(revisions[i].changes.presentation_resume.old).toBe(revisions[i - 1].changes.presentation_resume.new);
    }
    expect(new Set(revisions.map((r) => r.changes.presentation_resume.new)).size).toBe(SESSIONS);
    expect(row.presentation_resume).toBe(revisions[revisions.length - 1].changes.presentation_resume.new);
  });
});
