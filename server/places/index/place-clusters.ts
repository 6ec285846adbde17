import { decodeFeatures, type Bbox, type ClusterPoints, type MapFeature } from './cluster-tree.js';
import type { PlaceIndex } from './place-index.js';
import type { ClusterRequest, ClusterResponse } from './place-clusters.protocol.js';
import type { PlaceStore } from './place-store.js';
import { startIndexWorker } from './index-workers.js';

export type { Bbox, MapFeature } from './cluster-tree.js';

/** Up to this many places a request that finds the clusters stale waits for the new ones. */
const REBUILD_INLINE_UP_TO = 100_000;
/** Larger sets keep serving the previous clusters and rebuild this long after the last change. */
const REBUILD_DELAY_MS = 2000;

type Ask = ClusterRequest extends infer R ? (R extends ClusterRequest ? Omit<R, 'request'> : never) : never;

/** One worker thread holding one set of clusters; messages answered in the order sent. */
class ClusterWorker {
  private readonly worker = startIndexWorker('place-clusters.worker');
  private nextRequest = 0;
  private readonly pending = new Map<number, { resolve(r: ClusterResponse): void; reject(e: Error): void }>();
  private retiring = false;
  broken = false;

  constructor() {
    // An idle worker never keeps the process alive; one with questions pending does (see ask()).
    this.worker.unref();
    this.worker.on('message', (response: ClusterResponse) => {
      const waiting = this.pending.get(response.request);
      this.pending.delete(response.request);
      if (this.pending.size === 0) this.worker.unref();
      if (this.pending.size === 0 && this.retiring) this.terminate();
      if (response.type === 'failed') waiting?.reject(new Error(response.message));
      else waiting?.resolve(response);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`Fil des regroupements arrêté (code ${code}).`)));
  }

  private fail(error: Error) {
    this.broken = true;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  private ask(message: Ask, transfer: ArrayBuffer[] = []): Promise<ClusterResponse> {
    if (this.broken) return Promise.reject(new Error('Fil des regroupements arrêté.'));
    const request = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(request, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...message, request }, transfer);
    });
  }

  /** The points' arrays are handed over (transferred), not copied: the caller must not reuse them. */
  async build(points: ClusterPoints): Promise<void> {
    const buffers = [points.ids.buffer, points.longitudes.buffer, points.latitudes.buffer] as ArrayBuffer[];
    await this.ask({ type: 'build', points }, buffers);
  }

  async query(bbox: Bbox, zoom: number): Promise<MapFeature[]> {
    const response = await this.ask({ type: 'query', bbox, zoom });
    return response.type === 'features' ? decodeFeatures(response.features) : [];
  }

  /** Ends the thread once the questions already asked are answered (its memory goes with it). */
  retire(): void {
    this.retiring = true;
    if (this.pending.size === 0) this.terminate();
  }

  terminate(): void {
    this.broken = true;
    void this.worker.terminate();
  }
}

/** Every live place of the store, as three compact arrays (~24 bytes a place). */
function pointsOf(store: PlaceStore): ClusterPoints {
  const ids = new Float64Array(store.size);
  const longitudes = new Float64Array(store.size);
  const latitudes = new Float64Array(store.size);
  let n = 0;
  for (let slot = 0; slot < store.slotCount; slot++) {
    if (!store.alive[slot]) continue;
    ids[n] = store.ids[slot];
    longitudes[n] = store.longitudes[slot];
    latitudes[n] = store.latitudes[slot];
    n++;
  }
  return { ids, longitudes, latitudes };
}

/**
 * Server-side clusters of every place in the index (supercluster), built and queried in a worker
 * thread: a build (1–2 s per million places) never stalls the requests. A new worker builds the
 * next clusters while the current one keeps answering, then takes over; the old one ends once its
 * answers are sent, and its heap goes with it (a worker kept idle would hold its memory). When the
 * index changes, a small set is rebuilt before the next answer; a large one keeps serving the
 * previous clusters and is rebuilt in the background once the changes settle.
 */
export function createPlaceClusters(
  index: Pick<PlaceIndex, 'store' | 'version' | 'size'>,
  log: (message: string, error?: unknown) => void = () => {},
  { rebuildInlineUpTo = REBUILD_INLINE_UP_TO, rebuildDelayMs = REBUILD_DELAY_MS } = {},
) {
  let serving: { worker: ClusterWorker; version: number } | undefined;
  let building: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function rebuild() {
    const version = index.version;
    const points = pointsOf(index.store);
    const worker = new ClusterWorker();
    try {
      await worker.build(points);
    } catch (error) {
      worker.terminate();
      throw error;
    }
    if (stopped) return worker.terminate();
    const previous = serving?.worker;
    serving = { worker, version };
    previous?.retire();
  }

  function startBuild(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    building ??= rebuild().finally(() => {
      building = undefined;
    });
    return building;
  }

  function scheduleBuild() {
    if (timer || building || stopped) return;
    timer = setTimeout(() => {
      startBuild().catch((error: unknown) => log('Regroupements de la carte non reconstruits.', error));
    }, rebuildDelayMs);
    timer.unref();
  }

  /**
   * The clusters and single places in a box at a zoom, at most 500 (see cluster-tree.ts), and the
   * version of the index they were built from: older than the index's while a rebuild is pending.
   */
  async function inBoxAt(bbox: Bbox, zoom: number): Promise<{ features: MapFeature[]; version: number }> {
    for (;;) {
      if (stopped) throw new Error('Regroupements de la carte arrêtés.');
      const current = serving && !serving.worker.broken ? serving : undefined;
      if (current?.version === index.version) {
        return { features: await current.worker.query(bbox, zoom), version: current.version };
      }
      if (current && index.size > rebuildInlineUpTo) {
        scheduleBuild();
        return { features: await current.worker.query(bbox, zoom), version: current.version };
      }
      // A build that started before the latest change is awaited, then the check runs again.
      await startBuild();
    }
  }

  const inBox = async (bbox: Bbox, zoom: number) => (await inBoxAt(bbox, zoom)).features;

  return {
    inBox,
    inBoxAt,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      serving?.worker.terminate();
    },
  };
}
