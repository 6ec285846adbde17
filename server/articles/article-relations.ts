// Articles beside the directory: the blog articles a place or label page lists, and the places near
// the reader an article about a service shows. Part of the articles service (articles.service.ts).
import type { Db } from '../db/knex.js';
import type { PlacesService } from '../places/places.service.js';
import type { PlaceSummary } from '../places/places.responses.js';
import { MAX_RADIUS_KM, type PlacesQuery } from '../places/places.query.js';
import { SERVICES } from '../places/standard.js';
import { refreshingValue } from '../shared/refreshing-value.js';
import {
  publishedArticlesForLabel,
  publishedArticlesRelatedToPlace,
  serviceFrequencies,
  type Article,
  type RelatedArticleRow,
} from './articles.repository.js';
import type { NearbyQuery } from './articles.schemas.js';

export const articlePath = (slug: string) => `/articles/${slug}`;

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

/** What a visitor typed (commune, postal code) → a point, through the geocoder (issue 3). */
export type Locator = (text: string) => Promise<{ lat: number; lon: number; label: string } | null | undefined>;

export interface NearbyResult {
  places: PlaceSummary[];
  located: boolean;
  where?: string;
  notFound: boolean;
}

export function createArticleRelations(deps: { db: Db; places?: PlacesService; locate?: Locator }) {
  const { db } = deps;

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
  // keep serving while one recount runs, so no page waits for it but the very first. The first count
  // starts now, not at the first place page: after a restart at 1M, every place page opened in the
  // first 2.3 s waited for it. A failure here is retried by that first page.
  const currentServiceWeights = refreshingValue(
    () => serviceFrequencies(db).then(serviceWeights),
    SERVICE_WEIGHTS_TTL_MS,
  );
  currentServiceWeights().catch(() => {});

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

  return { nearbyPlaces, articlesForPlace, articlesForLabel };
}
