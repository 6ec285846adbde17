import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger.js';

/**
 * In production the session cookie is Secure, and express-session silently refuses to set it on a
 * request that does not look like HTTPS (req.secure). Behind a proxy on another machine that
 * TRUST_PROXY does not name, every request looks like plain HTTP: log-in answers 303 and sets no
 * cookie. Say it in the log, once, instead of failing in silence.
 */
export function warnOnInsecureRequests(logger: Logger): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    if (!warned && !req.secure) {
      warned = true;
      const forwarded = req.get('x-forwarded-proto');
      const ignored = forwarded
        ? ` (X-Forwarded-Proto : ${forwarded}, ignoré : ce proxy n’est pas dans TRUST_PROXY)`
        : '';
      logger.warn(
        `Requête reçue en HTTP simple${ignored} : ` +
          'en production le cookie de session est « Secure » et ne sera pas posé, la connexion échouera. ' +
          'Servez le site en HTTPS et déclarez le proxy qui termine HTTPS dans TRUST_PROXY.',
      );
    }
    next();
  };
}
