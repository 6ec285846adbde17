import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from './public-dir.js';

const versions = new Map<string, string>();

/**
 * "/static/build/search.js" → "/static/build/search.js?v=1a2b3c4d": the content's hash, so that
 * browsers keeping static files for days (production) fetch a new build at once. Read once per
 * file and process; a file that is not built yet keeps its plain URL.
 */
function assetUrl(url: string): string {
  let version = versions.get(url);
  if (version === undefined) {
    try {
      version = createHash('sha256')
        .update(readFileSync(path.join(PUBLIC_DIR, url.replace(/^\/static\//, ''))))
        .digest('hex')
        .slice(0, 10);
    } catch {
      return url;
    }
    versions.set(url, version);
  }
  return `${url}?v=${version}`;
}

export const assetUrls = (urls: string[]) => urls.map(assetUrl);
