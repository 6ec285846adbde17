/**
 * `npm run admin:create -- someone@example.org`: creates the first admin (or promotes an existing
 * account) and e-mails a one-time link to choose the password (outbox or SMTP, as the site does).
 */
import { loadConfig, ConfigError } from '../config.js';
import { openDatabase } from '../database.js';
import { createMailer } from '../mail/mailer.js';
import { createSilentLogger } from '../logging/logger.js';
import { createAccountsService } from './accounts.service.js';
import pg from 'pg';
import { z } from 'zod';

/** A command-line tool answers the person at the terminal in plain lines, not in the server's JSON log. */
const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

const isLocal = (url: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

async function main() {
  const email = z.email().safeParse(process.argv[2]?.trim().toLowerCase());
  if (!email.success) {
    complain('Usage : npm run admin:create -- adresse@exemple.fr');
    process.exit(2);
  }
  let config = loadConfig();
  if (!config.DATABASE_URL) {
    // The site may be running with its embedded PostgreSQL: use it rather than starting a second one.
    const url = `postgres://postgres:epn-local-only@127.0.0.1:${config.EMBEDDED_PG_PORT}/epn_finder`;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    const running = await client.connect().then(
      () => true,
      () => false,
    );
    await client.end().catch(() => {});
    if (running) config = loadConfig({ ...process.env, DATABASE_URL: url });
  }
  const database = await openDatabase(config, createSilentLogger());
  try {
    const mailer = createMailer(config, say);
    const accounts = createAccountsService({
      db: database.db,
      clock: { now: () => new Date() },
      mailer,
      publicBaseUrl: config.PUBLIC_BASE_URL,
    });
    const { created } = await accounts.createAdmin(email.data);
    say(
      created
        ? `Compte d’administration créé pour ${email.data}.`
        : `${email.data} est maintenant administrateur·rice.`,
    );
    say(`Un lien pour choisir le mot de passe a été envoyé (valable une heure), vers ${config.PUBLIC_BASE_URL}.`);
    if (isLocal(config.PUBLIC_BASE_URL)) {
      say(
        `Attention : le lien pointe vers ${config.PUBLIC_BASE_URL} (PUBLIC_BASE_URL). ` +
          'Si le site est en ligne, relancez avec ' +
          'la même PUBLIC_BASE_URL que le serveur, par exemple : PUBLIC_BASE_URL=https://epn-finder.fr npm run admin:create -- adresse@exemple.fr',
      );
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  complain(error instanceof ConfigError ? error.message : String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
