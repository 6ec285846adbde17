import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { runPrepared } from '../db/prepared.js';
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

const COLUMNS = [
  'id',
  'slug',
  'title',
  'body_markdown',
  'teaser',
  'tags',
  'services',
  'status',
  'published_at',
  'position',
  'seed_key',
  'version',
  'created_at',
  'updated_at',
].map((c) => `a.${c}`);

type Row = Record<string, unknown>;
/** count(*) is a bigint; server/db/knex.ts has pg hand bigints over as numbers. */
interface CountRow {
  count: number;
}

const toArticle = (row: Row) => camelize(row) as unknown as Article;

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
  const query = db('articles as a').select<Row[]>(COLUMNS);
  applyList(query, criteria);
  const rows = await query
    .orderBy([{ column: 'a.position' }, { column: 'a.id', order: 'desc' }])
    .limit(criteria.limit)
    .offset(criteria.offset);
  return rows.map(toArticle);
}

export async function countArticles(db: Conn, criteria: Omit<ListCriteria, 'limit' | 'offset'>): Promise<number> {
  const query = db('articles as a').count<CountRow[]>('* as count');
  applyList(query, criteria);
  const [row] = await query;
  return row.count;
}

export async function findArticleBySlug(db: Conn, slug: string): Promise<Article | undefined> {
  const row = await db('articles as a').select(COLUMNS).where('a.slug', slug).first<Row | undefined>();
  return row ? toArticle(row) : undefined;
}

export async function findArticleById(db: Conn, id: number): Promise<Article | undefined> {
  const row = await db('articles as a').select(COLUMNS).where('a.id', id).first<Row | undefined>();
  return row ? toArticle(row) : undefined;
}

export async function findArticleBySeedKey(db: Conn, seedKey: string): Promise<Article | undefined> {
  const row = await db('articles as a').select(COLUMNS).where('a.seed_key', seedKey).first<Row | undefined>();
  return row ? toArticle(row) : undefined;
}

/** The article an old slug now points to. */
export async function findRedirect(db: Conn, oldSlug: string): Promise<{ articleId: number } | undefined> {
  const row = await db('article_slug_redirects')
    .select('article_id')
    .where('old_slug', oldSlug)
    .first<{ article_id: number } | undefined>();
  return row ? { articleId: row.article_id } : undefined;
}

export async function addRedirect(db: Conn, oldSlug: string, articleId: number): Promise<void> {
  await db('article_slug_redirects')
    .insert({ old_slug: oldSlug, article_id: articleId })
    .onConflict('old_slug')
    .merge();
}

export async function removeRedirect(db: Conn, oldSlug: string): Promise<void> {
  await db('article_slug_redirects').where('old_slug', oldSlug).delete();
}

export async function smallestPosition(db: Conn): Promise<number | null> {
  const row = await db('articles').min<{ min: number | null }>('position as min').first();
  return row?.min ?? null;
}

/** What a write may set: the article's own columns (ids, versions and timestamps are the database's). */
export type ArticleRow = Pick<
  Article,
  'slug' | 'title' | 'bodyMarkdown' | 'teaser' | 'tags' | 'services' | 'status' | 'position'
> & {
  publishedAt: Date | string | null;
  seedKey?: string | null;
};

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
  const [inserted] = await db('articles').insert(toColumns(row)).returning<{ id: number }[]>('id');
  return inserted.id;
}

/** Optimistic locking: updates only when the row still has `expectedVersion`; returns whether it did. */
export async function updateArticle(
  db: Conn,
  id: number,
  expectedVersion: number,
  row: Partial<ArticleRow>,
): Promise<boolean> {
  const count = await db('articles')
    .where({ id, version: expectedVersion })
    .update({ ...toColumns(row), version: db.raw('version + 1'), updated_at: db.fn.now() });
  return count === 1;
}

type PlaceRelation = 'place' | 'label' | 'service';

export interface RelatedArticleRow {
  slug: string;
  title: string;
  /** Why the article is about the place: linked to it, to one of its labels, or to one of its services. */
  relation: PlaceRelation;
  /** The labels or services the article and the place share (names), in the article's order. */
  shared: string[];
}

/** How many published places offer each service, and how many published places there are. */
export async function serviceFrequencies(db: Conn): Promise<{ total: number; byService: Map<string, number> }> {
  const [{ rows }, [total]] = await Promise.all([
    db.raw<{ rows: { service: string; count: number }[] }>(
      `SELECT s AS service, count(*)::int AS count
         FROM places, unnest(services) AS s
        WHERE status = 'published' GROUP BY s`,
    ),
    db('places').where('status', 'published').count<CountRow[]>('* as count'),
  ]);
  return {
    total: total.count,
    byService: new Map(rows.map((row) => [row.service, row.count])),
  };
}

