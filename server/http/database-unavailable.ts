/**
 * Whether an error means "the database cannot serve now" (down, restarting, paused, saturated)
 * rather than a bug: such errors are answered 503 with Retry-After, and the same request succeeds
 * once the database is back. Errors pass through Knex and pg with their `code` kept and their
 * message prefixed by the SQL, hence codes first and messages matched by their ending.
 */
const UNAVAILABLE_CODES = new Set([
  // Node's socket errors: nothing listening, connection cut, host unreachable.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // PostgreSQL: shutting down, crashed, starting up, too many connections, out of resources.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53000',
  // A query cancelled by statement_timeout: the database is too slow to answer now.
  '57014',
]);

const UNAVAILABLE_MESSAGES = [
  /Timeout acquiring a connection/, // Knex: the pool stayed saturated for the whole acquire timeout.
  /Connection terminated/, // pg: the server closed the socket (killed, restarted) or connect timed out.
  /timeout expired$/, // pg: connectionTimeoutMillis.
  /Query read timeout$/, // pg: query_timeout, the server did not answer at all (paused host).
  /is not queryable/, // pg: a client whose connection already failed.
  /Connection ended unexpectedly/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // Connection exceptions are the whole SQLSTATE class 08.
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (error.name === 'KnexTimeoutError') return true;
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}
