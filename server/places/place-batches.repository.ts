import type { Db } from '../db/knex.js';
import { camelize } from '../db/rows.js';
import {
  applyCriteria,
  PLACE_COLUMNS,
  visibleLabelsForPlaces,
  withCorrectedText,
  type SearchCriteria,
} from './places.repository.js';
import type { Place, PlaceLabelLink } from './places.types.js';

export interface PlaceBatch {
  places: Place[];
  labels: PlaceLabelLink[];
}

const EXPORT_BATCH_SIZE = 1000;

/**
 * Every published place matching the criteria, in batches ordered by id (keyset: `id > last`).
 * Each batch is one short query, so a statement_timeout never cuts a whole-table export, and
 * memory holds one batch at a time. An export has no "nearest first": ordering by distance would
 * sort every match before the first row could leave.
 */
export async function* publishedPlaceBatches(
  db: Db,
  typed: SearchCriteria,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<PlaceBatch> {
  // The text corrected once, as /api/v1/places does: the export holds the places that search lists.
  const criteria = await withCorrectedText(db, typed);
  let afterId = 0;
  for (;;) {
    const query = db<Record<string, unknown>>('places as p').select(PLACE_COLUMNS.map((c) => `p.${c}`));
    applyCriteria(query, criteria);
    const rows = await query.where('p.id', '>', afterId).orderBy('p.id').limit(batchSize);
    if (rows.length === 0) return;
    const places = rows.map((row) => ({ ...camelize(row), id: Number(row.id) }) as unknown as Place);
    afterId = places[places.length - 1].id;
    yield {
      places,
      labels: await visibleLabelsForPlaces(
        db,
        places.map((p) => p.id),
      ),
    };
    if (rows.length < batchSize) return;
  }
}
