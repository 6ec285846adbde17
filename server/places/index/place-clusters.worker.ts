/**
 * The map's clusters, off the main thread: a supercluster build takes 1–2 s of CPU per million
 * places, during which the main thread would answer nothing. This worker builds them when told
 * and answers the map's box queries from them; place-clusters.ts starts one per build.
 */
import { parentPort } from 'node:worker_threads';
import { buildClusterTree, encodeFeatures, featuresInBox, type ClusterTree } from './cluster-tree.js';
import type { ClusterRequest, ClusterResponse } from './place-clusters.protocol.js';

if (!parentPort) throw new Error('place-clusters.worker.ts runs as a worker thread only.');
const port = parentPort;
let tree: ClusterTree | undefined;

function answer(request: ClusterRequest): { response: ClusterResponse; transfer: ArrayBuffer[] } {
  switch (request.type) {
    case 'build':
      tree = buildClusterTree(request.points);
      return { response: { type: 'built', request: request.request }, transfer: [] };
    case 'query': {
      if (!tree) throw new Error('Aucun regroupement construit dans ce fil.');
      const features = encodeFeatures(featuresInBox(tree, request.bbox, request.zoom));
      return {
        response: { type: 'features', request: request.request, features },
        transfer: [features.buffer as ArrayBuffer],
      };
    }
  }
}

port.on('message', (request: ClusterRequest) => {
  try {
    const { response, transfer } = answer(request);
    port.postMessage(response, transfer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({ type: 'failed', request: request.request, message } satisfies ClusterResponse);
  }
});
