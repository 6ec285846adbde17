import Supercluster from 'supercluster';
import { describe, expect, it } from 'vitest';
import {
  buildClusterTree,
  decodeFeatures,
  encodeFeatures,
  featuresInBox,
  type ClusterPoints,
} from '../../server/places/index/cluster-tree.js';

/** `count` points spread over mainland France by a fixed sequence (same points every run). */
function pointsAcrossFrance(count: number): ClusterPoints {
  const points = {
    ids: new Float64Array(count),
    longitudes: new Float64Array(count),
    latitudes: new Float64Array(count),
  };
  for (let i = 0; i < count; i++) {
    points.ids[i] = 1000 + i;
    points.longitudes[i] = -4.5 + ((i * 7919) % 14_000) / 1000;
    points.latitudes[i] = 42.5 + ((i * 104_729) % 8_500) / 1000;
  }
  return points;
}

const france = { minLon: -5.5, minLat: 41.2, maxLon: 9.8, maxLat: 51.2 };
const placesIn = (features: ReturnType<typeof featuresInBox>) =>
  features.reduce((sum, f) => sum + (f.kind === 'cluster' ? f.count : 1), 0);

describe('the map clusters (supercluster over the places)', () => {
  it('when built from the reused feature object, then the clusters equal those of one feature per place', () => {
    const points = pointsAcrossFrance(3000);
    const fromArrays = buildClusterTree(points);
    const fromFeatures = new Supercluster({ radius: 60, maxZoom: 14 }).load(
      Array.from(points.ids, (id, i) => ({
        type: 'Feature' as const,
        id,
        properties: {},
        geometry: { type: 'Point' as const, coordinates: [points.longitudes[i], points.latitudes[i]] },
      })),
    );
    for (const zoom of [3, 6, 9, 12, 17]) {
      const bbox: [number, number, number, number] = [-5.5, 41.2, 9.8, 51.2];
      expect(fromArrays.getClusters(bbox, zoom)).toEqual(fromFeatures.getClusters(bbox, zoom));
    }
  });

  it('when France is viewed at any zoom, then at most 500 features hold every place, singles by their place id', () => {
    const points = pointsAcrossFrance(3000);
    const tree = buildClusterTree(points);
    for (const zoom of [0, 5, 8, 12, 16, 22]) {
      const features = featuresInBox(tree, france, zoom);
      expect(features.length).toBeLessThanOrEqual(500);
      expect(placesIn(features)).toBe(3000);
      for (const f of features) if (f.kind === 'place') expect(f.id).toBeGreaterThanOrEqual(1000);
    }
  });

  it('when a street is viewed (zoom 15 and more), then each place shows alone; below, close ones are grouped', () => {
    // Two places 150 m apart in Lyon: 25 pixels apart at zoom 15, under the clusters' radius of 60 at 14.
    const points = {
      ids: Float64Array.of(1, 2),
      longitudes: Float64Array.of(4.835, 4.837),
      latitudes: Float64Array.of(45.76, 45.76),
    };
    const tree = buildClusterTree(points);
    const lyon = { minLon: 4.8, minLat: 45.74, maxLon: 4.87, maxLat: 45.78 };
    for (const zoom of [15, 16, 18])
      expect(featuresInBox(tree, lyon, zoom).map((f) => f.kind)).toEqual(['place', 'place']);
    expect(featuresInBox(tree, lyon, 14)).toMatchObject([{ kind: 'cluster', count: 2, expansionZoom: 15 }]);
  });

  it('when features cross to the main thread as numbers, then they come back the same', () => {
    const features = featuresInBox(buildClusterTree(pointsAcrossFrance(800)), france, 9);
    expect(features.some((f) => f.kind === 'place') && features.some((f) => f.kind === 'cluster')).toBe(true);
    expect(decodeFeatures(encodeFeatures(features))).toEqual(features);
  });
});
