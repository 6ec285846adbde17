import { randomBytes } from 'node:crypto';

/** Place pages weigh 10–20 kB: ~2,000 of the most recently opened ones. */
const MAX_BYTES = 32 * 1024 * 1024;
/**
 * A label renamed or an article newly linked to the place changes no place row: after a minute the
 * page is rendered again anyway, as a shared cache would (the page's public Cache-Control says a minute).
 */
const MAX_AGE_MS = 60_000;

interface RememberedPage {
  /** Which state of the places (and which Paris day) it shows: see `find`. */
  key: string;
  /** The page's canonical address, to redirect other slugs without reading the place. */
  path: string;
  /** The HTML around each visitor's form token. */
  parts: Buffer[];
  bytes: number;
  renderedAt: number;
  /** The next change of its open state ("ouvert, ferme à 18 h"), or a minute. */
  validUntil: number;
}

/**
 * Place pages as rendered for visitors who are not signed in, with a mark where each one's form
 * token goes (the "Signaler une erreur" form; the token is made for the visitor's cookie, the rest
 * of the page is the same for everyone). A page opened again is then the HTML kept plus the
 * visitor's token: no query, no template.
 *
 * One page per place, least recently opened forgotten first, within a bound in bytes. A page is
 * found only under the key it was kept with — the version of the in-memory index once it has applied
 * every change committed before the request (a change to any place or label link, through any
 * instance, changes it) and the Paris day (the week's table starts today) — and only until its open
 * state changes or a minute has passed.
 */
export function createPlacePageMemory(options: { maxBytes?: number; maxAgeMs?: number } = {}) {
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  const maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS;
  /** Random: no text of a place can contain it by chance, or on purpose. */
  const tokenMark = `csrf-${randomBytes(18).toString('base64url')}`;
  const pages = new Map<number, RememberedPage>();
  let bytes = 0;

  function forget(id: number) {
    const page = pages.get(id);
    if (!page) return;
    pages.delete(id);
    bytes -= page.bytes;
  }

  return {
    tokenMark,

    find(id: number, key: string, now: number): RememberedPage | undefined {
      const page = pages.get(id);
      if (!page) return undefined;
      // A clock set back (tests) is not "later": the page then says what it said at its time.
      if (page.key !== key || now < page.renderedAt || now >= page.validUntil) {
        forget(id);
        return undefined;
      }
      pages.delete(id); // most recently opened: last in the map's order
      pages.set(id, page);
      return page;
    },

    keep(id: number, page: { key: string; path: string; html: string; renderedAt: number; validUntil?: number }) {
      forget(id);
      const parts = page.html.split(tokenMark).map((part) => Buffer.from(part));
      const size = parts.reduce((sum, part) => sum + part.length, 0);
      if (size > maxBytes) return;
      const validUntil = Math.min(page.renderedAt + maxAgeMs, page.validUntil ?? Infinity);
      pages.set(id, { key: page.key, path: page.path, parts, bytes: size, renderedAt: page.renderedAt, validUntil });
      bytes += size;
      for (const oldest of pages.keys()) {
        if (bytes <= maxBytes) break;
        forget(oldest);
      }
    },

    /** The page for one visitor: their own token where the mark was. */
    html(page: RememberedPage, token: string): Buffer {
      if (page.parts.length === 1) return page.parts[0];
      const between = Buffer.from(token);
      return Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [between, part])));
    },

    get size() {
      return { pages: pages.size, bytes };
    },
  };
}
