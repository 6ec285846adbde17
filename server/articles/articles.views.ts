import type { PlaceSummary } from '../places/places.responses.js';
import type { ArticleView } from './articles.service.js';

/** View models for the article templates: ready-made strings, no logic left in Handlebars. */

export const SERVICE_SEARCH_PATH = (service: string) => `/?services=${encodeURIComponent(service)}`;
export const tagPath = (tag: string) => `/articles/tag/${encodeURIComponent(tag)}`;

export function articleCard(article: ArticleView) {
  return {
    title: article.title,
    url: article.url,
    excerpt: article.excerpt,
    teaser: article.teaser,
    publishedAt: article.publishedAt,
    tags: article.tags.map((tag) => ({ name: tag, url: tagPath(tag) })),
    status: article.status,
  };
}

export function pagination(basePath: string, page: number, pageCount: number) {
  if (pageCount <= 1) return undefined;
  const at = (n: number) => (n === 1 ? basePath : `${basePath}${basePath.includes('?') ? '&' : '?'}page=${n}`);
  return {
    page,
    pageCount,
    previous: page > 1 ? at(page - 1) : undefined,
    next: page < pageCount ? at(page + 1) : undefined,
    pages: Array.from({ length: pageCount }, (_, i) => ({ n: i + 1, url: at(i + 1), current: i + 1 === page })),
  };
}

export function nearbyPlaceItem(place: PlaceSummary) {
  return {
    nom: place.nom,
    url: place.url,
    adresse: place.adresse,
    commune: place.commune,
    codePostal: place.code_postal,
    distanceKm: place.distance_km,
  };
}
