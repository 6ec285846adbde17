import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import etag from 'etag';

/** Pages weigh 10–30 kB: a few thousand of the most recently opened ones. */
const MAX_BYTES = 32 * 1024 * 1024;
/**
 * What the change log does not see (an article newly linked to a place, the label counts of the
 * filters) is shown again after a minute at most, as a shared cache would (the public Cache-Control
 * says a minute).
 */
const MAX_AGE_MS = 60_000;
/** Below this, a body travels as it is (compression()'s own threshold). */
const COMPRESS_FROM_BYTES = 1024;

/** The encodings a kept body is also kept in, made the first time a browser accepts one. */
export type KeptEncoding = 'br' | 'gzip';

/** A kept body as sent: the same for everyone when `etag` is set, and then in their encoding too. */
export interface KeptAnswer {
  body: Buffer | string;
  etag?: string;
  encoded?: (encoding: KeptEncoding) => Buffer;
}

// The settings compression() uses for a fresh answer (brotli quality 4, gzip's default level).
const ENCODERS: Record<KeptEncoding, (body: Buffer) => Buffer> = {
  br: (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
  gzip: (body) => gzipSync(body),
};

/**
 * The text's UTF-8 bytes in a buffer of their own: `Buffer.from` puts small texts in Node's shared
 * 8 kB pool, and one small part kept would keep its whole 8 kB block alive, uncounted.
 */
function ownBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

interface RememberedPage {
  /** Which state of the places (and which Paris day) it shows: see `find`. */
  key: string;
  /** Where it is kept in the memory. */
  address: string;
  /** The page's canonical address (a place page: other slugs redirect to it without a read). */
  path: string;
  /** The HTML around each visitor's form token. */
  parts: Buffer[];
  bytes: number;
  /**
   * The weak ETag Express would compute from the body, when it is the same for every visitor (no
   * token mark): computed once here, not hashed again at every answer (a map of France is ~70 kB).
   */
  etag?: string;
  /** The body compressed, made at the first browser that accepts it (then counted in the bound). */
  encodings: Partial<Record<KeptEncoding, Buffer>>;
  renderedAt: number;
  /** The next change of an open state it shows ("ouvert, ferme à 18 h"), or a minute. */
  validUntil: number;
}

/**
 * Pages as rendered for visitors who are not signed in (place pages, search pages), by address. A
 * page may hold a mark where each visitor's form token goes (the place page's "Signaler une erreur"
 * form: the token is made for the visitor's cookie, the rest of the page is the same for everyone).
 * A page opened again is then the HTML kept plus the visitor's token: no query, no template.
 *
 * One page per address, least recently opened forgotten first, within a bound in bytes. A page is
 * found only under the key it was kept with — the caller's: the version of the in-memory index once
 * it has applied every change committed before the request (a change to any place, label link or
 * label, through any instance, moves it) and the Paris day — and only until an open state it shows
 * changes or a minute has passed.
 */
export function createPageMemory(options: { maxBytes?: number; maxAgeMs?: number } = {}) {
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  const maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS;
  /** Random: no text of a place can contain it by chance, or on purpose. */
  const tokenMark = `csrf-${randomBytes(18).toString('base64url')}`;
  const pages = new Map<string, RememberedPage>();
  let bytes = 0;

  function forgetOldest() {
    for (const oldest of pages.keys()) {
      if (bytes <= maxBytes) break;
      forget(oldest);
    }
  }

  function forget(address: string) {
    const page = pages.get(address);
    if (!page) return;
    pages.delete(address);
    bytes -= page.bytes;
  }

  return {
    tokenMark,

    find(address: string, key: string, now: number): RememberedPage | undefined {
      const page = pages.get(address);
      if (!page) return undefined;
      // A clock set back (tests) is not "later": the page then says what it said at its time.
      if (page.key !== key || now < page.renderedAt || now >= page.validUntil) {
        forget(address);
        return undefined;
      }
      pages.delete(address); // most recently opened: last in the map's order
      pages.set(address, page);
      return page;
    },

    keep(address: string, page: { key: string; path: string; text: string; renderedAt: number; validUntil?: number }) {
      forget(address);
      const parts = page.text.split(tokenMark).map(ownBytes);
      // The address is kept too: counted, so that long addresses cannot hold more than the bound.
      const size = parts.reduce((sum, part) => sum + part.length, address.length);
      if (size > maxBytes) return;
      const validUntil = Math.min(page.renderedAt + maxAgeMs, page.validUntil ?? Infinity);
      pages.set(address, {
        address,
        key: page.key,
        path: page.path,
        parts,
        bytes: size,
        etag: parts.length === 1 ? etag(parts[0], { weak: true }) : undefined,
        encodings: {},
        renderedAt: page.renderedAt,
        validUntil,
      });
      bytes += size;
      forgetOldest();
    },

    /** A page just rendered with the mark, for one visitor: their own token where the mark was. */
    withToken(text: string, token: string): string {
      return text.split(tokenMark).join(token);
    },

    /** The page for one visitor: their own token where the mark was. */
    body(page: RememberedPage, token: string): Buffer {
      if (page.parts.length === 1) return page.parts[0];
      const between = Buffer.from(token);
      return Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [between, part])));
    },

    /**
     * The page as sent to a visitor: with their token; or, for a page the same for everyone, with
     * its ETag and its compressed twins (compression() leaves a body already encoded alone).
     */
    answer(page: RememberedPage, token: string): KeptAnswer {
      if (page.parts.length > 1 || page.etag === undefined) return { body: this.body(page, token) };
      const body = page.parts[0];
      if (body.length < COMPRESS_FROM_BYTES) return { body, etag: page.etag };
      const encoded = (encoding: KeptEncoding) => {
        let twin = page.encodings[encoding];
        if (!twin) {
          twin = page.encodings[encoding] = ENCODERS[encoding](body);
          page.bytes += twin.length;
          // Counted only while the page is still kept (it may have been forgotten meanwhile).
          if (pages.get(page.address) === page) {
            bytes += twin.length;
            forgetOldest();
          }
        }
        return twin;
      };
      return { body, etag: page.etag, encoded };
    },

    get size() {
      return { pages: pages.size, bytes };
    },
  };
}
