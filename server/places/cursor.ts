import { z } from 'zod';
import { ValidationError } from '../http/errors.js';
import type { SortMode, SortPosition } from './places.repository.js';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * An opaque keyset cursor: the sort mode and the last row's (sort key, id). Anyone can write one by
 * hand, so each mode's key is checked for the type its SQL compares it with: a text key on a distance
 * search reached PostgreSQL as `double precision > 'abc'` and came back as a 500 (issue 11).
 */
const cursorSchema = z.discriminatedUnion('m', [
  // The chord in metres from the searched point (the GiST index's `<->`).
  z.object({ m: z.literal('distance'), k: z.number().min(0), i: id }),
  // 1 − word_similarity, between 0 and 1.
  z.object({ m: z.literal('relevance'), k: z.number().min(0).max(1), i: id }),
  // lower(nom): text, which PostgreSQL cannot hold with a NUL byte.
  z.object({
    m: z.literal('name'),
    k: z
      .string()
      .max(300)
      .refine((key) => !key.includes('\u0000')),
    i: id,
  }),
]);

export function encodeCursor(mode: SortMode, position: SortPosition): string {
  return Buffer.from(JSON.stringify({ m: mode, k: position.key, i: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string, expectedMode: SortMode): SortPosition {
  const invalid = () =>
    new ValidationError([
      {
        field: 'cursor',
        message: 'Curseur invalide ou qui ne correspond pas à cette recherche : reprenez depuis la première page.',
      },
    ]);
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
