import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';

/** Bundles client/ into public/build (minified, one file a page). Runs before start and test. */
const entryPoints = ['client/search.ts', 'client/place.ts', 'client/article.ts', 'client/hours-grid.ts', 'client/place-pin.ts'].filter((file) => existsSync(file));
await mkdir('public/build', { recursive: true });
if (entryPoints.length) {
  await build({
    entryPoints,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2019'],
    outdir: 'public/build',
    sourcemap: false,
    loader: { '.png': 'dataurl' },
    logLevel: 'warning',
  });
}
console.log(`client : ${entryPoints.length} bundle(s) dans public/build`);
