import Supercluster, { type ClusterProperties, type PointFeature } from 'supercluster';

/**
 * Supercluster over the places' points, and the map's reading of it. Pure: the cluster worker
 * (place-clusters.worker.ts) runs it off the main thread; unit tests run it directly.
 */
const MAX_MAP_FEATURES = 500;
const CLUSTER_RADIUS_PX = 60;
/**
 * Places are grouped up to this zoom, and shown alone beyond: at 15, 60 pixels are ~150 m, so only
 * places in the same street corner would still be grouped. Each zoom grouped is one more tree in the
 * worker: 16 held 175 MB at 1M places and took 4.4 s to build, 14 holds 124 MB and takes 1.5–2.2 s.
 */
const CLUSTER_MAX_ZOOM = 14;
/** A box at its zoom is never more than this many pixels on a side: a bigger one is read at a lower zoom. */
const MAX_SIDE_PX = 4096;

/** The places to cluster, in parallel arrays (transferable to a worker without copying). */
export interface ClusterPoints {
  ids: Float64Array;
  longitudes: Float64Array;
  latitudes: Float64Array;
}

export interface Bbox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export type MapFeature =
  | { kind: 'cluster'; lon: number; lat: number; count: number; expansionZoom: number }
  | { kind: 'place'; lon: number; lat: number; id: number };

const NO_PROPERTIES = {};

/**
 * The points as supercluster's input, one reused feature object instead of a million: `load()`
 * counts `length`, then reads each feature's coordinates and id as it iterates (supercluster 9)
 * and keeps only its `properties` (here one shared empty object) and its id (the place's).
 * A million GeoJSON features would be ~130 MB of short-lived objects in the worker's heap.
 * tests/unit/cluster-tree.test.ts checks the result equals a load from real features.
 */
function reusedFeatures(points: ClusterPoints): PointFeature<object>[] {
  const coordinates: [number, number] = [0, 0];
  const feature: PointFeature<object> = {
    type: 'Feature',
    properties: NO_PROPERTIES,
    geometry: { type: 'Point', coordinates },
  };
  const iterable = {
    length: points.ids.length,
    *[Symbol.iterator]() {
      for (let i = 0; i < points.ids.length; i++) {
        coordinates[0] = points.longitudes[i];
        coordinates[1] = points.latitudes[i];
        feature.id = points.ids[i];
        yield feature;
      }
    },
  };
  return iterable as unknown as PointFeature<object>[];
}

export type ClusterTree = Supercluster<object>;

export function buildClusterTree(points: ClusterPoints): ClusterTree {
  const clusters = new Supercluster<object>({ radius: CLUSTER_RADIUS_PX, maxZoom: CLUSTER_MAX_ZOOM });
  return clusters.load(reusedFeatures(points));
}

const pixelsAcross = (degrees: number, zoom: number) => (degrees / 360) * 256 * 2 ** zoom;

/**
 * The clusters and single places in a box at a zoom, at most MAX_MAP_FEATURES: past that, the
 * same box is read at a lower zoom (bigger clusters) until it fits.
 */
export function featuresInBox(clusters: ClusterTree, bbox: Bbox, zoom: number): MapFeature[] {
  let z = Math.max(0, Math.min(Math.floor(zoom), CLUSTER_MAX_ZOOM + 1));
  while (
    z > 0 &&
    Math.max(pixelsAcross(bbox.maxLon - bbox.minLon, z), pixelsAcross((bbox.maxLat - bbox.minLat) * 1.5, z)) >
      MAX_SIDE_PX
  )
    z--;
  for (;;) {
    const found = clusters.getClusters([bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat], z);
    if (found.length <= MAX_MAP_FEATURES || z === 0) {
      return found.slice(0, MAX_MAP_FEATURES).map((feature): MapFeature => {
        const [lon, lat] = feature.geometry.coordinates;
        const props = feature.properties as ClusterProperties | object;
        if ('cluster' in props) {
          const expansionZoom = clusters.getClusterExpansionZoom(props.cluster_id);
          return { kind: 'cluster', lon, lat, count: props.point_count, expansionZoom };
        }
        return { kind: 'place', lon, lat, id: Number(feature.id) };
      });
    }
    z--;
  }
}

// Features cross the thread boundary as one transferable array of numbers, five per feature:
// kind (1 cluster, 0 place), lon, lat, count or id, expansion zoom (0 for a place).
const FIELDS = 5;

export function encodeFeatures(features: MapFeature[]): Float64Array {
  const encoded = new Float64Array(features.length * FIELDS);
  features.forEach((f, i) => {
    const cluster = f.kind === 'cluster';
    encoded.set([cluster ? 1 : 0, f.lon, f.lat, cluster ? f.count : f.id, cluster ? f.expansionZoom : 0], i * FIELDS);
  });
  return encoded;
}

export function decodeFeatures(encoded: Float64Array): MapFeature[] {
  const features: MapFeature[] = [];
  for (let k = 0; k < encoded.length; k += FIELDS) {
    const [kind, lon, lat, value, expansionZoom] = encoded.subarray(k, k + FIELDS);
    features.push(
      kind === 1 ? { kind: 'cluster', lon, lat, count: value, expansionZoom } : { kind: 'place', lon, lat, id: value },
    );
  }
  return features;
}
