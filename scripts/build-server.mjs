// `npm run build`: compiles server/, migrations/ and seeds/ to dist/ with esbuild (one file per
// source, no bundling: import paths stay as written), then copies what the compiled code reads
// beside itself (Handlebars views, seed data and articles). Type checking is `npm run typecheck`.
// `--if-stale` (used by `npm start`) rebuilds only when a source is newer than the last build.
// Plain JavaScript on purpose: building must not need tsx.
import { build } from 'esbuild';
import { cp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist');
const STAMP = path.join(OUT, '.build-stamp');
const SOURCE_DIRS = ['server', 'common', 'migrations', 'seeds'];
/** Non-code files read at run time relative to the compiled modules. */
const COPIED = [
  ['server/views', (file) => file.endsWith('.hbs')],
  ['seeds/data', () => true],
  ['seeds/articles', () => true],
];

async function* walk(directory) {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

async function newestSourceMtime() {
  let newest = 0;
  for (const file of [path.join(ROOT, 'package.json'), path.join(ROOT, 'package-lock.json')]) {
    newest = Math.max(newest, (await stat(file).catch(() => ({ mtimeMs: 0 }))).mtimeMs);
  }
  for (const dir of SOURCE_DIRS) {
    for await (const file of walk(path.join(ROOT, dir))) newest = Math.max(newest, (await stat(file)).mtimeMs);
  }
  return newest;
}

async function isStale() {
  const built = await stat(STAMP).catch(() => undefined);
  return !built || (await newestSourceMtime()) > built.mtimeMs;
}

async function buildServer() {
  const entryPoints = [];
  for (const dir of SOURCE_DIRS) {
    for await (const file of walk(path.join(ROOT, dir))) {
      if (file.endsWith('.ts') && !file.endsWith('.d.ts')) entryPoints.push(file);
    }
  }
  await rm(OUT, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: OUT,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const [dir, keep] of COPIED) {
    await cp(path.join(ROOT, dir), path.join(OUT, dir), {
      recursive: true,
      filter: async (source) => (await stat(source)).isDirectory() || keep(source),
    });
  }
  await mkdir(OUT, { recursive: true });
  await writeFile(STAMP, `${new Date().toISOString()}\n`);
  return entryPoints.length;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && !(await isStale())) {
  process.exit(0);
}
const count = await buildServer();
process.stdout.write(`dist/ : ${count} modules compilés (server, migrations, seeds).\n`);
