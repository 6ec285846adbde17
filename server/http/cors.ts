import type { RequestHandler } from 'express';

/**
 * The open API is read by other maps and sites from their own pages: any origin may GET it.
 * No cookie is ever sent or honoured cross-origin (no Allow-Credentials), so this opens no write path.
 */
export const openApiCors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Accept, Content-Type');
    res.setHeader('Access-Control-Max-Age', '86400');
    res.status(204).end();
    return;
  }
  next();
};
