import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveChromium } from '../support/chromium.js';

describe('which Chromium the browser tests drive', () => {
  let dir = '';
  let onPath = '';
  let explicit = '';
  const bundled = () => Promise.resolve('/cache/epn-finder-chromium/143/chromium');
  const noSystem = { systemCandidates: [], unpackBundled: bundled };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'epn-chromium-resolution-'));
    onPath = path.join(dir, 'bin');
    explicit = path.join(dir, 'my-chromium');
    await writeFile(explicit, '#!/bin/sh\n');
    await chmod(explicit, 0o755);
    await mkdir(onPath);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('when CHROMIUM_PATH names a runnable file, then that one, before any system browser', async () => {
    const found = await resolveChromium(
      { CHROMIUM_PATH: explicit, PATH: onPath },
      { systemCandidates: ['/bin/sh'], unpackBundled: bundled },
    );
    expect(found).toEqual({ executablePath: explicit, source: 'CHROMIUM_PATH' });
  });

  it('when CHROMIUM_PATH names nothing runnable, then the run stops, naming it (no silent fallback)', async () => {
    await expect(resolveChromium({ CHROMIUM_PATH: path.join(dir, 'absent') }, noSystem)).rejects.toThrow(
      /CHROMIUM_PATH=.*absent/,
    );
  });

  it('when the system has a Chromium, then the system one', async () => {
    expect(await resolveChromium({}, { systemCandidates: [explicit], unpackBundled: bundled })).toEqual({
      executablePath: explicit,
      source: 'system',
    });
  });

  it('when `chromium` is on PATH, then that one', async () => {
    const chromium = path.join(onPath, 'chromium');
    await writeFile(chromium, '#!/bin/sh\n');
    await chmod(chromium, 0o755);
    try {
      expect(await resolveChromium({ PATH: `/nowhere${path.delimiter}${onPath}` }, noSystem)).toEqual({
        executablePath: chromium,
        source: 'system',
      });
    } finally {
      await rm(chromium);
    }
  });

  it('when there is no system browser, then the one inside @sparticuz/chromium', async () => {
    expect(await resolveChromium({ PATH: onPath }, noSystem)).toEqual({
      executablePath: await bundled(),
      source: '@sparticuz/chromium',
    });
  });

  it('when CHROMIUM_PATH=@sparticuz/chromium, then the bundled one even though the system has one', async () => {
    const found = await resolveChromium(
      { CHROMIUM_PATH: '@sparticuz/chromium' },
      { systemCandidates: [explicit], unpackBundled: bundled },
    );
    expect(found.source).toBe('@sparticuz/chromium');
  });
});
