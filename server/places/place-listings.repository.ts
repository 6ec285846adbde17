import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';

type Conn = Db | Knex.Transaction;

/** Which of these ids are places (an article links only to places that exist). */
export async function existingPlaceIds(db: Conn, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db('places').select<{ id: number }[]>('id').whereIn('id', ids);
  return new Set(rows.map((row) => row.id));
}

/** For the sitemap: published places in id order, one chunk at a time (`offset`, `limit`). */
export async function publishedPlacesForSitemap(
  db: Conn,
  chunk: { offset: number; limit: number },
): Promise<{ id: number; nom: string; updatedAt: Date }[]> {
  const rows = await db('places')
    .select<{ id: number; nom: string; updated_at: Date }[]>('id', 'nom', 'updated_at')
    .where('status', 'published')
    .orderBy('id')
    .offset(chunk.offset)
    .limit(chunk.limit);
  return rows.map((row) => ({ id: row.id, nom: row.nom, updatedAt: row.updated_at }));
}

export async function countPublishedPlaces(db: Conn): Promise<number> {
  const [row] = await db('places').where('status', 'published').count<{ count: string | number }[]>('* as count');
  return Number(row.count);
}
