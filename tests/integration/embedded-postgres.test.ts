import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { freePort } from '../support/server-process.js';

describe('the embedded PostgreSQL', () => {
  it('when a previous run left its server running on the folder, then a new start reuses it, no error', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'epn-embedded-'));
    await chmod(directory, 0o755);
    const port = await freePort();
    const first = await startEmbeddedPostgres({ directory: path.join(directory, 'pg'), port, databaseName: 'epn_a' });
    try {
      const second = await startEmbeddedPostgres({
        directory: path.join(directory, 'pg'),
        port,
        databaseName: 'epn_b',
      });
      const client = new pg.Client({ connectionString: second.connectionString });
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS name');
      await client.end();
      expect(rows[0].name).toBe('epn_b');
      await second.stop(); // not its server: must leave it running
      const again = new pg.Client({ connectionString: first.connectionString });
      await again.connect();
      await again.end();
    } finally {
      await first.stop();
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
