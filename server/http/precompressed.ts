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
 * Serves the brotli or gzip twin of a static file (written next to it by scripts/build-client.ts)
 * when the browser accepts it: the search page's ~220 KB of JS + CSS travel as ~57 KB, with no
 * compression work per request. Anything else falls through to express.static.
 */
export function precompressedStatic(root: string, options: { maxAge: number }): RequestHandler {
  const cache = new Map<string, { br: boolean; gz: boolean }>();
  const variants = (file: string) => {
    let found = cache.get(file);
    if (!found) {
      found = { br: existsSync(`${file}.br`), gz: existsSync(`${file}.gz`) };
      if (options.maxAge > 0) cache.set(file, found);
    }
    return found;
  };
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const type = TYPES[path.extname(req.path)];
    if (!type) return next();
    const file = path.join(root, path.normalize(decodeURIComponent(req.path)).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(root + path.sep)) return next();
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const { br, gz } = variants(file);
    const encoding = br && /\bbr\b/.test(accepted) ? 'br' : gz && /\bgzip\b/.test(accepted) ? 'gzip' : null;
    res.vary('Accept-Encoding');
    if (!encoding) return next();
    const twin = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
    const stat = statSync(twin, { throwIfNoEntry: false });
    const original = statSync(file, { throwIfNoEntry: false });
    // A twin older than its file (edited since the last build) is stale: serve the file itself.
    if (!stat || !original || stat.mtimeMs < original.mtimeMs) return next();
    res.set({ 'Content-Encoding': encoding, 'Content-Type': type, 'Content-Length': String(stat.size), 'Cache-Control': `public, max-age=${Math.floor(options.maxAge / 1000)}` });
    if (req.method === 'HEAD') return res.end();
    res.sendFile(twin, { headers: { 'Content-Type': type }, lastModified: true, cacheControl: false }, (error) => {
      if (error) next(error);
    });
  };
}
