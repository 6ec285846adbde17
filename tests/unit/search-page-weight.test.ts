import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SEARCH_PAGE_ASSETS } from '../../server/search/search.routes.js';

// `npm test` builds the client first; bench/page-weight.ts reports the same figure in detail.
describe('the search page weight', () => {
  const files = ['/static/css/site.css', ...SEARCH_PAGE_ASSETS.stylesheets, ...SEARCH_PAGE_ASSETS.scripts].map(
    (url) => `public/${url.replace('/static/', '')}`,
  );

  it.runIf(files.every((file) => existsSync(file)))(
    'when built, then its JavaScript and CSS weigh at most 120 KB gzipped',
    () => {
      const total = files.reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0);
      expect(total).toBeLessThanOrEqual(120 * 1024);
    },
  );
});
