import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaceWrites } from '../../../server/places/place-writes.service.js';
import { createTestContext } from '../../support/context.js';
import { makePlace, randomSpot } from '../../support/factories.js';
import { createUser } from '../../support/session.js';

/** Polls until `check` holds; fails with what it last saw after `ms` (never asserts how long it took). */
async function eventually<T>(read: () => Promise<T> | T, check: (value: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!check(last) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

describe('the place index of two server instances sharing one database', () => {
  // Two instances, as in production behind a load balancer: each its own app, index and port.
  const first = createTestContext();
  const second = createTestContext();
  const servers: http.Server[] = [];
  const urls: string[] = [];
  const placeWrites = createPlaceWrites({ db: first.db, clock: first.clock });

  beforeAll(async () => {
    for (const { app } of [first, second]) {
      const server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  const namesNear = async (base: string, at: { lat: number; lon: number }) => {
    const res = await fetch(`${base}/api/v1/places?lat=${at.lat}&lon=${at.lon}&radius_km=5`);
    const body = (await res.json()) as { items: { nom: string }[] };
    return body.items.map((item) => item.nom);
  };

  it('when a place is renamed through one instance, then the next search on the other shows the new name', async () => {
    const here = randomSpot();
    const place = await makePlace(first.db, { at: here, nom: 'Ancien nom' });
    const moderator = await createUser(first.db, { role: 'moderator' });
    expect(await namesNear(urls[1], here)).toEqual(['Ancien nom']);

    const result = await placeWrites.saveFields(
      place.id,
      1,
      { nom: 'Nouveau nom' },
      { author: { userId: moderator.id, role: 'moderator' }, kind: 'edit', section: 'general' },
    );
    expect(result.status).toBe('saved');

    const names = await eventually(
      () => namesNear(urls[1], here),
      (seen) => seen.includes('Nouveau nom'),
    );
    expect(names).toEqual(['Nouveau nom']);
  });

  it('when a place is hidden through one instance, then the other forgets it unasked (NOTIFY)', async () => {
    const here = randomSpot();
    const place = await makePlace(first.db, { at: here });
    const moderator = await createUser(first.db, { role: 'moderator' });
    expect(await namesNear(urls[1], here)).toEqual([place.nom]);
    const inMemory = () =>
      (second.placeIndex.nearest({ ...here, radiusKm: 5, filter: { today: 0 } }, { limit: 5 }) ?? []).map(
        (hit) => hit.id,
      );
    expect(inMemory()).toEqual([place.id]);

    await placeWrites.setStatus(place.id, 'hidden', 'Fermé définitivement', {
      author: { userId: moderator.id, role: 'moderator' },
    });

    expect(await eventually(inMemory, (ids) => ids.length === 0)).toEqual([]);
  });

  it('when a place gets a service by plain SQL (any path), then the other instance filters by it', async () => {
    const here = randomSpot();
    const place = await makePlace(first.db, { at: here });
    expect(await namesNear(urls[1], here)).toEqual([place.nom]);
    const withService = () =>
      second.placeIndex
        .nearest(
          { ...here, radiusKm: 5, filter: { today: 0, services: ['Loisirs et créations numériques'] } },
          { limit: 5 },
        )!
        .map((hit) => hit.id);
    expect(withService()).toEqual([]);

    await first
      .db('places')
      .where({ id: place.id })
      .update({ services: ['Loisirs et créations numériques'] });

    expect(await eventually(withService, (ids) => ids.length === 1)).toEqual([place.id]);
  });
});
