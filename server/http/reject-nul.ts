import type { RequestHandler } from 'express';
import { ValidationError } from './errors.js';

const MESSAGE = 'Ce champ contient un caractère invisible interdit (octet nul).';

/**
 * The path of the first string or key holding U+0000, or null. The walk keeps its own stack instead
 * of recursing: a JSON body nested 40,000 levels deep (well under the size limit) overflowed the call
 * stack here, before authentication (issue 11). Arrays keep their parent's path, as before.
 */
function findNul(root: unknown): string | null {
  const pending: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], path });
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      for (const [key] of entries) if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i];
        pending.push({ value: item, path: path ? `${path}.${key}` : key });
      }
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
  const field = findNul(req.query) ?? findNul(req.body);
  next(field ? new ValidationError([{ field, message: MESSAGE }]) : undefined);
};
