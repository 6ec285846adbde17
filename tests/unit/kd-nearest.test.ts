import KDBush from 'kdbush';
import { describe, expect, it } from 'vitest';
import { KdNearest } from '../../server/places/index/kd-nearest.js';
import { seededRandom } from '../support/seeded-random.js';

const RAD = Math.PI / 180;
/** The haversine term the walk compares, on its 6371 km sphere. */
const haverSinDist = (lon1: number, lat1: number, lon2: number, lat2: number) =>
  Math.sin(((lat1 - lat2) * RAD) / 2) ** 2 +
  Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lon1 - lon2) * RAD) / 2) ** 2;
const haverSinOfKm = (km: number) => Math.sin(km / 6371 / 2) ** 2;

function treeOf(points: [number, number][]) {
  const tree = new KDBush(points.length, 8, Float64Array);
  for (const [lon, lat] of points) tree.add(lon, lat);
  tree.finish();
  return tree;
}

/** Every position within the distance that passes the test, nearest first: the distances the walk must give. */
function nearestByReadingAll(
  tree: KDBush,
  at: { lon: number; lat: number },
  maxResults: number,
  maxKm: number,
  test: (position: number) => boolean,
) {
  const found: number[] = [];
  for (let position = 0; position < tree.ids.length; position++) {
    const dist = haverSinDist(at.lon, at.lat, tree.coords[2 * position], tree.coords[2 * position + 1]);
    if (dist <= haverSinOfKm(maxKm) && test(position)) found.push(dist);
  }
  return found.sort((a, b) => a - b).slice(0, maxResults);
}

describe('the nearest walk of a k-d tree on the sphere', () => {
  const walk = new KdNearest();

  it('when asked around random points, filtered or not, then it finds the nearest ones, nearest first', () => {
    const random = seededRandom(5);
    // A city, ties at shared spots, places across the antimeridian and near the pole.
    const points: [number, number][] = [];
    for (let i = 0; i < 3000; i++) points.push([2.2 + random() * 0.3, 48.8 + random() * 0.2]);
    for (let i = 0; i < 500; i++) points.push([2.35 + Math.floor(random() * 5) / 100, 48.85]);
    for (let i = 0; i < 500; i++) points.push([random() < 0.5 ? 179.9 + random() * 0.1 : -180 + random() * 0.1, -17]);
    for (let i = 0; i < 300; i++) points.push([random() * 360 - 180, 89 + random()]);
    const tree = treeOf(points);
    const centres = [
      { lon: 2.35, lat: 48.85 },
      { lon: 179.99, lat: -17 },
      { lon: 10, lat: 89.9 },
      { lon: -40, lat: 30 },
    ];
    for (const centre of centres) {
      for (const test of [() => true, (position: number) => tree.ids[position] % 3 === 0]) {
        for (const [maxResults, maxKm] of [
          [1, 50],
          [29, 30],
          [200, 5],
          [5000, 20_000],
        ]) {
          const positions = walk.around(tree, centre.lon, centre.lat, maxResults, maxKm, test);
          const distances = positions.map((p) =>
            haverSinDist(centre.lon, centre.lat, tree.coords[2 * p], tree.coords[2 * p + 1]),
          );
          expect(distances).toEqual(nearestByReadingAll(tree, centre, maxResults, maxKm, test));
          expect(positions.every(test)).toBe(true);
          expect(new Set(positions).size).toBe(positions.length);
        }
      }
    }
  });

  it('when the filter matches nothing or the tree is far, then nothing is found', () => {
    const tree = treeOf([
      [2, 48],
      [3, 49],
    ]);
    expect(walk.around(tree, 2, 48, 10, 100, () => false)).toEqual([]);
    expect(walk.around(tree, -60, -30, 10, 100, () => true)).toEqual([]);
    expect(walk.around(tree, 2, 48, 0, 100, () => true)).toEqual([]);
  });
});
