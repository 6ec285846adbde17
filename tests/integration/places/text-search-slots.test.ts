import pg from 'pg';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace, randomSpot } from '../../support/factories.js';
import { waitUntil } from '../../support/server-process.js';

describe('text searches run a few at a time, never on the whole pool', () => {
  // Half a pool of 2: one text search at a time, the next waits 500 ms at most.
  const { app, db, config } = createTestContext({ config: { DB_POOL_MAX: '2', DB_ACQUIRE_TIMEOUT_MS: '500' } });

  const whenSlotsAreHeld =
    'when slow text searches hold their slots, then the next one gets 503 with Retry-After ' +
    'and a nearest search still answers';
  it(whenSlotsAreHeld, async () => {
    const spot = randomSpot();
    await makePlace(db, { at: spot });
    // The words' correction reads search_words first: held there, a text search keeps its slot.
    const locker = new pg.Client({ connectionString: config.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE search_words IN ACCESS EXCLUSIVE MODE');
      const slow = request(app)
        .get('/api/v1/places')
        .query({ q: 'mediatheque du port' })
        .then((res) => res);
      const watcher = new pg.Client({ connectionString: config.DATABASE_URL });
      await watcher.connect();
      await waitUntil(
        async () =>
          (
            await watcher.query(
              "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%search_words%'",
            )
          ).rowCount! >= 1,
      );
      await watcher.end();

      const turnedAway = await request(app).get('/api/v1/places').query({ q: 'espace numerique' });
      expect(turnedAway.status).toBe(503);
      expect(turnedAway.headers['retry-after']).toBe('1');
      expect(turnedAway.headers['content-type']).toContain('application/problem+json');
      expect(turnedAway.body.detail).toBe('Trop de recherches par mots en ce moment. Réessayez dans un instant.');

      const nearest = await request(app).get('/api/v1/places').query({ lat: spot.lat, lon: spot.lon });
      expect(nearest.status).toBe(200);
      expect(nearest.body.items.length).toBeGreaterThan(0);

      await locker.query('COMMIT');
      expect((await slow).status).toBe(200);
    } finally {
      await locker.end();
    }
    // The slot is free again.
    expect((await request(app).get('/api/v1/places').query({ q: 'espace numerique' })).status).toBe(200);
  });
});
