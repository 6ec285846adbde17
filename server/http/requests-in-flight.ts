import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/** Probes must see the live state, and pages their styles and scripts: never turned away here. */
const neverShed = (path: string) => path === '/healthz' || path === '/readyz' || path.startsWith('/static/');

const MESSAGE = 'Le service reçoit trop de demandes à la fois. Réessayez dans un instant.';
const PROBLEM = JSON.stringify({
  type: 'about:blank',
  title: 'Service momentanément indisponible',
  status: 503,
  detail: MESSAGE,
});
const PAGE =
  '<!doctype html><html lang="fr"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<title>Service momentanément indisponible — EPN Finder</title></head>' +
  `<body><main><h1>Service momentanément indisponible</h1><p>${MESSAGE}</p></main></body></html>`;
const REPORT_EVERY_MS = 10_000;

/**
 * The answer to a read turned away, written at once: no template, no error handler, no log line of
 * its own. Under twice the load an instance can serve, these answers are most of the requests, and
 * the full error path (rendering, a log line each) took the CPU the served requests needed.
 */
function sendOverloaded(req: IncomingMessage, res: ServerResponse) {
  const api = req.url?.startsWith('/api/') ?? false;
  const body = api ? PROBLEM : PAGE;
  res.writeHead(503, {
    'Retry-After': '1',
    'Cache-Control': 'no-store',
    'Content-Type': api ? 'application/problem+json; charset=utf-8' : 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': "default-src 'none'",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * A bound on the requests one instance works on at once (not yet answered). Past `max`, a new read (GET, HEAD) is
 * answered 503 with `Retry-After: 1` at once instead of joining a queue that only grows: offered
 * twice what it can serve, an instance otherwise answers everything, later and later. Writes (a
 * mediator's form, an import) are counted but never turned away: nothing typed is lost. Reads turned
 * away are logged as one count every ten seconds, not one line each.
 */
export function limitRequestsInFlight(max: number, log: (message: string) => void): RequestHandler {
  let inFlight = 0;
  let turnedAway = 0;
  const report = setInterval(() => {
    if (turnedAway === 0) return;
    log(
      `Surcharge : ${turnedAway} lectures refusées (503) en ${REPORT_EVERY_MS / 1000} s, ` +
        `${max} requêtes au plus à la fois.`,
    );
    turnedAway = 0;
  }, REPORT_EVERY_MS);
  report.unref();
  return (req, res, next) => {
    if (neverShed(req.path)) return next();
    if ((req.method === 'GET' || req.method === 'HEAD') && inFlight >= max) {
      turnedAway++;
      return sendOverloaded(req, res);
    }
    inFlight++;
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      inFlight--;
    };
    // A request counts until its answer starts: an export streamed to a slow reader afterwards is
    // paced by that reader, not by this instance (64 such downloads must not turn every read away).
    // Node writes every answer's head through writeHead, explicit or not.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
    res.writeHead = ((...args: unknown[]) => {
      release();
      return writeHead(...args);
    }) as typeof res.writeHead;
    // A client that leaves before any answer: 'close'. A streamed export already has ten 'close'
    // listeners by design (logger, query cancelling, pipeline…): one more is not a leak.
    res.setMaxListeners(Math.max(res.getMaxListeners(), 16));
    res.once('close', release);
    next();
  };
}
