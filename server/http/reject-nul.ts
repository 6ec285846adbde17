import type { RequestHandler } from 'express';
import { ValidationError } from './errors.js';

const MESSAGE = 'Ce champ contient un caractère invisible interdit (octet nul).';

function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findNul(item, path);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
      const found = findNul(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000: a NUL byte typed or forged into any query string, path or body
 * would end as a 500. It is refused here, once for every route, as a 400 naming the field.
 */
export const rejectNulBytes: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.path) || req.path.includes('\u0000')) {
    next(new ValidationError([{ field: '(adresse de la page)', message: MESSAGE }]));
    return;
  }
  const field = findNul(req.query, '') ?? findNul(req.body, '');
  next(field ? new ValidationError([{ field, message: MESSAGE }]) : undefined);
};
