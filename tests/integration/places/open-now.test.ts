import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext, fixedClock } from '../../support/context.js';
import { eastOf, makePlace, randomSpot } from '../../support/factories.js';

// 2026-12-01 is a Tuesday; Paris is UTC+1 in winter. 2026-12-25 (Friday) is Christmas, a public holiday.
const clock = fixedClock('2026-12-01T09:30:00Z'); // Tuesday 10:30 in Paris

describe('open now and open at', () => {
  // The index's first load (at the file's first search) compiles its hours on a worker thread, as
  // a large load does; places made afterwards are compiled on the spot.
  const { app, db } = createTestContext({ clock, hoursApartFrom: 1 });

  /** Five places 1 to 5 km east of a random spot; searched within 6 km, where another test's place seldom is. */
  async function places() {
    const here = randomSpot();
    const weekdays = await makePlace(db, { at: eastOf(here, 1), horaires: 'Mo-Fr 09:00-12:00,14:00-17:00; PH off' });
    const saturday = await makePlace(db, { at: eastOf(here, 2), horaires: 'Sa 09:00-12:00' });
    const evenings = await makePlace(db, { at: eastOf(here, 3), horaires: 'Mo-Su 18:00-02:00' });
    const holidaysToo = await makePlace(db, { at: eastOf(here, 4), horaires: 'Mo-Fr 09:00-12:00' });
    const unknown = await makePlace(db, { at: eastOf(here, 5) });
    return { here, weekdays, saturday, evenings, holidaysToo, unknown };
  }
  const ids = (res: request.Response) => res.body.items.map((i: { id: number }) => i.id);

  it('when it is a weekday morning in Paris, then open_now keeps the places open at that moment', async () => {
    const p = await places();
    const res = await request(app)
      .get('/api/v1/places')
      .query({ lat: p.here.lat, lon: p.here.lon, radius_km: 6, open_now: 'true' });
    expect(ids(res)).toEqual([p.weekdays.id, p.holidaysToo.id]);
  });

  it('when the list is not filtered, then each place says whether it is open now and when that changes', async () => {
    const p = await places();
    const res = await request(app).get('/api/v1/places').query({ lat: p.here.lat, lon: p.here.lon, radius_km: 6 });
    const byId = Object.fromEntries(res.body.items.map((i: { id: number }) => [i.id, i]));
    expect(byId[p.weekdays.id]).toMatchObject({ open_now: true, next_change: '2026-12-01T12:00' });
    expect(byId[p.saturday.id]).toMatchObject({ open_now: false, next_change: '2026-12-05T09:00' });
    expect(byId[p.unknown.id]).toMatchObject({ open_now: null, next_change: null });
  });

  it.each([
    ['a Saturday morning', '2026-12-05T10:00', 'saturday'],
    ['a Tuesday night, after midnight', '2026-12-02T01:30', 'evenings'],
    ['a Sunday afternoon', '2026-12-06T15:00', ''],
  ])('when asking for %s (Paris time), then the places open then come back', async (_label, openAt, expected) => {
    const p = await places();
    const res = await request(app)
      .get('/api/v1/places')
      .query({ lat: p.here.lat, lon: p.here.lon, radius_km: 6, open_at: openAt });
    expect(ids(res)).toEqual(expected ? [p[expected as 'saturday'].id] : []);
  });

  it('when the date is a public holiday, then a place with "PH off" is closed, one without it open', async () => {
    const p = await places();
    const res = await request(app)
      .get('/api/v1/places')
      .query({ lat: p.here.lat, lon: p.here.lon, radius_km: 6, open_at: '2026-12-25T10:00' });
    expect(ids(res)).toEqual([p.holidaysToo.id]);
  });

  it('when open_at carries a time zone, then it is the same instant as Paris wall time', async () => {
    const p = await places();
    const utc = await request(app)
      .get('/api/v1/places')
      .query({ lat: p.here.lat, lon: p.here.lon, radius_km: 6, open_at: '2026-12-05T09:30:00Z' });
    expect(ids(utc)).toEqual([p.saturday.id]);
  });

  it('when it is summer time, then Paris wall time still decides (UTC+2)', async () => {
    const p = await places();
    // 2026-07-07 is a Tuesday; 07:30 UTC is 09:30 in Paris.
    const res = await request(app)
      .get('/api/v1/places')
      .query({ lat: p.here.lat, lon: p.here.lon, radius_km: 6, open_at: '2026-07-07T07:30:00Z' });
    expect(ids(res)).toEqual([p.weekdays.id, p.holidaysToo.id]);
  });

  it('when only a few places are open among many, then pages of open places still fill and chain', async () => {
    const here = randomSpot();
    const open = [];
    for (let i = 0; i < 30; i++) {
      const isOpen = i % 6 === 0;
      const place = await makePlace(db, {
        at: eastOf(here, 0.5 + i * 0.3),
        horaires: isOpen ? 'Mo-Su 00:00-24:00' : 'Sa 09:00-10:00',
      });
      if (isOpen) open.push(place.id);
    }
    const first = await request(app)
      .get('/api/v1/places')
      .query({ lat: here.lat, lon: here.lon, open_now: 'true', limit: 3 });
    const second = await request(app)
      .get('/api/v1/places')
      .query({ lat: here.lat, lon: here.lon, open_now: 'true', limit: 3, cursor: first.body.next_cursor });
    expect([...ids(first), ...ids(second)]).toEqual(open);
    expect(second.body.next_cursor).toBeNull();
  });
});
