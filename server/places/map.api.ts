import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { parseOrThrow } from '../http/validation.js';
import type { Clock } from '../shared/clock.js';
import { absoluteAddresses } from '../shared/absolute-address.js';
import { parisDayNumber } from '../shared/paris-time.js';
import { createPageMemory, type KeptAnswer } from '../shared/page-memory.js';
import { sendKept } from '../shared/send-kept.js';
import { createPlaceClusters, type Bbox, type MapFeature } from './index/place-clusters.js';
import type { PlaceIndex } from './index/place-index.js';
import { placeNamesForMap } from './index/place-index.repository.js';
import { placePath } from './places.mapping.js';
import { placesQueryShape } from './places.query.js';

export const mapQuerySchema = z.strictObject({
  // The places search's bbox parser, required here.
  bbox: placesQueryShape.bbox.pipe(
    z.object(
      { minLon: z.number(), minLat: z.number(), maxLon: z.number(), maxLat: z.number() },
      { error: 'Cadre attendu : ouest,sud,est,nord.' },
    ),
  ),
  zoom: z.coerce
    .number({ error: 'Niveau de zoom attendu (0 à 22).' })
    .int('Niveau de zoom entier attendu (0 à 22).')
    .min(0, 'Le zoom va de 0 à 22.')
    .max(22, 'Le zoom va de 0 à 22.'),
});

const point = z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) });

/** The response, for the OpenAPI document: clusters and single places, GeoJSON. */
export const mapResponseSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.union([
        z.object({
          type: z.literal('Feature'),
          geometry: point,
          properties: z.object({
            cluster: z.literal(true),
            point_count: z.number().int().positive(),
            /** The zoom at which this cluster splits: where a click on it should go. */
            expansion_zoom: z.number().int(),
          }),
        }),
        z.object({
          type: z.literal('Feature'),
          geometry: point,
          properties: z.object({ cluster: z.literal(false), id: z.number().int(), nom: z.string(), url: z.string() }),
        }),
      ]),
    )
    .max(500),
});

type MapResponse = z.infer<typeof mapResponseSchema>;

/** A France-wide answer weighs ~70 kB, a city's a few: the views most recently asked. */
const ANSWERS_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The map of every place: clusters in a worker thread (supercluster over the place index), then one query
 * for the names of the single places and the newest change (an instance behind catches up first).
 *
 * An answer is kept in memory (server/shared/page-memory.ts) under the version of the index once it
 * has applied every change committed before the request (`freshVersion`, the places service's): the
 * view everyone opens first, France at zoom 5 or 6, is then clustered once per change, not once per
 * visitor. A change to any place, through any instance, moves the version; nothing else is shown.
 */
export function createMapService(deps: {
  db: Db;
  index: PlaceIndex;
  publicBaseUrl: string;
  clock: Clock;
  /** Undefined when nothing may be kept (no index yet, or reads from a replica that may lag). */
  freshVersion: () => Promise<number | undefined>;
  log?: (message: string, error?: unknown) => void;
  /** When the clusters are rebuilt before the answer or in the background (tests; see place-clusters.ts). */
  clusterRebuild?: Parameters<typeof createPlaceClusters>[2];
}) {
  const { db, index } = deps;
  const clusters = createPlaceClusters(index, deps.log, deps.clusterRebuild);
  const answers = createPageMemory({ maxBytes: ANSWERS_MAX_BYTES });

  const singles = (features: MapFeature[]) => features.flatMap((f) => (f.kind === 'place' ? [f.id] : []));

  /** The answer as JSON text: the one kept for this view and version (with its ETag), else a new one (then kept). */
  async function viewportJson(bbox: Bbox, zoom: number): Promise<KeptAnswer> {
    const version = await deps.freshVersion();
    const key = version === undefined ? undefined : String(version);
    const address = `${zoom}|${bbox.minLon},${bbox.minLat},${bbox.maxLon},${bbox.maxLat}`;
    const now = deps.clock.now().getTime();
    const kept = key === undefined ? undefined : answers.find(address, key, now);
    if (kept) return answers.answer(kept, '');
    const { response, clustersVersion } = await viewport(bbox, zoom, version !== undefined);
    const json = JSON.stringify(response);
    // Clusters older than the key (a large index rebuilds them in the background) are shown, not kept.
    if (key !== undefined && String(clustersVersion) === key) {
      answers.keep(address, { key, path: '', text: json, renderedAt: now });
    }
    return { body: json };
  }

  /**
   * The names of the single places: when this instance has applied every change committed before
   * the request (`fresh`), from the index's display rows (kept, or read for several requests at
   * once: a map moved in a city no longer pays a query of its own); else from PostgreSQL with the
   * newest change, which the index then catches up with.
   */
  async function namesOf(features: MapFeature[], fresh: boolean) {
    const ids = singles(features);
    if (!fresh) {
      const shown = await placeNamesForMap(db, ids);
      await index.catchUp(shown.latestChange);
      return shown.names;
    }
    if (ids.length === 0) return new Map<number, string>();
    const rows = await index.displayed(ids, parisDayNumber(deps.clock.now()));
    return new Map([...rows].map(([id, place]) => [id, place.nom]));
  }

  /** The view, and the version of the index its clusters were built from (see inBoxAt). */
  async function viewport(
    bbox: Bbox,
    zoom: number,
    fresh: boolean,
  ): Promise<{ response: MapResponse; clustersVersion: number }> {
    await index.start();
    const seen = index.version;
    let { features, version: clustersVersion } = await clusters.inBoxAt(bbox, zoom);
    let names = await namesOf(features, fresh);
    // Behind the log, or changed since the features were picked (a notification meanwhile): again.
    if (index.version !== seen) {
      ({ features, version: clustersVersion } = await clusters.inBoxAt(bbox, zoom));
      names = await namesOf(features, fresh);
    }
    const absolute = absoluteAddresses(deps.publicBaseUrl);
    const response: MapResponse = {
      type: 'FeatureCollection',
      features: features.flatMap((f): MapResponse['features'] => {
        const geometry = {
          type: 'Point' as const,
          coordinates: [sixDecimals(f.lon), sixDecimals(f.lat)] as [number, number],
        };
        if (f.kind === 'cluster') {
          const properties = { cluster: true as const, point_count: f.count, expansion_zoom: f.expansionZoom };
          return [{ type: 'Feature', geometry, properties }];
        }
        const nom = names.get(f.id);
        if (nom === undefined) return [];
        const url = absolute(placePath({ id: f.id, nom }));
        return [{ type: 'Feature', geometry, properties: { cluster: false as const, id: f.id, nom, url } }];
      }),
    };
    return { response, clustersVersion };
  }

  return { viewportJson, stop: clusters.stop };
}

/**
 * Coordinates to six decimals (~0.1 m, RFC 7946 §11.2): a cluster's centre is a mean and a place's
 * position comes back from the clusters' projection, both printed with 17 digits otherwise
 * ("7.189530999999985"). A fifth of the bytes of a city's map, on slow connections too.
 */
const sixDecimals = (degrees: number) => Math.round(degrees * 1e6) / 1e6;

export type MapService = ReturnType<typeof createMapService>;

export function mapApiRoutes(deps: { map: MapService }): Router {
  const router = Router();
  router.get('/map', async (req, res) => {
    const { bbox, zoom } = parseOrThrow(mapQuerySchema, req.query);
    sendKept(req, res, 'json', await deps.map.viewportJson(bbox, zoom));
  });
  return router;
}
