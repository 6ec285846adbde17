import type { Db } from '../db/knex.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { PlacesService } from '../places/places.service.js';
import type { Clock } from '../shared/clock.js';
import { refreshingValue } from '../shared/refreshing-value.js';
import type { PlaceSummary } from '../places/places.responses.js';
import { MAX_RADIUS_KM, type PlacesQuery } from '../places/places.query.js';
import { SERVICES } from '../places/standard.js';
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
  publishedArticlesForLabel,
  publishedArticlesRelatedToPlace,
  removeRedirect,
  serviceFrequencies,
  searchPublishedArticles,
  smallestPosition,
  updateArticle,
  type Article,
  type RelatedArticleRow,
} from './articles.repository.js';
import {
  labelsOfArticles,
  placesOfArticles,
  replaceLinks,
  type ArticleLabel,
  type ArticlePlace,
} from './article-links.repository.js';
import type { ArticleInput, ArticleUpdate, NearbyQuery } from './articles.schemas.js';
import { excerptOf, renderArticleHtml, type LinkableLabel } from './markdown.js';

const articlePath = (slug: string) => `/articles/${slug}`;
const PAGE_SIZE = 10;

export interface ArticleLink {
  title: string;
  url: string;
  /** Why it is listed on a place page (shown beside the link): "sur ce lieu", "label Cyber-base", "service …". */
  note?: string;
}

/** How many articles a place page lists, the most relevant first. */
const PLACE_ARTICLES_LIMIT = 3;
/** How long the services' weights (how rare each service is among places) are kept before being counted again. */
const SERVICE_WEIGHTS_TTL_MS = 10 * 60 * 1000;

/**
 * A service offered by few places weighs more: its inverse document frequency among published places,
 * plus a little so that a service every place offers still counts (and an empty directory counts services).
 */
export function serviceWeights(frequencies: { total: number; byService: Map<string, number> }): Record<string, number> {
  return Object.fromEntries(
    SERVICES.map((s) => [s, Math.log((frequencies.total + 1) / ((frequencies.byService.get(s) ?? 0) + 1)) + 0.05]),
  );
}

const list = (names: string[]) => names.map((n) => `« ${n} »`).join(', ');
const relationNote = (row: RelatedArticleRow): string => {
  if (row.relation === 'place') return 'à propos de ce lieu';
  if (row.relation === 'label')
    return `à propos ${row.shared.length > 1 ? 'des labels' : 'du label'} ${list(row.shared)}`;
  return `à lire sur ${row.shared.length > 1 ? 'les services' : 'le service'} ${list(row.shared)}`;
};

export interface ArticleView extends Article {
  url: string;
  excerpt: string;
  /** With the published places holding the label (verified, current): the article reaches them through its page. */
  labels: (ArticleLabel & { placeCount: number })[];
  places: ArticlePlace[];
}

/** What a lookup by slug found: the article, or the slug it moved to. */
export type SlugLookup = { kind: 'article'; article: ArticleView } | { kind: 'moved'; slug: string };

/** What a visitor typed (commune, postal code) → a point, through the geocoder (issue 3). */
export type Locator = (text: string) => Promise<{ lat: number; lon: number; label: string } | null | undefined>;

export interface NearbyResult {
  places: PlaceSummary[];
  located: boolean;
  where?: string;
  notFound: boolean;
}

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

  /**
   * "Lieux près de chez vous": the nearest published places offering one of the article's services,
   * from the visitor's position (lat/lon), or what they typed (commune or postal code, through the
   * geocoder), or a commune's INSEE code.
   */
  async function nearbyPlaces(article: Pick<Article, 'services'>, near: NearbyQuery, limit = 5): Promise<NearbyResult> {
    if (!deps.places || article.services.length === 0) return { places: [], located: false, notFound: false };
    const services = article.services as PlacesQuery['services'];
    let point = near.lat !== undefined && near.lon !== undefined ? { lat: near.lat, lon: near.lon } : undefined;
    let where: string | undefined = point ? 'votre position' : undefined;
    const typed = near.ou ?? near.code_postal ?? near.commune;
    if (!point && typed && deps.locate) {
      const found = await deps.locate(typed);
      if (found) {
        point = { lat: found.lat, lon: found.lon };
        where = found.label;
      }
    }
    if (point) {
      const page = await deps.places.search({
        services,
        lat: point.lat,
        lon: point.lon,
        radius_km: MAX_RADIUS_KM,
        limit,
      });
      return { places: page.items, located: true, where, notFound: false };
    }
    if (near.commune || near.code_postal) {
      const page = await deps.places.search({ services, commune: near.commune, code_postal: near.code_postal, limit });
      return { places: page.items, located: true, where: typed, notFound: false };
    }
    return { places: [], located: false, notFound: Boolean(typed) };
  }

  // Counting services reads every published place (2.3 s at 1M places): past its age the old weights
  // keep serving while one recount runs, so no page waits for it but the very first.
  const currentServiceWeights = refreshingValue(
    () => serviceFrequencies(db).then(serviceWeights),
    SERVICE_WEIGHTS_TTL_MS,
  );

  /**
   * The blog articles about a place, for its page: those linked to the place, then those about its
   * labels, then those about the services it offers (an article about "Insertion professionnelle via
   * le numérique" concerns every place offering it); a few only, each with why it is listed.
   */
  async function articlesForPlace(placeId: number, limit = PLACE_ARTICLES_LIMIT): Promise<ArticleLink[]> {
    const rows = await publishedArticlesRelatedToPlace(db, placeId, {
      limit,
      serviceWeights: await currentServiceWeights(),
    });
    return rows.map((row) => ({ title: row.title, url: articlePath(row.slug), note: relationNote(row) }));
  }

  async function articlesForLabel(slug: string): Promise<ArticleLink[]> {
    return (await publishedArticlesForLabel(db, slug)).map((a) => ({ title: a.title, url: articlePath(a.slug) }));
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

export type ArticlesService = ReturnType<typeof createArticlesService>;

/** The article just written, read back in the same transaction (it exists: the transaction wrote it). */
async function rereadArticle(db: Parameters<typeof findArticleById>[0], id: number): Promise<Article> {
  const article = await findArticleById(db, id);
  if (!article) throw new Error(`Article ${id} introuvable juste après son écriture`);
  return article;
}
