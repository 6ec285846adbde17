// The links of articles to labels and places (tables article_labels, article_places), owned by articles.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';

type Conn = Db | Knex.Transaction;

export interface ArticleLabel {
  articleId: number;
  id: number;
  slug: string;
  name: string;
}

export interface ArticlePlace {
  articleId: number;
  id: number;
  nom: string;
  commune: string;
  status: string;
}

/**
 * Two places merged into one (server/places/duplicates.service.ts): the articles that named the
 * merged-away place now name the kept one. Returns the articles whose link moved (for an undo).
 */
export async function movePlaceLinks(trx: Conn, fromId: number, toId: number): Promise<number[]> {
  const rows = await trx('article_places')
    .where('place_id', fromId)
    .select<{ article_id: string | number }[]>('article_id');
  const articleIds = rows.map((row) => Number(row.article_id));
  if (!articleIds.length) return [];
  await trx('article_places').where('place_id', fromId).delete();
  await trx('article_places')
    .insert(articleIds.map((articleId) => ({ article_id: articleId, place_id: toId })))
    .onConflict(['article_id', 'place_id'])
    .ignore();
  return articleIds;
}

/** Undoing a merge: those articles name the restored place again instead of the kept one. */
export async function movePlaceLinksBack(trx: Conn, articleIds: number[], fromId: number, toId: number): Promise<void> {
  if (!articleIds.length) return;
  await trx('article_places').where('place_id', fromId).whereIn('article_id', articleIds).delete();
  await trx('article_places')
    .insert(articleIds.map((articleId) => ({ article_id: articleId, place_id: toId })))
    .onConflict(['article_id', 'place_id'])
    .ignore();
}

export async function replaceLinks(db: Conn, articleId: number, labelIds: number[], placeIds: number[]): Promise<void> {
  await db('article_labels').where('article_id', articleId).delete();
  await db('article_places').where('article_id', articleId).delete();
  if (labelIds.length)
    await db('article_labels').insert(labelIds.map((labelId) => ({ article_id: articleId, label_id: labelId })));
  if (placeIds.length)
    await db('article_places').insert(placeIds.map((placeId) => ({ article_id: articleId, place_id: placeId })));
}

export async function labelsOfArticles(db: Conn, articleIds: number[]): Promise<ArticleLabel[]> {
  if (!articleIds.length) return [];
  const rows = await db('article_labels as al')
    .join('labels as l', 'l.id', 'al.label_id')
    .select<{ article_id: number; id: number; slug: string; name: string }[]>(
      'al.article_id',
      'l.id',
      'l.slug',
      'l.name',
    )
    .whereIn('al.article_id', articleIds)
    .orderBy('l.name');
  return rows.map((row) => ({
    articleId: row.article_id,
    id: row.id,
    slug: row.slug,
    name: row.name,
  }));
}

export async function placesOfArticles(db: Conn, articleIds: number[]): Promise<ArticlePlace[]> {
  if (!articleIds.length) return [];
  const rows = await db('article_places as ap')
    .join('places as p', 'p.id', 'ap.place_id')
    .select<{ article_id: number; id: number; nom: string; commune: string; status: string }[]>(
      'ap.article_id',
      'p.id',
      'p.nom',
      'p.commune',
      'p.status',
    )
    .whereIn('ap.article_id', articleIds)
    .orderBy('p.nom');
  return rows.map((row) => ({
    articleId: row.article_id,
    id: row.id,
    nom: row.nom,
    commune: row.commune,
    status: row.status,
  }));
}
