/**
 * Page weight of the search page: the JavaScript and CSS it loads, gzipped (Leaflet and the
 * marker clusters included). Budget: 120 KB. Reads the layout's own stylesheets/scripts and the
 * search page's list (SEARCH_PAGE_ASSETS), from the files in public/ as served under /static/.
 *
 *   npm run bench:weight   → bench/results/page-weight.json
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { SEARCH_PAGE_ASSETS } from '../server/search/search.routes.js';
import { PLACE_PAGE_ASSETS } from '../server/places/places.pages.js';

const BUDGET_BYTES = 120 * 1024;
const layout = await readFile('server/views/layouts/main.hbs', 'utf8');
const layoutAssets = [...layout.matchAll(/(?:href|src)="(\/static\/[^"{}]+\.(?:css|js))"/g)].map((m) => m[1]);

async function measure(urls: string[]) {
  const files: { url: string; bytes: number; gzip: number; brotli: number }[] = [];
  for (const url of [...new Set(urls)]) {
    const content = await readFile(path.join('public', url.replace(/^\/static\//, '')));
    files.push({
      url,
      bytes: content.length,
      gzip: gzipSync(content, { level: 6 }).length,
      brotli: brotliCompressSync(content).length,
    });
  }
  const total = (key: 'bytes' | 'gzip' | 'brotli') => files.reduce((sum, f) => sum + f[key], 0);
  return { files, total: { bytes: total('bytes'), gzip: total('gzip'), brotli: total('brotli') } };
}

const search = await measure([...layoutAssets, ...SEARCH_PAGE_ASSETS.stylesheets, ...SEARCH_PAGE_ASSETS.scripts]);
const place = await measure([...layoutAssets, ...PLACE_PAGE_ASSETS.stylesheets, ...PLACE_PAGE_ASSETS.scripts]);
const outline = (await readFile('public/geo/france.geojson')).length;
const result = {
  measured_at: new Date().toISOString(),
  budget_gzip_bytes: BUDGET_BYTES,
  search_page: { ...search, within_budget: search.total.gzip <= BUDGET_BYTES },
  place_page: place,
  france_outline_geojson_bytes: outline,
};
await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/page-weight.json', `${JSON.stringify(result, null, 2)}\n`);
const kb = (n: number) => `${(n / 1024).toFixed(1)} Ko`;
console.log(
  `Page de recherche : ${kb(search.total.gzip)} de JS + CSS gzip (budget ${kb(BUDGET_BYTES)}) — ` +
    `${kb(search.total.brotli)} en brotli, ${kb(search.total.bytes)} non compressés.`,
);
for (const f of search.files) console.log(`  ${f.url} : ${kb(f.gzip)} gzip (${kb(f.bytes)})`);
console.log(`Page d’un lieu : ${kb(place.total.gzip)} gzip.`);
if (search.total.gzip > BUDGET_BYTES) {
  console.error('Budget dépassé.');
  process.exitCode = 1;
}
