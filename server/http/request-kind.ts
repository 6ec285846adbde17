/**
 * What several layers ask of a request before any route: does it only read, and does it hold a
 * session (the session middleware, the cache policy, CSRF, the body parsers; server/db/read-routing.ts,
 * below http, keeps its own list of read methods).
 */

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** GET, HEAD and OPTIONS: they change nothing, carry no body, and are never checked for CSRF. */
export const onlyReads = (method: string): boolean => READ_METHODS.has(method);

/** The session cookie's name (express-session's `name`). */
export const SESSION_COOKIE = 'epn.sid';

const SESSION_COOKIE_IN_HEADER = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE.replaceAll('.', '\\.')}=`);

/** Whether a Cookie header holds the session cookie (signed in, or was: the session may have expired). */
export const holdsSessionCookie = (cookieHeader: string | undefined): boolean =>
  cookieHeader !== undefined && SESSION_COOKIE_IN_HEADER.test(cookieHeader);
