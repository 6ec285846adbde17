import type { Db } from '../db/knex.js';
import { camelize } from '../db/rows.js';
import { PLACE_COLUMNS } from './places.repository.js';
import { QUALITY_BANDS } from './place-quality.js';
import type { Place } from './places.types.js';

/*
 * The moderators' quality dashboard reads the stored score (`places.quality`) and the generated
 * `departement` column; both are indexed with the id (migration 20261202_0950), so "worst first"
 * is an index range scan whatever the number of places, and each page is read after the last row
 * of the previous one (keyset), never with an OFFSET.
 */

export interface QualityPosition {
  quality: number;
  id: number;
}

export type PlaceWithQuality = Place & { quality: number; departement: string };

export async function worstPlaces(
  db: Db,
  filter: { departement?: string; after?: QualityPosition; limit: number },
): Promise<PlaceWithQuality[]> {
  const query = db('places as p')
    .select<Record<string, unknown>[]>([...PLACE_COLUMNS.map((c) => `p.${c}`), 'p.quality', 'p.departement'])
    .where('p.status', 'published');
  if (filter.departement) query.where('p.departement', filter.departement);
  if (filter.after) query.whereRaw('(p.quality, p.id) > (?, ?)', [filter.after.quality, filter.after.id]);
  const rows = await query.orderBy([{ column: 'p.quality' }, { column: 'p.id' }]).limit(filter.limit);
  return rows.map((row) => ({ ...camelize(row), id: Number(row.id) }) as unknown as PlaceWithQuality);
}

const BAND_SQL = `CASE ${QUALITY_BANDS.map((b) => `WHEN quality <= ${b.max} THEN '${b.key}'`).join(' ')} END`;

/** Published places per département: how many, their mean score, and how many in each band. */
export async function qualityByDepartement(db: Db): Promise<
  {
    departement: string;
    places: number;
    average: number;
    bands: Record<string, number>;
  }[]
> {
  const rows = await db('places')
    .select<{ departement: string; band: string; places: string; total: string }[]>(
      'departement',
      db.raw(`${BAND_SQL} AS band`),
      db.raw('count(*) AS places'),
      db.raw('sum(quality) AS total'),
    )
    .where('status', 'published')
    .groupBy('departement', 'band')
    .orderBy('departement');
  const byDepartement = new Map<string, { places: number; total: number; bands: Record<string, number> }>();
  for (const row of rows) {
    const entry = byDepartement.get(row.departement) ?? { places: 0, total: 0, bands: {} };
    entry.places += Number(row.places);
    entry.total += Number(row.total);
    entry.bands[row.band] = Number(row.places);
    byDepartement.set(row.departement, entry);
  }
  return [...byDepartement].map(([departement, entry]) => ({
    departement,
    places: entry.places,
    average: Math.round(entry.total / entry.places),
    bands: entry.bands,
  }));
}
