import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCommunes } from '../../../server/geocoding/communes.repository.js';
import { createOfflineGeocoder } from '../../../server/geocoding/geocoder.js';
import { seedCommunes } from '../../../seeds/communes.seed.js';
import { seedFile } from '../../../seeds/index.js';
import { createFreshDatabase } from '../../support/fresh-database.js';

describe('the communes seed (the offline geocoder’s table)', () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  beforeAll(async () => {
    fresh = await createFreshDatabase();
  });
  afterAll(async () => {
    await fresh.drop();
  });

  it('when loaded twice, then every current commune is there once and the second run is skipped', async () => {
    const first = await seedCommunes(fresh.db, seedFile('communes.json'), () => {});
    expect(first).toBeGreaterThan(34_000);
    expect(await countCommunes(fresh.db)).toBe(first);
    expect(await seedCommunes(fresh.db, seedFile('communes.json'), () => {})).toBe('unchanged');
    expect(await countCommunes(fresh.db)).toBe(first);
  });

  it('when a visitor types "sainte etienne de tinee", then Saint-Étienne-de-Tinée is found', async () => {
    const geocoder = createOfflineGeocoder({ db: fresh.db });
    expect((await geocoder.geocode('sainte etienne de tinee'))?.label).toBe('Saint-Étienne-de-Tinée (06660)');
    expect((await geocoder.suggest('sainte etienne de tin'))[0]?.nom).toBe('Saint-Étienne-de-Tinée');
  });

  it('when a former commune or a postal code is typed, then the current commune answers', async () => {
    const geocoder = createOfflineGeocoder({ db: fresh.db });
    expect((await geocoder.geocode('Seynod'))?.label).toMatch(/^Annecy/);
    expect((await geocoder.geocode('13500'))?.label).toBe('Martigues (13500)');
    expect((await geocoder.geocode('Paris'))?.insee).toBe('75056');
    expect(await geocoder.geocode('13')).toMatchObject({ label: 'Bouches-du-Rhône (13)', kind: 'department' });
    expect((await geocoder.geocode('département de la Réunion 974'))?.kind).not.toBe('department');
    expect((await geocoder.geocode('974'))?.label).toBe('La Réunion (974)');
    expect((await geocoder.suggest('mart'))[0]?.nom).toMatch(/^Mart/);
  });
});
