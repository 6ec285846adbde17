import type { Db } from '../db/knex.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { PlacesService } from '../places/places.service.js';
import type { Clock } from '../shared/clock.js';
import { allLabelNames, labelIdsForSlugs, placeCountsByLabel } from '../labels/labels.read.js';
import { existingPlaceIds } from '../places/places.read.js';
import {
  addRedirect,
  allTags,
  countArticles,
  findArticleById,
  findArticleBySlug,
  findRedirect,
  insertArticle,
  listArticles,
  removeRedirect,
  searchPublishedArticles,
  smallestPosition,
  updateArticle,
  type Article,
} from './articles.repository.js';
import {
  labelsOfArticles,
  placesOfArticles,
  replaceLinks,
  type ArticleLabel,
  type ArticlePlace,
} from './article-links.repository.js';
import type { ArticleInput, ArticleUpdate } from './articles.schemas.js';
import { articlePath, createArticleRelations, type Locator } from './article-relations.js';
import { excerptOf, renderArticleHtml, type LinkableLabel } from './markdown.js';

const PAGE_SIZE = 10;

export interface ArticleView extends Article {
  url: string;
  excerpt: string;
  /** With the published places holding the label (verified, current): the article reaches them through its page. */
  labels: (ArticleLabel & { placeCount: number })[];
  places: ArticlePlace[];
}

/** What a lookup by slug found: the article, or the slug it moved to. */
export type SlugLookup = { kind: 'article'; article: ArticleView } | { kind: 'moved'; slug: string };

