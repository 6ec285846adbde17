import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { createDb } from '../../server/db/knex.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { seedLabels } from '../../seeds/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let embedded: EmbeddedDatabase | undefined;
let directory: string | undefined;

/** One real PostgreSQL for the run: DATABASE_URL when set, else an embedded one in a temp folder. */
export async function setup(project: TestProject) {
  // The compiled server (dist/), built once before any test file: the tests that start it or its
  // programs run in parallel, and a build in one of them would delete dist/ under another's server.
  // --if-stale: a nested run (tests/integration/test-command.test.ts) finds it built and leaves it alone.
  const buildScript = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'scripts',
    'build-server.mjs',
  );
  execFileSync(process.execPath, [buildScript, '--if-stale'], { stdio: 'ignore' });
  let url = process.env.DATABASE_URL;
  if (!url) {
    directory = await mkdtemp(path.join(os.tmpdir(), 'epn-test-pg-'));
    // PostgreSQL runs as the unprivileged postgres user when we are root: it must reach the folder.
    await chmod(directory, 0o755);
    embedded = await startEmbeddedPostgres({
      directory: path.join(directory, 'data'),
      port: await freePort(),
      databaseName: 'epn_test',
    });
    url = embedded.connectionString;
  }
  const db = createDb(url);
  await migrateToLatest(db);
  // Reference data every feature relies on (labels of the standard); never sample places.
  await seedLabels(db);
  await db.destroy();
  project.provide('databaseUrl', url);
}

export async function teardown() {
  await embedded?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
}
