import { z } from 'zod';
import { ValidationError } from '../http/errors.js';
import type { SortMode, SortPosition } from './places.repository.js';

/** An opaque keyset cursor: the sort mode and the last row's (sort key, id). */
const cursorSchema = z.object({
  m: z.enum(['distance', 'relevance', 'name']),
  k: z.union([z.number(), z.string().max(300)]),
  i: z.number().int().positive(),
});

export function encodeCursor(mode: SortMode, position: SortPosition): string {
  return Buffer.from(JSON.stringify({ m: mode, k: position.key, i: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string, expectedMode: SortMode): SortPosition {
  const invalid = () =>
    new ValidationError([{ field: 'cursor', message: 'Curseur invalide ou qui ne correspond pas à cette recherche : reprenez depuis la première page.' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.m !== expectedMode) throw invalid();
  return { key: parsed.data.k, id: parsed.data.i };
}
