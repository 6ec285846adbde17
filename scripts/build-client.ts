import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

/** Bundles client/ into public/build (minified, one file a page). Runs before start and test. */
const entryPoints = [
  'client/search.ts',
  'client/place.ts',
  'client/article.ts',
  'client/hours-grid.ts',
  'client/place-pin.ts',
].filter((file) => existsSync(file));
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
// Brotli and gzip twins, served as they are by server/http/precompressed.ts (no work per request).
const compressible = [
  ...(await readdir('public/build')).filter((f) => /\.(js|css)$/.test(f)).map((f) => `public/build/${f}`),
  'public/css/site.css',
  'public/geo/france.geojson',
].filter((file) => existsSync(file));
for (const file of compressible) {
  const content = await readFile(file);
  await writeFile(`${file}.gz`, gzipSync(content, { level: 9 }));
  await writeFile(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
console.log(`client : ${entryPoints.length} bundle(s) dans public/build`);
