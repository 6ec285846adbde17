import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { createMailer } from '../../../server/mail/mailer.js';

describe('e-mail without SMTP: the outbox', () => {
  const whenNoSmtpUrlSet =
    'when no SMTP_URL is set, ' +
    'then the message is an .eml file in DATA_DIR/outbox and its link is logged outside production';
  it(whenNoSmtpUrlSet, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'epn-outbox-'));
    const logs: string[] = [];
    const mailer = createMailer(loadConfig({ NODE_ENV: 'development', DATA_DIR: dir }), (m) => logs.push(m));
    await mailer.send({
      to: 'a@exemple.test',
      subject: 'Confirmez',
      text: 'Lien : http://x.test/compte/verifier?jeton=abc',
      link: 'http://x.test/compte/verifier?jeton=abc',
    });
    const files = await readdir(path.join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    const eml = await readFile(path.join(dir, 'outbox', files[0]), 'utf8');
    expect(eml).toContain('To: a@exemple.test');
    expect(eml).toContain('Subject: Confirmez');
    expect(logs.join('\n')).toContain('http://x.test/compte/verifier?jeton=abc');
    await rm(dir, { recursive: true, force: true });
  });

  it('when in production without SMTP, then only the file name is logged, never the one-time link', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'epn-outbox-'));
    const logs: string[] = [];
    const mailer = createMailer(
      loadConfig({ NODE_ENV: 'production', DATA_DIR: dir, SESSION_SECRET: 'x'.repeat(40) }),
      (m) => logs.push(m),
    );
    await mailer.send({
      to: 'a@exemple.test',
      subject: 'Reset',
      text: 'jeton=secret123',
      link: 'http://x.test/?jeton=secret123',
    });
    expect(logs.join('\n')).not.toContain('secret123');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('session secret', () => {
  it('when in production without SESSION_SECRET, then the configuration refuses to start, naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'court' })).toThrow(/SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: 'development' }).SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
  });
});
