import Supercluster, { type ClusterProperties, type PointFeature } from 'supercluster';
import type { PlaceIndex } from './place-index.js';

const MAX_MAP_FEATURES = 500;
const CLUSTER_RADIUS_PX = 60;
const CLUSTER_MAX_ZOOM = 16;
/** Up to this many places the clusters are rebuilt during the request that finds them stale. */
const REBUILD_INLINE_UP_TO = 100_000;
/** Larger sets rebuild in the background this long after the last change (a rebuild blocks ~1 s per million). */
const REBUILD_DELAY_MS = 2000;
/** A box at its zoom is never more than this many pixels on a side: a bigger one is read at a lower zoom. */
const MAX_SIDE_PX = 4096;

interface PointProperties {
  id: number;
}

export type MapFeature =
  | { kind: 'cluster'; lon: number; lat: number; count: number; expansionZoom: number }
  | { kind: 'place'; lon: number; lat: number; id: number };

export interface Bbox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

const pixelsAcross = (degrees: number, zoom: number) => (degrees / 360) * 256 * 2 ** zoom;

/**
 * Server-side clusters of every place in the index (supercluster), rebuilt when the index has
 * changed: at once for a small set, in the background for a large one.
 */
export function createPlaceClusters(index: PlaceIndex) {
  let clusters: Supercluster<PointProperties> | undefined;
  let builtVersion = -1;
  let timer: NodeJS.Timeout | undefined;

  function build() {
    clearTimeout(timer);
    timer = undefined;
    const store = index.store;
    const version = index.version;
    const points: PointFeature<PointProperties>[] = [];
    for (let slot = 0; slot < store.slotCount; slot++) {
      if (!store.alive[slot]) continue;
      points.push({
        type: 'Feature',
        properties: { id: store.ids[slot] },
        geometry: { type: 'Point', coordinates: [store.longitudes[slot], store.latitudes[slot]] },
      });
    }
    const built = new Supercluster<PointProperties>({ radius: CLUSTER_RADIUS_PX, maxZoom: CLUSTER_MAX_ZOOM });
    built.load(points);
    clusters = built;
    builtVersion = version;
    return built;
  }

  function current(): Supercluster<PointProperties> {
    const stale = builtVersion !== index.version;
    if (clusters && stale && index.size > REBUILD_INLINE_UP_TO && !timer) {
      timer = setTimeout(build, REBUILD_DELAY_MS);
      timer.unref();
    }
    if (!clusters || (stale && index.size <= REBUILD_INLINE_UP_TO)) return build();
    return clusters;
  }

  /**
   * The clusters and single places in a box at a zoom, at most MAX_MAP_FEATURES: past that, the
   * same box is read at a lower zoom (bigger clusters) until it fits.
   */
  function inBox(bbox: Bbox, zoom: number): MapFeature[] {
    const tree = current();
    let z = Math.max(0, Math.min(Math.floor(zoom), CLUSTER_MAX_ZOOM + 1));
    while (
      z > 0 &&
      Math.max(pixelsAcross(bbox.maxLon - bbox.minLon, z), pixelsAcross((bbox.maxLat - bbox.minLat) * 1.5, z)) >
        MAX_SIDE_PX
    )
      z--;
    for (;;) {
      const found = tree.getClusters([bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat], z);
      if (found.length <= MAX_MAP_FEATURES || z === 0) {
        return found.slice(0, MAX_MAP_FEATURES).map((feature): MapFeature => {
          const [lon, lat] = feature.geometry.coordinates;
          const props = feature.properties as ClusterProperties | PointProperties;
          if ('cluster' in props) {
            const expansionZoom = tree.getClusterExpansionZoom(props.cluster_id);
            return { kind: 'cluster', lon, lat, count: props.point_count, expansionZoom };
          }
          return { kind: 'place', lon, lat, id: props.id };
        });
      }
      z--;
    }
  }

  return {
    inBox,
    stop: () => clearTimeout(timer),
  };
}