/**
 * The published articles about a place, most relevant first: linked to the place itself, then to
 * its (verified, current) labels, then to the services it offers. Among those about its labels, the
 * article sharing the most labels first; among those about its services, the highest sum of the
 * shared services' `serviceWeights` (rarer services weigh more: an article about "Insertion
 * professionnelle" says more about a place than one about "Maîtrise des outils", which most places
 * offer). Then the blog's order. `limit` rows at most.
 */
export async function publishedArticlesRelatedToPlace(
  db: Conn,
  placeId: number,
  options: { limit: number; serviceWeights: Record<string, number> },
): Promise<RelatedArticleRow[]> {
  // Every place page asks it: prepared once per connection (its planning cost more than its run).
  const rows = await runPrepared<{ slug: string; title: string; rank: 1 | 2 | 3; shared: string[] }>(
    db,
    'articles-related-to-place',
    db.raw(
      `WITH place AS (SELECT id, services FROM places WHERE id = :placeId),
    candidates AS (
      SELECT ap.article_id, 1 AS rank, 0::float8 AS score, ARRAY[]::text[] AS shared
        FROM article_places ap WHERE ap.place_id = :placeId
      UNION ALL
      SELECT al.article_id, 2, count(*)::float8, array_agg(l.name ORDER BY l.name)
        FROM article_labels al
        JOIN place_labels pl ON pl.label_id = al.label_id AND pl.place_id = :placeId
          AND pl.verification_status = 'verified' AND (pl.until IS NULL OR pl.until >= current_date)
        JOIN labels l ON l.id = al.label_id
        GROUP BY al.article_id
      UNION ALL
      SELECT a.id, 3, shared.score, shared.services
        FROM articles a CROSS JOIN place
        CROSS JOIN LATERAL (
          SELECT ARRAY(SELECT s FROM unnest(a.services) WITH ORDINALITY AS t(s, n)
                        WHERE s = ANY(place.services) ORDER BY n) AS services,
            (SELECT coalesce(sum(coalesce((:weights::jsonb ->> s)::float8, 1)), 0)
               FROM unnest(a.services) AS s WHERE s = ANY(place.services)) AS score
        ) shared
        WHERE a.services && place.services
    ),
    best AS (
      SELECT DISTINCT ON (c.article_id) c.article_id, c.rank, c.score, c.shared
        FROM candidates c ORDER BY c.article_id, c.rank, c.score DESC
    )
    SELECT a.slug, a.title, b.rank, b.shared
      FROM best b JOIN articles a ON a.id = b.article_id
      WHERE a.status = 'published'
      ORDER BY b.rank, b.score DESC, a.position, a.id DESC
      LIMIT :limit`,
      { placeId, limit: options.limit, weights: JSON.stringify(options.serviceWeights) },
    ),
  );
  const relations: Record<1 | 2 | 3, PlaceRelation> = { 1: 'place', 2: 'label', 3: 'service' };
  return rows.map((row) => ({
    slug: row.slug,
    title: row.title,
    relation: relations[row.rank],
    shared: row.shared,
  }));
}

export async function publishedArticlesForLabel(
  db: Conn,
  labelSlug: string,
): Promise<Pick<Article, 'slug' | 'title'>[]> {
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
    .select<Row[]>(
      db.raw(`ts_rank(a.search_vector, websearch_to_tsquery('french', immutable_unaccent(?))) AS rank`, [q]),
    )
    .where('a.status', 'published')
    .whereRaw(`a.search_vector @@ websearch_to_tsquery('french', immutable_unaccent(?))`, [q])
    .orderBy([{ column: 'rank', order: 'desc' }, { column: 'a.position' }])
    .limit(limit);
  return rows.map((row) => {
    const rest = { ...row };
    delete rest.rank;
    return toArticle(rest);
  });
}

export async function allTags(db: Conn): Promise<{ tag: string; count: number }[]> {
  const rows = await db.raw<{ rows: { tag: string; count: number }[] }>(
    `SELECT tag, count(*)::int AS count FROM articles, unnest(tags) AS tag
      WHERE status = 'published' GROUP BY tag ORDER BY count DESC, tag`,
  );
  return rows.rows;
}
