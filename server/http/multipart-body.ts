import type { RequestHandler } from 'express';
import { AppError } from './errors.js';

/** A file sent through a plain HTML form (`<input type="file">`): its name as given and its bytes. */
export interface UploadedFile {
  fileName: string;
  bytes: Uint8Array;
}

class UploadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(
      413,
      'too_large',
      `Le fichier est trop volumineux : ${Math.round(maxBytes / 1024 / 1024)} Mo au plus. ` +
        'Découpez-le ou utilisez la commande npm run import.',
    );
  }
}

/** How far past the limit a refused body is still read (to answer it) before the connection is cut. */
const DRAIN_FACTOR = 5;

class MalformedUploadError extends AppError {
  constructor() {
    super(400, 'malformed_upload', 'L’envoi du fichier n’a pas pu être lu : choisissez le fichier et réessayez.');
  }
}

/**
 * A multipart/form-data body (a form with a file), read whole into memory up to `maxBytes` — a larger
 * body is dropped as it comes and refused with 413 at its end — then parsed by the platform's own
 * FormData reader (no dependency). Text fields land in `req.body`, files as UploadedFile values.
 * Mounted only on the routes that take a file (the other bodies are refused with 415 by bodyParsers).
 */
export function multipartBody(options: { maxBytes: number }): RequestHandler {
  return (req, _res, next) => {
    if (!req.is('multipart/form-data')) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    let tooLarge = false;
    /**
     * A body over the limit is still read to its end, and dropped, before the 413 goes out: answered
     * mid-upload, the connection closes while the browser is still sending, and the person sees
     * "connection reset" instead of the message. Past DRAIN_AT_MOST, the connection is cut.
     */
    const refuse = () => {
      failed = true;
      tooLarge = true;
      chunks.length = 0;
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) refuse();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge) {
        if (size > options.maxBytes * DRAIN_FACTOR) req.destroy();
        return;
      }
      if (failed) return;
      if (size > options.maxBytes) {
        refuse();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => {
      if (failed) return;
      failed = true;
      next(error);
    });
    req.on('end', () => {
      if (tooLarge) return next(new UploadTooLargeError(options.maxBytes));
      if (failed) return;
      const body = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      new Response(body, { headers: { 'content-type': contentType } })
        .formData()
        .then(async (form) => {
          const fields: Record<string, string | UploadedFile> = {};
          for (const [name, value] of form.entries()) {
            if (typeof value === 'string') fields[name] = value;
            else if (value.size > 0 || value.name)
              fields[name] = { fileName: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
          }
          req.body = fields;
          next();
        })
        .catch(() => next(new MalformedUploadError()));
    });
  };
}
