import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_DIR } from '../../../server/app.js';
import { MAX_REMEMBERED_LOOKUPS, precompressedStatic } from '../../../server/http/precompressed.js';

// As in production: the lookups of .br/.gz twins are remembered (maxAge > 0).
describe('the memory of precompressed lookups stays bounded', () => {
  const precompressed = precompressedStatic(PUBLIC_DIR, { maxAge: 7 * 86_400_000 });
  const app = express().use('/static', precompressed, express.static(PUBLIC_DIR));
  let server: Server;
  // fetch keeps connections alive: 5,000 requests take a few seconds, not half a minute.
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, {
      headers: { 'Accept-Encoding': 'br' },
    });
    await res.arrayBuffer();
    return res.status;
  };
  beforeAll(async () => {
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('when a real built file is asked for, then its lookup is remembered', async () => {
    expect(await get('/static/build/search.js')).toBe(200);
    expect(precompressed.cachedPaths()).toBe(1);
  });

  it('when 5,000 made-up static paths are asked for, then none is remembered and all are 404', async () => {
    const statuses = new Set<number>();
    for (let batch = 0; batch < 100; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => get(`/static/build/made-up-${batch}-${i}.js`)),
      );
      for (const status of answers) statuses.add(status);
    }
    expect([...statuses]).toEqual([404]);
    expect(precompressed.cachedPaths()).toBeLessThanOrEqual(1);
    expect(precompressed.cachedPaths()).toBeLessThanOrEqual(MAX_REMEMBERED_LOOKUPS);
  });
});
