import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging/logger.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { AppError, NotFoundError, ServiceUnavailableError, ValidationError } from './errors.js';
import { redactUrl } from './redact.js';
import { requestLogOf } from './request-logger.js';

interface ErrorHandlerOptions {
  exposeStack: boolean;
  /** The process's logger; a request's own child logger (with its id, `requestLogOf`) is preferred. */
  logger: Logger;
}

const wantsProblemJson = (path: string) => path.startsWith('/api/') || path === '/api';

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/**
 * The one error handler: RFC 9457 problem+json under /api, an HTML page elsewhere.
 * Body-parser errors (malformed JSON, too large) are client errors, never a 500.
 */
export function createErrorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  // Express recognises an error handler by its four parameters, so `_next` stays though unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the arity is what makes it an error handler
  return (rawError, req, res, _next) => {
    const error = normalise(rawError);
    const log = requestLogOf(req, options.logger) ?? options.logger;
    if (error instanceof ServiceUnavailableError) {
      // Expected during an outage, one line per request: the cause without a stack trace.
      const cause = rawError instanceof Error ? rawError.message : String(rawError);
      log.warn({ cause }, `${req.method} ${redactUrl(req.originalUrl)} : ${error.message}`);
      res.set('Retry-After', String(error.retryAfterSeconds));
    } else if (error.status >= 500) {
      log.error({ err: rawError }, `${req.method} ${redactUrl(req.originalUrl)}`);
    }
    const problem = {
      type: `https://epn-finder.fr/problemes/${error.code}`,
      title: error.message,
      status: error.status,
      detail: error instanceof ValidationError ? describeFields(error) : error.message,
      instance: redactUrl(req.originalUrl),
      ...(error instanceof ValidationError ? { errors: error.fieldErrors } : {}),
      ...(options.exposeStack && error.status >= 500 && rawError instanceof Error ? { stack: rawError.stack } : {}),
    };
    res.status(error.status);
    if (wantsProblemJson(req.path) || !req.accepts('html')) {
      res.type('application/problem+json').send(JSON.stringify(problem));
      return;
    }
    res.render('pages/error', { title: error.message, problem, pageTitle: `Erreur ${error.status}` });
  };
}

function normalise(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return new ServiceUnavailableError();
  const withStatus = error as { status?: number; statusCode?: number } | null | undefined;
  const status = withStatus?.status ?? withStatus?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      return new ValidationError([{ field: '(corps)', message: 'Le corps de la requête n’est pas un JSON valide.' }]);
    }
    if (type === 'entity.too.large') return new AppError(413, 'too_large', 'La requête est trop volumineuse.');
    if (status === 415) {
      // A charset or Content-Encoding the parsers do not read (e.g. JSON in UTF-16).
      return new AppError(415, 'unsupported_media_type', 'Ce codage du contenu n’est pas accepté.');
    }
    return new AppError(status, 'bad_request', 'La requête n’est pas valide.');
  }
  return new AppError(500, 'internal_error', 'Une erreur inattendue est survenue. Réessayez dans un instant.');
}

function describeFields(error: ValidationError): string {
  return error.fieldErrors.map((item) => `${item.field} : ${item.message}`).join(' ; ');
}
