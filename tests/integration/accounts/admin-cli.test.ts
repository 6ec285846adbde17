import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { createUser } from '../../support/session.js';

const run = promisify(execFile);

describe('npm run admin:create -- email', () => {
  const { db } = createTestContext();

  async function adminCreate(email: string, env: Record<string, string> = {}) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'epn-cli-'));
    const inherited = { ...process.env };
    delete inherited.PUBLIC_BASE_URL;
    const result = await run('node_modules/.bin/tsx', ['server/accounts/admin-cli.ts', email], {
      env: {
        ...inherited,
        DATABASE_URL: inject('databaseUrl'),
        DATA_DIR: dataDir,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        ...env,
      },
    });
    const outbox = await readdir(path.join(dataDir, 'outbox'));
    await rm(dataDir, { recursive: true, force: true });
    return { ...result, outbox };
  }

  it('when the address is new, then an admin account is created and a set-password link is e-mailed', async () => {
    const email = `premiere-admin-${Date.now()}@exemple.test`;
    const { stdout, outbox } = await adminCreate(email);
    expect(stdout).toContain('Compte d’administration créé');
    expect(outbox).toHaveLength(1);
    const user = await db('users').where({ email }).first();
    expect(user).toMatchObject({ role: 'admin', password_hash: null });
    expect(await db('account_tokens').where({ user_id: user.id, purpose: 'reset_password' }).first()).toBeTruthy();
  }, 60_000);

  it('when the account exists, then it is promoted', async () => {
    const existing = await createUser(db);
    const { stdout } = await adminCreate(existing.email);
    expect(stdout).toContain('est maintenant administrateur');
    expect((await db('users').where({ id: existing.id }).first()).role).toBe('admin');
  }, 60_000);

  const whenPUBLICBASEURLGiven =
    'when PUBLIC_BASE_URL is given, as for the server, ' +
    'then the e-mailed link uses it; without it, the command warns that the link is local';
  it(
    whenPUBLICBASEURLGiven,
    async () => {
      const online = await adminCreate(`admin-en-ligne-${Date.now()}@exemple.test`, {
        PUBLIC_BASE_URL: 'https://epn.exemple.org',
      });
      expect(online.stdout).toContain('https://epn.exemple.org/mot-de-passe/nouveau?jeton=');
      expect(online.stdout).not.toContain('localhost');
      const local = await adminCreate(`admin-local-${Date.now()}@exemple.test`);
      expect(local.stdout).toContain('http://localhost:3000/mot-de-passe/nouveau?jeton=');
      expect(local.stdout).toContain('Attention : le lien pointe vers http://localhost:3000');
    },
    60_000,
  );

  it('when the address is missing or wrong, then it says how to use it', async () => {
    await expect(
      run('node_modules/.bin/tsx', ['server/accounts/admin-cli.ts', 'pas-une-adresse'], {
        env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      }),
    ).rejects.toMatchObject({ code: 2 });
  });
});
