import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The one link the person must follow (verification, reset…): logged in outbox mode. */
  link?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * SMTP when SMTP_URL is set; otherwise every message becomes an .eml file in DATA_DIR/outbox and,
 * outside production, its link is logged, so that someone running the site locally can complete
 * every flow (sign-up, reset…) without a mail server. In production without SMTP only the file
 * name is logged: one-time links never reach production logs.
 */
export function createMailer(config: Config, log: (message: string) => void = () => {}): Mailer {
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    return {
      async send(message) {
        await transport.sendMail({
          from: config.MAIL_FROM,
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
      },
    };
  }
  return createOutboxMailer(path.join(config.DATA_DIR, 'outbox'), config.MAIL_FROM, (file, message) => {
    log(`E-mail écrit dans ${file}`);
    if (config.NODE_ENV !== 'production' && message.link) log(`  lien pour ${message.to} : ${message.link}`);
  });
}

export function createOutboxMailer(
  directory: string,
  from: string,
  onWritten: (file: string, message: MailMessage) => void = () => {},
): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
      await mkdir(directory, { recursive: true });
      const file = path.join(
        directory,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`,
      );
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      onWritten(file, message);
    },
  };
}

/** Keeps messages in memory: tests read them without touching the disk. */
export function createMemoryMailer(): Mailer & {
  messages: MailMessage[];
  lastTo(email: string): MailMessage | undefined;
} {
  const messages: MailMessage[] = [];
  return {
    messages,
    send(message) {
      messages.push(message);
      return Promise.resolve();
    },
    lastTo(email) {
      return [...messages].reverse().find((m) => m.to.toLowerCase() === email.toLowerCase());
    },
  };
}