export function createArticlesService(deps: {
  db: Db;
  clock: Clock;
  places?: PlacesService;
  locate?: Locator;
  /**
   * Places per label, from the labels service's cache (app.ts): counting them per article page would
   * be a count over every labelled place on each request. Read directly when not given (tests, seeds).
   */
  labelPlaceCounts?: () => Promise<Map<number, number>>;
}) {
  const { db, clock } = deps;
  const labelPlaceCounts = deps.labelPlaceCounts ?? (() => placeCountsByLabel(db));
  // Articles beside the directory: on place and label pages, and places near an article's reader.
  const { nearbyPlaces, articlesForPlace, articlesForLabel } = createArticleRelations(deps);

  async function decorate(articles: Article[]): Promise<ArticleView[]> {
    const ids = articles.map((a) => a.id);
    const [labels, places] = await Promise.all([labelsOfArticles(db, ids), placesOfArticles(db, ids)]);
    const counts = labels.length ? await labelPlaceCounts() : new Map<number, number>();
    return articles.map((article) => ({
      ...article,
      url: articlePath(article.slug),
      excerpt: excerptOf(article.bodyMarkdown),
      labels: labels
        .filter((l) => l.articleId === article.id)
        .map((l) => ({ ...l, placeCount: counts.get(l.id) ?? 0 })),
      places: places.filter((p) => p.articleId === article.id),
    }));
  }

  async function listPublished(options: { page: number; tag?: string; pageSize?: number }) {
    const pageSize = options.pageSize ?? PAGE_SIZE;
    const criteria = { status: 'published' as const, tag: options.tag };
    const [total, rows] = await Promise.all([
      countArticles(db, criteria),
      listArticles(db, { ...criteria, limit: pageSize, offset: (options.page - 1) * pageSize }),
    ]);
    const pageCount = Math.max(1, Math.ceil(total / pageSize));
    return { items: await decorate(rows), total, page: options.page, pageCount, pageSize };
  }

  /** A published article by slug; an old slug answers "moved"; drafts do not exist for the public. */
  async function findPublished(slug: string): Promise<SlugLookup> {
    const article = await findArticleBySlug(db, slug);
    if (article?.status === 'published') return { kind: 'article', article: (await decorate([article]))[0] };
    if (!article) {
      const redirect = await findRedirect(db, slug);
      if (redirect) {
        const target = await findArticleById(db, redirect.articleId);
        if (target?.status === 'published') return { kind: 'moved', slug: target.slug };
      }
    }
    throw new NotFoundError('Cet article n’existe pas ou n’est pas publié.');
  }

  /** The article's clean HTML; label names in the text link to their page (`labels`: when already read). */
  async function renderBody(article: Pick<Article, 'bodyMarkdown'>, labels?: LinkableLabel[]): Promise<string> {
    return renderArticleHtml(article.bodyMarkdown, labels ?? (await allLabelNames(db)));
  }

  async function search(q: string, limit = 20): Promise<ArticleView[]> {
    return decorate(await searchPublishedArticles(db, q, limit));
  }

  // ---------- Writing (administrators) ----------

  async function listAll(): Promise<ArticleView[]> {
    return decorate(await listArticles(db, { limit: 1000, offset: 0 }));
  }

  async function getForEdit(id: number): Promise<ArticleView> {
    const article = await findArticleById(db, id);
    if (!article) throw new NotFoundError('Cet article n’existe pas.');
    return (await decorate([article]))[0];
  }

  async function resolveLinks(trx: Db, input: ArticleInput) {
    const labelIds = await labelIdsForSlugs(trx, input.labels);
    const unknownLabels = input.labels.filter((slug) => !labelIds.has(slug));
    const places = await existingPlaceIds(trx, input.places);
    const unknownPlaces = input.places.filter((id) => !places.has(id));
    const errors = [
      ...(unknownLabels.length ? [{ field: 'labels', message: `Label inconnu : ${unknownLabels.join(', ')}.` }] : []),
      ...(unknownPlaces.length ? [{ field: 'places', message: `Lieu inconnu : ${unknownPlaces.join(', ')}.` }] : []),
    ];
    if (errors.length) throw new ValidationError(errors);
    return { labelIds: [...labelIds.values()], placeIds: input.places };
  }

  async function assertSlugFree(trx: Db, slug: string, articleId?: number) {
    const holder = await findArticleBySlug(trx, slug);
    if (holder && holder.id !== articleId) {
      throw new ValidationError([
        { field: 'slug', message: 'Cette adresse (slug) est déjà prise par un autre article.' },
      ]);
    }
    const redirect = await findRedirect(trx, slug);
    if (redirect && redirect.articleId !== articleId) {
      throw new ValidationError([
        { field: 'slug', message: 'Cette adresse (slug) a appartenu à un autre article et redirige vers lui.' },
      ]);
    }
  }

  /** Two administrators saving the same slug at the same instant: the unique index decides. */
  async function slugRace<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string; constraint?: string }).code === '23505') {
        throw new ValidationError([
          { field: 'slug', message: 'Cette adresse (slug) vient d’être prise par un autre article.' },
        ]);
      }
      throw error;
    }
  }

  async function create(input: ArticleInput): Promise<Article> {
    return slugRace(() =>
      db.transaction(async (trx) => {
        await assertSlugFree(trx, input.slug);
        const links = await resolveLinks(trx, input);
        const position = ((await smallestPosition(trx)) ?? 1) - 1;
        const id = await insertArticle(trx, {
          slug: input.slug,
          title: input.title,
          bodyMarkdown: input.body_markdown,
          teaser: input.teaser,
          tags: input.tags,
          services: input.services,
          status: input.status,
          position,
          publishedAt: input.status === 'published' ? clock.now() : null,
        });
        await replaceLinks(trx, id, links.labelIds, links.placeIds);
        return rereadArticle(trx, id);
      }),
    );
  }

  async function update(id: number, input: ArticleUpdate): Promise<Article> {
    return slugRace(() =>
      db.transaction(async (trx) => {
        const current = await trx('articles')
          .where({ id })
          .forUpdate()
          .first<(Pick<Article, 'slug' | 'status'> & { published_at: Date | null }) | undefined>();
        if (!current) throw new NotFoundError('Cet article n’existe pas.');
        await assertSlugFree(trx, input.slug, id);
        const links = await resolveLinks(trx, input);
        const firstPublication =
          input.status === 'published' && current.status !== 'published' && !current.published_at;
        const updated = await updateArticle(trx, id, input.version, {
          slug: input.slug,
          title: input.title,
          bodyMarkdown: input.body_markdown,
          teaser: input.teaser,
          tags: input.tags,
          services: input.services,
          status: input.status,
          ...(firstPublication ? { publishedAt: clock.now() } : {}),
        });
        if (!updated) {
          throw new ConflictError(
            'Quelqu’un a modifié cet article entre-temps : rechargez la page pour voir sa version actuelle.',
          );
        }
        if (current.slug !== input.slug) {
          await addRedirect(trx, current.slug, id);
          await removeRedirect(trx, input.slug);
        }
        await replaceLinks(trx, id, links.labelIds, links.placeIds);
        return rereadArticle(trx, id);
      }),
    );
  }

  return {
    listPublished,
    findPublished,
    renderBody,
    nearbyPlaces,
    articlesForPlace,
    articlesForLabel,
    search,
    tags: () => allTags(db),
    labelChoices: () => allLabelNames(db),
    listAll,
    getForEdit,
    create,
    update,
    renderPreview: (markdown: string) => renderBody({ bodyMarkdown: markdown }),
  };
}

export { serviceWeights } from './article-relations.js';

export type ArticlesService = ReturnType<typeof createArticlesService>;

/** The article just written, read back in the same transaction (it exists: the transaction wrote it). */
async function rereadArticle(db: Parameters<typeof findArticleById>[0], id: number): Promise<Article> {
  const article = await findArticleById(db, id);
  if (!article) throw new Error(`Article ${id} introuvable juste après son écriture`);
  return article;
}
