import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The first link with a token in the last e-mail written to `outbox` for `to`, decoded (quoted-printable). */
export async function linkFromOutbox(outbox: string, to: string): Promise<string> {
  // E-mails are written just after the page answers (the same work whether or not an account exists):
  // wait for this one a little.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const files = (await readdir(outbox).catch(() => [] as string[])).sort().reverse();
    for (const file of files) {
      const raw = await readFile(path.join(outbox, file), 'utf8');
      if (!raw.includes(`To: ${to}`)) continue;
      const decoded = raw
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      const link = /https?:\/\/\S+jeton=[A-Za-z0-9_-]+/.exec(decoded);
      if (link) return link[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`aucun e-mail pour ${to} dans ${outbox}`);
}
