import { create } from 'express-handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MailMessage } from './mailer.js';

/** server/views/emails/<name>.hbs: a "Subject: …" line, a blank line, then the plain-text body. */
export const EMAILS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../views/emails');

/** Every subject ends with the site's name, written here once. */
const SUBJECT_SUFFIX = ' — EPN Finder';

/** What each e-mail needs; the template of the same name says it in words. */
export interface EmailData {
  'verify-email': { link: string };
  'account-exists': { loginUrl: string; resetUrl: string };
  /** `newAdmin`: the account was opened by the command line, nobody asked for a reset. */
  'set-password': { link: string; newAdmin: boolean };
  'sign-in-link': { link: string };
  'role-changed': { roleName: string };
  'claim-approved-automatically': { nom: string; spaceUrl: string };
  'claim-received': { nom: string };
  'claim-accepted': { nom: string; spaceUrl: string };
  'claim-rejected': { nom: string; reason: string | null };
  'claim-revoked': { nom: string; reason: string | null };
  'proposal-published': { nom: string; placeUrl: string; spaceUrl: string };
  'proposal-rejected': { nom: string; reason: string | null };
  'label-request-accepted': { adding: boolean; labelName: string; placeNom: string };
  'label-request-rejected': { adding: boolean; labelName: string; placeNom: string; reason: string | null };
  'report-accepted': { nom: string; reason: string | null };
  'report-rejected': { nom: string; reason: string | null };
}

export type EmailName = keyof EmailData;

// Plain text: nothing is HTML-escaped (a link's "&" or a name's apostrophe stay as they are);
// strict: a value missing from the data is an error, never an empty hole in a sent message.
// Partials are handed at each render, not registered: the Handlebars instance is the pages' one.
const { handlebars } = create();
const COMPILE_OPTIONS = { noEscape: true, strict: true };
const PARTIALS_DIR = path.join(EMAILS_DIR, 'partials');
const partials = Object.fromEntries(
  readdirSync(PARTIALS_DIR).map((file) => [
    path.basename(file, '.hbs'),
    handlebars.compile(readFileSync(path.join(PARTIALS_DIR, file), 'utf8'), COMPILE_OPTIONS),
  ]),
);

interface Compiled {
  subject: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
}
const compiled = new Map<EmailName, Compiled>();

function templateOf(name: EmailName): Compiled {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(path.join(EMAILS_DIR, `${name}.hbs`), 'utf8');
    const match = /^Subject: (.+)\n\n([\s\S]*)$/.exec(source);
    if (!match)
      throw new Error(`E-mail ${name} : la première ligne doit être « Subject: … », suivie d’une ligne vide.`);
    template = {
      subject: handlebars.compile(match[1], COMPILE_OPTIONS),
      text: handlebars.compile(match[2], COMPILE_OPTIONS),
    };
    compiled.set(name, template);
  }
  return template;
}

/** The subject and plain-text body of one e-mail. */
export function renderEmail<K extends EmailName>(name: K, data: EmailData[K]): { subject: string; text: string } {
  const template = templateOf(name);
  return {
    subject: `${template.subject(data, { partials })}${SUBJECT_SUFFIX}`,
    text: template.text(data, { partials }),
  };
}

/** A message ready for `mailer.send`; `link` is the one link the person must follow (logged in outbox mode). */
export function composeEmail<K extends EmailName>(to: string, name: K, data: EmailData[K], link?: string): MailMessage {
  return { to, ...renderEmail(name, data), ...(link ? { link } : {}) };
}
