import { constants, existsSync } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';

/** Where the system's Chromium usually lives; PATH is searched after these. */
const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const SYSTEM_NAMES = ['chromium', 'chromium-browser'];

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The system's Chromium: a Debian-style path first, then `chromium` or `chromium-browser` on PATH. */
async function findSystemChromium(
  searchPath: string | undefined,
  candidates = SYSTEM_CANDIDATES,
): Promise<string | undefined> {
  const onPath = (searchPath ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .flatMap((dir) => SYSTEM_NAMES.map((name) => path.join(dir, name)));
  for (const candidate of [...candidates, ...onPath]) {
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The Chromium inside the npm package `@sparticuz/chromium`, unpacked once per version into
 * node_modules/.cache. Its `executablePath()` unpacks into the temporary folder and trusts any file
 * already there, so two test files unpacking at once (or a run killed halfway) would launch a
 * half-written binary: each caller unpacks into its own staging folder, then renames it into place
 * (atomic; the loser of a race drops its copy).
 */
async function unpackBundledChromium(): Promise<string> {
  const require = createRequire(import.meta.url);
  const packageRoot = path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  const cache = path.join(packageRoot, '..', '..', '.cache', 'epn-finder-chromium');
  const target = path.join(cache, version);
  if (existsSync(path.join(target, 'chromium'))) return path.join(target, 'chromium');

  await mkdir(cache, { recursive: true });
  const staging = await mkdtemp(path.join(cache, 'unpacking-'));
  const { default: bundled } = await import('@sparticuz/chromium');
  // The package unpacks into os.tmpdir(), which follows TMPDIR: point it at the staging folder meanwhile.
  const previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  let unpacked: string;
  try {
    unpacked = await bundled.executablePath();
  } finally {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
  }
  if (path.dirname(unpacked) !== staging) {
    // A future version unpacking elsewhere: use what it gives.
    await rm(staging, { recursive: true, force: true });
    return unpacked;
  }
  try {
    await rename(staging, target);
  } catch (error) {
    if (!existsSync(path.join(target, 'chromium'))) throw error;
    await rm(staging, { recursive: true, force: true });
  }
  return path.join(target, 'chromium');
}

/** CHROMIUM_PATH's value that asks for the bundled Chromium even when the system has one. */
const BUNDLED = '@sparticuz/chromium';

/**
 * Which Chromium the browser tests drive, so that `npm install` is all `npm test` needs:
 * 1. CHROMIUM_PATH when set (an error if nothing runnable is there: a wrong setting is not ignored;
 *    `CHROMIUM_PATH=@sparticuz/chromium` skips the system's);
 * 2. the system's Chromium (Debian's package: /usr/bin/chromium, or `chromium` on PATH);
 * 3. the one inside the devDependency `@sparticuz/chromium`.
 */
export async function resolveChromium(
  env: { CHROMIUM_PATH?: string; PATH?: string },
  seams: { systemCandidates?: string[]; unpackBundled?: () => Promise<string> } = {},
): Promise<{ executablePath: string; source: ChromiumSource }> {
  const unpackBundled = seams.unpackBundled ?? unpackBundledChromium;
  if (env.CHROMIUM_PATH === BUNDLED) return { executablePath: await unpackBundled(), source: '@sparticuz/chromium' };
  if (env.CHROMIUM_PATH) {
    if (!(await isExecutable(env.CHROMIUM_PATH))) {
      throw new Error(
        `CHROMIUM_PATH=${env.CHROMIUM_PATH} : aucun exécutable à cet endroit ` +
          '(retirez la variable pour utiliser le Chromium du système ou celui de @sparticuz/chromium).',
      );
    }
    return { executablePath: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  const system = await findSystemChromium(env.PATH, seams.systemCandidates);
  if (system) return { executablePath: system, source: 'system' };
  return { executablePath: await unpackBundled(), source: '@sparticuz/chromium' };
}
