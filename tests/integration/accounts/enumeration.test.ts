import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import type { AfterResponse } from '../../../server/accounts/after-response.js';
import { createApp } from '../../../server/app.js';
import { createDb } from '../../../server/db/knex.js';
import { createMemoryMailer } from '../../../server/mail/mailer.js';
import { fixedClock, testConfig } from '../../support/context.js';
import { anonymousAgent, createUser, postForm, TEST_PASSWORD } from '../../support/session.js';

/**
 * Issue 11, defect 10: the time of an answer told whether an address has an account (reset: a
 * token and an e-mail only for known ones; sign-up: the reverse). Timing itself is measured in
 * bench/account-timing.ts; here, the structure that makes it even: on both paths the answer goes
 * out before any of that work, which runs after it (`afterResponse`, recorded here, not run).
 */
describe('sign-up, reset and sign-in links answer before the work that differs (issue 11, defect 10)', () => {
  const config = testConfig();
  const db = createDb(config.DATABASE_URL!, { min: 0, max: 2 });
  const mailer = createMemoryMailer();
  const deferred: { res: Response; task: () => Promise<void> }[] = [];
  const recording: AfterResponse = {
    run: (res, task) => {
      deferred.push({ res, task });
    },
    settled: async () => {},
  };
  const app = createApp({
    config,
    db,
    clock: fixedClock('2026-12-01T10:00:00Z'),
    mailer,
    log: () => {},
    afterResponse: recording,
    rateLimitScope: randomUUID(),
  });
  afterAll(() => db.destroy());

  /** Posts a form; returns the answer, what was e-mailed before it, and the work left for after it. */
  async function answerOf(path: string, fields: Record<string, string>) {
    deferred.length = 0;
    mailer.messages.length = 0;
    const res = await postForm(anonymousAgent(app), path, fields);
    const sentBefore = mailer.messages.length;
    const work = deferred.splice(0);
    for (const { res: answered } of work) expect(answered.headersSent).toBe(true);
    for (const { task } of work) await task();
    return {
      status: res.status,
      page: res.text
        .split(fields.email)
        .join('<adresse>')
        .replace(/name="_csrf" value="[^"]*"/g, ''),
      sentBefore,
      deferredTasks: work.length,
      sentAfter: mailer.messages.length,
    };
  }

  const whenResetAskedKnownUnknown =
    'when a reset is asked for a known and an unknown address, ' +
    'then both answer the same before any e-mail, and only the known one gets it afterwards';
  it(whenResetAskedKnownUnknown, async () => {
    const user = await createUser(db);
    const known = await answerOf('/mot-de-passe-oublie', { email: user.email });
    const unknown = await answerOf('/mot-de-passe-oublie', { email: `inconnue-${randomUUID()}@exemple.test` });
    expect(known.status).toBe(200);
    expect(unknown.page).toBe(known.page);
    expect([known.sentBefore, unknown.sentBefore]).toEqual([0, 0]);
    expect([known.deferredTasks, unknown.deferredTasks]).toEqual([1, 1]);
    expect([known.sentAfter, unknown.sentAfter]).toEqual([1, 0]);
  });

  const whenSomeoneSignsUpNew =
    'when someone signs up with a new and with a taken address, ' +
    'then both answer the same before any hashing or e-mail';
  it(whenSomeoneSignsUpNew, async () => {
    const user = await createUser(db);
    const fields = { password: TEST_PASSWORD, password_confirm: TEST_PASSWORD };
    const fresh = await answerOf('/inscription', { email: `nouvelle-${randomUUID()}@exemple.test`, ...fields });
    const taken = await answerOf('/inscription', { email: user.email, ...fields });
    expect(fresh.status).toBe(200);
    expect(taken.page).toBe(fresh.page);
    expect([fresh.sentBefore, taken.sentBefore]).toEqual([0, 0]);
    expect([fresh.deferredTasks, taken.deferredTasks]).toEqual([1, 1]);
    // Each address is told what fits it, by e-mail only.
    expect([fresh.sentAfter, taken.sentAfter]).toEqual([1, 1]);
  });

  const whenSignLinkAskedKnown =
    'when a sign-in link is asked for a known and an unknown address, then both answer the same before any e-mail';
  it(whenSignLinkAskedKnown, async () => {
    const user = await createUser(db);
    const known = await answerOf('/connexion/lien', { email: user.email });
    const unknown = await answerOf('/connexion/lien', { email: `inconnue-${randomUUID()}@exemple.test` });
    expect(known.status).toBe(200);
    expect(unknown.page).toBe(known.page);
    expect([known.sentBefore, unknown.sentBefore, known.deferredTasks, unknown.deferredTasks]).toEqual([0, 0, 1, 1]);
    expect([known.sentAfter, unknown.sentAfter]).toEqual([1, 0]);
  });
});
