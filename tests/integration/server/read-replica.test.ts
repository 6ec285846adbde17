import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../../server/db/embedded.js';
import { createDb, type Db } from '../../../server/db/knex.js';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { createPlaceIndex, type PlaceIndex } from '../../../server/places/index/place-index.js';
import { seedLabels } from '../../../seeds/index.js';
import { createAfterResponse } from '../../../server/accounts/after-response.js';
import { createMemoryMailer } from '../../../server/mail/mailer.js';
import { fixedClock, testConfig } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { createUser, loginAs, postForm } from '../../support/session.js';
import { startStreamingReplica, type StreamingReplica } from '../../support/streaming-replica.js';

/**
 * DATABASE_READ_URL on a real streaming replica: a primary of this file's own (the run's shared
 * database cannot be copied while other files write to it), a hot standby made from a low-level
 * base backup, and the app between them. Pausing the replica's replay freezes its view: what a
 * request then shows tells which server answered it, without any debugging route.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`toujours faux après ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - start;
}

describe('a read replica (DATABASE_READ_URL): reads there, writes and their readers on the primary', () => {
  let folder: string;
  let primary: EmbeddedDatabase;
  let replica: StreamingReplica;
  let db: Db;
  let readDb: Db;
  let placeIndex: PlaceIndex;
  let app: ReturnType<typeof createApp>;
  const afterResponse = createAfterResponse(() => {});

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'epn-replica-'));
    await chmod(folder, 0o755);
    const primaryPort = await freePort();
    primary = await startEmbeddedPostgres({
      directory: path.join(folder, 'primary'),
      port: primaryPort,
      databaseName: 'epn_replica',
      restartIfItDies: false,
    });
    db = createDb(primary.connectionString, { min: 0, max: 4 }, { acquireTimeoutMs: 30_000 });
    await migrateToLatest(db);
    await seedLabels(db);
    replica = await startStreamingReplica(
      {
        directory: path.join(folder, 'primary'),
        port: primaryPort,
        user: 'postgres',
        password: 'epn-local-only',
        databaseName: 'epn_replica',
      },
      path.join(folder, 'replica'),
      await freePort(),
    );
    readDb = createDb(replica.connectionString, { min: 0, max: 4 }, { acquireTimeoutMs: 30_000 });
    const config = testConfig({ DATABASE_URL: primary.connectionString, DATABASE_READ_URL: replica.connectionString });
    placeIndex = createPlaceIndex({ db, loadDb: readDb, connectionString: primary.connectionString });
    app = createApp({
      config,
      db,
      readDb,
      clock: fixedClock('2026-12-01T10:00:00Z'),
      mailer: createMemoryMailer(),
      log: () => {},
      afterResponse,
      placeIndex,
    });
  }, 180_000);

  afterAll(async () => {
    await afterResponse.settled();
    await placeIndex.stop();
    await readDb.destroy();
    await db.destroy();
    await replica.stop().catch(() => {});
    await primary.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  }, 60_000);

  const onReplica = async (placeId: number) => (await readDb('places').where({ id: placeId }).first()) !== undefined;

  it('the replica is a real standby of the primary, streaming from it', async () => {
    const recovery = await readDb.raw<{ rows: { standby: boolean }[] }>('SELECT pg_is_in_recovery() AS standby');
    expect(recovery.rows[0].standby).toBe(true);
    const senders = await db.raw<{ rows: { application_name: string; state: string }[] }>(
      'SELECT application_name, state FROM pg_stat_replication',
    );
    expect(senders.rows).toContainEqual({ application_name: 'epn_replica', state: 'streaming' });
  });

  const whenAVisitorReads =
    'when a visitor reads a place the replica has not replayed yet, then the answer comes from the replica: 404, ' +
    'until it replays';
  it(whenAVisitorReads, async () => {
    await replica.pauseReplay();
    const place = await makePlace(db);
    try {
      expect((await request(app).get(`/api/v1/places/${place.id}`)).status).toBe(404);
      expect((await request(app).get(`/lieux/${place.id}`)).status).toBe(404);
    } finally {
      await replica.resumeReplay();
    }
    // The write went to the primary and reaches the visitor through the replica.
    await eventually(async () => (await request(app).get(`/api/v1/places/${place.id}`)).status === 200);
  });

  const whenTheIndexLoads =
    'when the index loads while the replica lags, then it loads from the replica and catches up ' +
    'from the primary’s change log';
  it(whenTheIndexLoads, async () => {
    await replica.pauseReplay();
    try {
      const late = await makePlace(db);
      expect(await onReplica(late.id)).toBe(false);
      await placeIndex.start();
      expect(placeIndex.store.slotById.has(late.id)).toBe(true);
    } finally {
      await replica.resumeReplay();
    }
  });

  const whenAMediatorSaves =
    'when a mediator saves their place, then their next page shows it at once ' +
    'while visitors still see the replica’s copy';
  it(whenAMediatorSaves, async () => {
    const place = await makePlace(db, { presentationResume: 'Avant la modification' });
    const mediator = await createUser(db);
    await db('place_managers').insert({
      place_id: place.id,
      user_id: mediator.id,
      status: 'approved',
      method: 'moderator',
    });
    await eventually(() => onReplica(place.id));
    const agent = await loginAs(app, mediator);
    await replica.pauseReplay();
    try {
      const saved = await postForm(agent, `/mon-espace/lieux/${place.id}/description`, {
        version: 1,
        presentation_resume: 'Après la modification',
        presentation_detail: '',
      });
      expect(saved.status).toBe(303);
      // Their own pages: the editing area, and the public page they go to check.
      expect((await agent.get(`/mon-espace/lieux/${place.id}`)).text).toContain('Après la modification');
      const ownView = await agent.get(`/lieux/${place.id}`).redirects(1);
      expect(ownView.text).toContain('Après la modification');
      const visitorView = await request(app).get(`/lieux/${place.id}`).redirects(1);
      expect(visitorView.status).toBe(200);
      expect(visitorView.text).toContain('Avant la modification');
    } finally {
      await replica.resumeReplay();
    }
    await eventually(async () =>
      (await request(app).get(`/lieux/${place.id}`).redirects(1)).text.includes('Après la modification'),
    );
  });
});
