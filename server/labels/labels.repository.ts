import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { camelize } from '../db/rows.js';
import type { LabelSeed } from './labels.schemas.js';

export interface Label {
  id: number;
  slug: string;
  name: string;
  kind: LabelSeed['kind'];
  issuer: string | null;
  description: string | null;
  history: string | null;
  website: string | null;
  activeFromYear: number | null;
  activeUntilYear: number | null;
  standardField: LabelSeed['standard_field'];
  standardValue: string | null;
  placeCount: number;
}

/** A label as stored; its place count comes apart (placeCountsByLabel), being costly. */
export type LabelRow = Omit<Label, 'placeCount'>;

export async function listLabels(db: Db): Promise<LabelRow[]> {
  const rows = await db('labels')
    .select<Record<string, unknown>[]>('labels.*')
    .orderBy([{ column: 'kind' }, { column: 'name' }]);
  return rows.map((row) => camelize(row) as unknown as LabelRow);
}

export async function findLabelBySlug(db: Db, slug: string): Promise<LabelRow | undefined> {
  const row = await db('labels').select('labels.*').where({ slug }).first<Record<string, unknown> | undefined>();
  return row ? (camelize(row) as unknown as LabelRow) : undefined;
}

/**
 * How many published places carry each label (verified, still valid), keyed by label id: one pass
 * over place_labels (at 1M places, most of them labelled, about a second: cached by the service).
 */
export async function placeCountsByLabel(db: Db): Promise<Map<number, number>> {
  const rows = await db('place_labels as pl')
    .join('places as p', 'p.id', 'pl.place_id')
    .select<{ label_id: number; count: number }[]>('pl.label_id', db.raw('count(*)::int AS count'))
    .where('p.status', 'published')
    .where('pl.verification_status', 'verified')
    .whereRaw('(pl.until IS NULL OR pl.until >= current_date)')
    .groupBy('pl.label_id');
  return new Map(rows.map((row) => [row.label_id, row.count]));
}

/** Reference data: inserted or refreshed by the seed, keyed by slug. */
export async function upsertLabel(trx: Knex.Transaction | Db, label: LabelSeed): Promise<void> {
  await trx('labels')
    .insert(label)
    .onConflict('slug')
    .merge({ ...label, updated_at: trx.fn.now() });
}

export async function labelIdsBySlug(trx: Knex.Transaction | Db): Promise<Map<string, number>> {
  const rows = await trx('labels').select<{ id: number; slug: string }[]>('id', 'slug');
  return new Map(rows.map((row) => [row.slug, row.id]));
}

/** Label ids keyed by the exact value the national standard uses for them. */
export async function labelIdsByStandardValue(trx: Knex.Transaction | Db): Promise<Map<string, number>> {
  const rows = await trx('labels')
    .select<{ id: number; standard_value: string }[]>('id', 'standard_value')
    .whereNotNull('standard_value');
  return new Map(rows.map((row) => [row.standard_value, row.id]));
}

/** The ids of these label slugs (unknown slugs are absent from the map). */
export async function labelIdsForSlugs(db: Knex.Transaction | Db, slugs: string[]): Promise<Map<string, number>> {
  if (!slugs.length) return new Map();
  const rows = await db('labels').select<{ id: number; slug: string }[]>('id', 'slug').whereIn('slug', slugs);
  return new Map(rows.map((row) => [row.slug, row.id]));
}

/** Every label's slug and name, by name (article Markdown links to labels by slug). */
export async function allLabelNames(db: Knex.Transaction | Db): Promise<{ slug: string; name: string }[]> {
  return db('labels').select('slug', 'name').orderBy('name');
}

/** For the sitemap: every label page and its last change. */
export async function labelsForSitemap(db: Knex.Transaction | Db): Promise<{ slug: string; updatedAt: Date }[]> {
  const rows = await db('labels').select<{ slug: string; updated_at: Date }[]>('slug', 'updated_at').orderBy('slug');
  return rows.map((row) => ({ slug: row.slug, updatedAt: row.updated_at }));
}
