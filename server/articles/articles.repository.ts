import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { camelize } from '../db/rows.js';
import type { ArticleStatus } from './articles.schemas.js';

type Conn = Db | Knex.Transaction;

export interface Article {
  id: number;
  slug: string;
  title: string;
  bodyMarkdown: string;
  teaser: boolean;
  tags: string[];
  services: string[];
  status: ArticleStatus;
  publishedAt: Date | null;
  position: number;
  seedKey: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

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

const COLUMNS = [
  'id', 'slug', 'title', 'body_markdown', 'teaser', 'tags', 'services', 'status', 'published_at', 'position',
  'seed_key', 'version', 'created_at', 'updated_at',
].map((c) => `a.${c}`);

const toArticle = (row: Record<string, unknown>) => camelize(row) as unknown as Article;

export interface ListCriteria {
  status?: ArticleStatus;
  tag?: string;
  limit: number;
  offset: number;
}

function applyList(query: Knex.QueryBuilder, criteria: Omit<ListCriteria, 'limit' | 'offset'>) {
  if (criteria.status) query.where('a.status', criteria.status);
  if (criteria.tag) query.whereRaw('a.tags @> ARRAY[?]::text[]', [criteria.tag]);
  return query;
}

export async function listArticles(db: Conn, criteria: ListCriteria): Promise<Article[]> {
  const query = db('articles as a').select(COLUMNS);
  applyList(query, criteria);
  const rows = await query.orderBy([{ column: 'a.position' }, { column: 'a.id', order: 'desc' }]).limit(criteria.limit).offset(criteria.offset);
  return rows.map(toArticle);
}

export async function countArticles(db: Conn, criteria: Omit<ListCriteria, 'limit' | 'offset'>): Promise<number> {
  const query = db('articles as a').count<{ count: number }[]>('* as count');
  applyList(query, criteria);
  const [row] = await query;
  return Number(row.count);
}

export async function findArticleBySlug(db: Conn, slug: string): Promise<Article | undefined> {
  const row = await db('articles as a').select(COLUMNS).where('a.slug', slug).first();
  return row ? toArticle(row) : undefined;
}

export async function findArticleById(db: Conn, id: number): Promise<Article | undefined> {
  const row = await db('articles as a').select(COLUMNS).where('a.id', id).first();
  return row ? toArticle(row) : undefined;
}

export async function findArticleBySeedKey(db: Conn, seedKey: string): Promise<Article | undefined> {
  const row = await db('articles as a').select(COLUMNS).where('a.seed_key', seedKey).first();
  return row ? toArticle(row) : undefined;
}

/** The article an old slug now points to. */
export async function findRedirect(db: Conn, oldSlug: string): Promise<{ articleId: number } | undefined> {
  const row = await db('article_slug_redirects').select('article_id').where('old_slug', oldSlug).first();
  return row ? { articleId: Number(row.article_id) } : undefined;
}

export async function addRedirect(db: Conn, oldSlug: string, articleId: number): Promise<void> {
  await db('article_slug_redirects').insert({ old_slug: oldSlug, article_id: articleId }).onConflict('old_slug').merge();
}

export async function removeRedirect(db: Conn, oldSlug: string): Promise<void> {
  await db('article_slug_redirects').where('old_slug', oldSlug).delete();
}

export async function smallestPosition(db: Conn): Promise<number | null> {
  const row = await db('articles').min<{ min: number | null }>('position as min').first();
  return row?.min ?? null;
}

export interface ArticleRow {
  slug: string;
  title: string;
  bodyMarkdown: string;
  teaser: boolean;
  tags: string[];
  services: string[];
  status: ArticleStatus;
  publishedAt: Date | string | null;
  position: number;
  seedKey?: string | null;
}

const toColumns = (row: Partial<ArticleRow>) =>
  Object.fromEntries(
    Object.entries({
      slug: row.slug,
      title: row.title,
      body_markdown: row.bodyMarkdown,
      teaser: row.teaser,
      tags: row.tags,
      services: row.services,
      status: row.status,
      published_at: row.publishedAt,
      position: row.position,
      seed_key: row.seedKey,
    }).filter(([, v]) => v !== undefined),
  );

export async function insertArticle(db: Conn, row: ArticleRow): Promise<number> {
  const [inserted] = await db('articles').insert(toColumns(row)).returning('id');
  return Number(inserted.id);
}

/** Optimistic locking: updates only when the row still has `expectedVersion`; returns whether it did. */
export async function updateArticle(db: Conn, id: number, expectedVersion: number, row: Partial<ArticleRow>): Promise<boolean> {
  const count = await db('articles')
    .where({ id, version: expectedVersion })
    .update({ ...toColumns(row), version: db.raw('version + 1'), updated_at: db.fn.now() });
  return count === 1;
}

export async function labelIdsBySlug(db: Conn, slugs: string[]): Promise<Map<string, number>> {
  if (!slugs.length) return new Map();
  const rows = await db('labels').select('id', 'slug').whereIn('slug', slugs);
  return new Map(rows.map((row) => [row.slug as string, Number(row.id)]));
}

export async function existingPlaceIds(db: Conn, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db('places').select('id').whereIn('id', ids);
  return new Set(rows.map((row) => Number(row.id)));
}

export async function replaceLinks(db: Conn, articleId: number, labelIds: number[], placeIds: number[]): Promise<void> {
  await db('article_labels').where('article_id', articleId).delete();
  await db('article_places').where('article_id', articleId).delete();
  if (labelIds.length) await db('article_labels').insert(labelIds.map((labelId) => ({ article_id: articleId, label_id: labelId })));
  if (placeIds.length) await db('article_places').insert(placeIds.map((placeId) => ({ article_id: articleId, place_id: placeId })));
}

export async function labelsOfArticles(db: Conn, articleIds: number[]): Promise<ArticleLabel[]> {
  if (!articleIds.length) return [];
  const rows = await db('article_labels as al')
    .join('labels as l', 'l.id', 'al.label_id')
    .select('al.article_id', 'l.id', 'l.slug', 'l.name')
    .whereIn('al.article_id', articleIds)
    .orderBy('l.name');
  return rows.map((row) => ({ articleId: Number(row.article_id), id: Number(row.id), slug: row.slug, name: row.name }));
}

export async function placesOfArticles(db: Conn, articleIds: number[]): Promise<ArticlePlace[]> {
  if (!articleIds.length) return [];
  const rows = await db('article_places as ap')
    .join('places as p', 'p.id', 'ap.place_id')
    .select('ap.article_id', 'p.id', 'p.nom', 'p.commune', 'p.status')
    .whereIn('ap.article_id', articleIds)
    .orderBy('p.nom');
  return rows.map((row) => ({ articleId: Number(row.article_id), id: Number(row.id), nom: row.nom, commune: row.commune, status: row.status }));
}

export async function allLabelNames(db: Conn): Promise<{ slug: string; name: string }[]> {
  return db('labels').select('slug', 'name').orderBy('name');
}

/** Published articles linked to a place (directly). */
export async function publishedArticlesForPlace(db: Conn, placeId: number): Promise<Pick<Article, 'slug' | 'title'>[]> {
  return db('articles as a')
    .join('article_places as ap', 'ap.article_id', 'a.id')
    .select('a.slug', 'a.title')
    .where({ 'ap.place_id': placeId, 'a.status': 'published' })
    .orderBy([{ column: 'a.position' }, { column: 'a.id', order: 'desc' }]);
}

/** Published articles linked to the labels of a place. */
export async function publishedArticlesForPlaceLabels(db: Conn, placeId: number): Promise<Pick<Article, 'slug' | 'title'>[]> {
  return db('articles as a')
    .join('article_labels as al', 'al.article_id', 'a.id')
    .join('place_labels as pl', 'pl.label_id', 'al.label_id')
    .distinct('a.slug', 'a.title', 'a.position', 'a.id')
    .where({ 'pl.place_id': placeId, 'a.status': 'published', 'pl.verification_status': 'verified' })
    .whereRaw('(pl.until IS NULL OR pl.until >= current_date)')
    .orderBy([{ column: 'a.position' }, { column: 'a.id', order: 'desc' }]);
}

export async function publishedArticlesForLabel(db: Conn, labelSlug: string): Promise<Pick<Article, 'slug' | 'title'>[]> {
  return db('articles as a')
    .join('article_labels as al', 'al.article_id', 'a.id')
    .join('labels as l', 'l.id', 'al.label_id')
    .select('a.slug', 'a.title')
    .where({ 'l.slug': labelSlug, 'a.status': 'published' })
    .orderBy([{ column: 'a.position' }, { column: 'a.id', order: 'desc' }]);
}

/** French full text, accents ignored; best matches first. */
export async function searchPublishedArticles(db: Conn, q: string, limit: number): Promise<Article[]> {
  const rows = await db('articles as a')
    .select(COLUMNS)
    .select(db.raw(`ts_rank(a.search_vector, websearch_to_tsquery('french', immutable_unaccent(?))) AS rank`, [q]))
    .where('a.status', 'published')
    .whereRaw(`a.search_vector @@ websearch_to_tsquery('french', immutable_unaccent(?))`, [q])
    .orderBy([{ column: 'rank', order: 'desc' }, { column: 'a.position' }])
    .limit(limit);
  return rows.map((row: Record<string, unknown>) => {
    const { rank: _rank, ...rest } = row;
    return toArticle(rest);
  });
}

export async function allTags(db: Conn): Promise<{ tag: string; count: number }[]> {
  const rows = await db.raw(`SELECT tag, count(*)::int AS count FROM articles, unnest(tags) AS tag
    WHERE status = 'published' GROUP BY tag ORDER BY count DESC, tag`);
  return rows.rows;
}

/** For the sitemap: every published place, id and name (to build its path) and last change. */
/** For the sitemap: published places in id order, one chunk at a time (`offset`, `limit`). */
export async function publishedPlacesForSitemap(db: Conn, chunk: { offset: number; limit: number }): Promise<{ id: number; nom: string; updatedAt: Date }[]> {
  const rows = await db('places').select('id', 'nom', 'updated_at').where('status', 'published').orderBy('id')
    .offset(chunk.offset).limit(chunk.limit);
  return rows.map((row) => ({ id: Number(row.id), nom: row.nom, updatedAt: row.updated_at }));
}

export async function countPublishedPlaces(db: Conn): Promise<number> {
  const [row] = await db('places').where('status', 'published').count<{ count: number }[]>('* as count');
  return Number(row.count);
}

export async function labelsForSitemap(db: Conn): Promise<{ slug: string; updatedAt: Date }[]> {
  const rows = await db('labels').select('slug', 'updated_at').orderBy('slug');
  return rows.map((row) => ({ slug: row.slug, updatedAt: row.updated_at }));
}
