import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const bundledFromSources = new Map<string, string>();

/**
 * A worker thread running the module `name` of this directory (`place-clusters.worker`, …): its
 * compiled JavaScript beside this module in production (dist/). Under the tests and `npm run dev`
 * this module is TypeScript and Node 20 runs no TypeScript in a worker (tsx's loader does not reach
 * worker threads there): the worker is bundled once per process with esbuild instead.
 */
export function startIndexWorker(name: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url));
  let bundle = bundledFromSources.get(name);
  if (bundle === undefined) {
    bundle = buildSync({
      entryPoints: [fileURLToPath(new URL(`./${name}.ts`, import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
    }).outputFiles[0].text;
    bundledFromSources.set(name, bundle);
  }
  return new Worker(bundle, { eval: true });
}
