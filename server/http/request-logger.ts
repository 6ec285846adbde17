import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logging/logger.js';
import { redactUrl } from './redact.js';

const REQUEST_ID_HEADER = 'X-Request-Id';

/** A proxy's id is kept (one id across the proxy's and our logs) when it looks like an id. */
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * One JSON line per request once it is answered: { reqId, req: { method, path }, res: { status },
 * durationMs }. No headers, no body, no query secrets (`redactUrl`): nothing to leak by construction.
 * `req.log` is a child logger carrying the request id, for the error handler.
 */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    customAttributeKeys: { reqId: 'reqId', responseTime: 'durationMs' },
    quietReqLogger: true,
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method ?? ''} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method ?? ''} ${res.statusCode}`,
  });
}
