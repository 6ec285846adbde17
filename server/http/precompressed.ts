import type { RequestHandler } from 'express';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.geojson': 'application/geo+json',
  '.json': 'application/json',
};

/**
 * At most this many files' lookups are remembered. Only files that exist are remembered at all (a
 * made-up path costs one stat, then is forgotten), so the bound is a second guard: the public
 * folder holds a few dozen such files, and if it ever held more the oldest entries make room.
 */
export const MAX_REMEMBERED_LOOKUPS = 500;

export type PrecompressedStatic = RequestHandler & {
  /** How many files' lookups are remembered now (tests check that it stays bounded). */
  cachedPaths(): number;
};

/** The file a request names inside `root`, or null when its path is malformed or leaves the folder. */
function fileFor(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null; // Malformed percent-encoding (`%E0`): express.static answers it with a 400.
  }
  const file = path.join(root, path.normalize(decoded).replace(/^(\.\.[/\\])+/, ''));
  return file.startsWith(root + path.sep) ? file : null;
}

/**
 * Serves the brotli or gzip twin of a static file (written next to it by scripts/build-client.ts)
 * when the browser accepts it: the search page's ~220 KB of JS + CSS travel as ~57 KB, with no
 * compression work per request. Anything else falls through to express.static.
 */
export function precompressedStatic(root: string, options: { maxAge: number }): PrecompressedStatic {
  // Before this bound, every requested path was remembered, made-up ones included: 10,000
  // requests for invented paths grew the heap by 135 MB for good (issue 11).
  const cache = new Map<string, { br: boolean; gz: boolean }>();
  const variants = (file: string) => {
    const known = cache.get(file);
    if (known) return known;
    const found = { br: existsSync(`${file}.br`), gz: existsSync(`${file}.gz`) };
    if (options.maxAge > 0 && existsSync(file)) {
      const oldest = cache.size >= MAX_REMEMBERED_LOOKUPS ? cache.keys().next().value : undefined;
      if (oldest !== undefined) cache.delete(oldest);
      cache.set(file, found);
    }
    return found;
  };
  const handler: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const type = TYPES[path.extname(req.path)];
    if (!type) return next();
    const file = fileFor(root, req.path);
    if (!file) return next();
    const accepted = req.headers['accept-encoding'] ?? '';
    const { br, gz } = variants(file);
    const encoding = br && /\bbr\b/.test(accepted) ? 'br' : gz && /\bgzip\b/.test(accepted) ? 'gzip' : null;
    res.vary('Accept-Encoding');
    if (!encoding) return next();
    const twin = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
    const stat = statSync(twin, { throwIfNoEntry: false });
    const original = statSync(file, { throwIfNoEntry: false });
    // A twin older than its file (edited since the last build) is stale: serve the file itself.
    if (!stat || !original || stat.mtimeMs < original.mtimeMs) return next();
    res.set({
      'Content-Encoding': encoding,
      'Content-Type': type,
      'Content-Length': String(stat.size),
      'Cache-Control': `public, max-age=${Math.floor(options.maxAge / 1000)}`,
    });
    if (req.method === 'HEAD') return res.end();
    res.sendFile(twin, { headers: { 'Content-Type': type }, lastModified: true, cacheControl: false }, (error) => {
      if (error) next(error);
    });
  };
  return Object.assign(handler, { cachedPaths: () => cache.size });
}
