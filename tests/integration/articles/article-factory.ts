import { randomUUID } from 'node:crypto';
import type { Db } from '../../../server/db/knex.js';
import { createArticlesService } from '../../../server/articles/articles.service.js';
import type { ArticleInput } from '../../../server/articles/articles.schemas.js';
import { fixedClock } from '../../support/context.js';

export const uniqueSlug = (prefix = 'article') => `${prefix}-${randomUUID().slice(0, 8)}`;
/** A word no other test uses (letters only, so full-text search keeps it whole). */
export const uniqueWord = () =>
  `mot${randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 10)}`;

/** An article written through the real service (published unless said otherwise). */
export async function makeArticle(db: Db, overrides: Partial<ArticleInput> = {}) {
  const articles = createArticlesService({ db, clock: fixedClock('2026-11-20T09:00:00Z') });
  const slug = overrides.slug ?? uniqueSlug();
  return articles.create({
    title: `Article d’essai ${slug}`,
    slug,
    body_markdown: 'Un paragraphe d’essai.',
    teaser: false,
    status: 'published',
    tags: [],
    services: [],
    labels: [],
    places: [],
    ...overrides,
  });
}
