import type { Bbox, ClusterPoints } from './cluster-tree.js';

/** Messages between place-clusters.ts and its worker threads; `request` pairs an answer with its question. */
export type ClusterRequest =
  | { type: 'build'; request: number; points: ClusterPoints }
  | { type: 'query'; request: number; bbox: Bbox; zoom: number };

export type ClusterResponse =
  | { type: 'built'; request: number }
  | { type: 'features'; request: number; features: Float64Array }
  | { type: 'failed'; request: number; message: string };
