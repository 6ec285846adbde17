import matter from 'gray-matter';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/knex.js';
import { labelIdsForSlugs } from '../labels/labels.read.js';
import { existingPlaceIds } from '../places/places.read.js';
import { fromParisWallTime } from '../shared/paris-time.js';
import { findArticleBySeedKey, findArticleBySlug, insertArticle } from './articles.repository.js';
import { replaceLinks } from './article-links.repository.js';
import { articleSeedSchema, type ArticleSeed } from './articles.schemas.js';

export interface SeedArticle extends ArticleSeed {
  file: string;
  body: string;
}

/** Reads seeds/articles/*.md (front matter + Markdown), in file order. */
export async function readSeedArticles(directory: string): Promise<SeedArticle[]> {
  const files = (await readdir(directory)).filter((f) => f.endsWith('.md')).sort();
  const articles: SeedArticle[] = [];
  for (const file of files) {
    const parsed = matter(await readFile(path.join(directory, file), 'utf8'));
    const result = articleSeedSchema.safeParse(parsed.data);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(' ; ');
      throw new Error(`${file} : en-tête invalide : ${problems}`);
    }
    articles.push({ ...result.data, file, body: parsed.content.trim() });
  }
  return articles;
}

/** A date established by the text: midnight in Paris that day (summer time in April, as in 2015). */
const parisMidnight = (isoDate: string) => {
  const [year, month, day] = isoDate.split('-').map(Number);
  return fromParisWallTime({ year, month, day, hour: 0, minute: 0, second: 0 });
};

export interface ArticlesSeedReport {
  inserted: number;
  updated: number;
  kept: number;
  skipped: string[];
}

/**
 * Loads the seed articles, idempotently: an article is found again by its seed key (its original
 * slug), so a second run inserts nothing; an article an administrator has edited (version > 1) is
 * never overwritten by the seed.
 */
export async function seedArticles(
  db: Db,
  directory: string,
  options: {
    log: (message: string) => void;
    findSeedRun(name: string): Promise<{ checksum: string } | undefined>;
    recordSeedRun(name: string, checksum: string, report: unknown): Promise<void>;
  },
): Promise<ArticlesSeedReport | 'unchanged'> {
  const articles = await readSeedArticles(directory);
  const checksum = createHash('sha256').update(JSON.stringify(articles)).digest('hex');
  const previous = await options.findSeedRun('articles');
  if (previous?.checksum === checksum) {
    options.log('Articles déjà chargés (inchangés).');
    return 'unchanged';
  }
  const report: ArticlesSeedReport = { inserted: 0, updated: 0, kept: 0, skipped: [] };
  await db.transaction(async (trx) => {
    for (const seed of articles) {
      const labelIds = await labelIdsForSlugs(trx, seed.labels);
      const missing = seed.labels.filter((slug) => !labelIds.has(slug));
      if (missing.length) throw new Error(`${seed.file} : labels inconnus ${missing.join(', ')}`);
      const places = [...(await existingPlaceIds(trx, seed.places))];
      const row = {
        title: seed.title,
        bodyMarkdown: seed.body,
        teaser: seed.teaser,
        tags: seed.tags,
        services: seed.services,
        publishedAt: seed.date ? parisMidnight(seed.date) : null,
        position: seed.order,
      };
      const existing = await findArticleBySeedKey(trx, seed.slug);
      if (!existing) {
        if (await findArticleBySlug(trx, seed.slug)) {
          report.skipped.push(`${seed.file} (adresse ${seed.slug} déjà prise)`);
          continue;
        }
        const id = await insertArticle(trx, { ...row, slug: seed.slug, status: 'published', seedKey: seed.slug });
        await replaceLinks(trx, id, [...labelIds.values()], places);
        report.inserted += 1;
      } else if (existing.version === 1) {
        await trx('articles').where({ id: existing.id }).update({
          title: row.title,
          body_markdown: row.bodyMarkdown,
          teaser: row.teaser,
          tags: row.tags,
          services: row.services,
          published_at: row.publishedAt,
          position: row.position,
          updated_at: trx.fn.now(),
        });
        await replaceLinks(trx, existing.id, [...labelIds.values()], places);
        report.updated += 1;
      } else {
        report.kept += 1;
      }
    }
  });
  await options.recordSeedRun('articles', checksum, report);
  options.log(
    `Articles : ${report.inserted} ajoutés, ${report.updated} mis à jour, ` +
      `${report.kept} gardés (modifiés par un administrateur).`,
  );
  return report;
}
