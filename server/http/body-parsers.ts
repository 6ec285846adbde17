import express, { type Request, type RequestHandler } from 'express';
import { AppError } from './errors.js';
import { onlyReads } from './request-kind.js';

/** JSON bodies (the API's clients, scripts): nothing legitimate comes near it. */
const JSON_BODY_LIMIT = '100kb';
/** Forms: an article's Markdown (up to 60,000 characters, accents percent-encoded) must fit. */
const FORM_BODY_LIMIT = '512kb';

const ACCEPTED_TYPES = ['application/json', 'application/x-www-form-urlencoded'];

class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super(415, 'unsupported_media_type', 'Ce type de contenu n’est pas accepté : envoyez un formulaire ou du JSON.');
  }
}

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * A write whose body is neither a form nor JSON (text, XML, multipart…) is refused with 415 here,
 * rather than reaching the routes as an empty body and being judged there on what is missing.
 */
const refuseOtherBodies =
  (multipartPaths: string[]): RequestHandler =>
  (req, _res, next) => {
    if (onlyReads(req.method) || !hasBody(req) || req.is(ACCEPTED_TYPES)) return next();
    // A form with a file, on a route that reads it itself (multipartBody, with its own limit).
    if (req.method === 'POST' && multipartPaths.includes(req.path) && req.is('multipart/form-data')) return next();
    next(new UnsupportedMediaTypeError());
  };

/**
 * The only body parsers, with their limits set here (a larger body: 413), then the 415 for the
 * other types (multipart only on `multipartPaths`, whose routes read it). Both answers go through
 * the one error handler: problem+json under /api, a page elsewhere.
 */
export function bodyParsers(options: { multipartPaths?: string[] } = {}): RequestHandler[] {
  return [
    express.json({ limit: JSON_BODY_LIMIT }),
    express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT }),
    refuseOtherBodies(options.multipartPaths ?? []),
  ];
}
