import type { Db } from '../db/knex.js';
import { ValidationError } from '../http/errors.js';
import { labelIdsBySlug } from '../labels/labels.read.js';
import { isOpenAt } from '../shared/opening-hours.js';
import type { PlacesQuery } from '../places/places.query.js';
import { criteriaFromQuery } from '../places/places.service.js';
import type { Clock } from '../shared/clock.js';
import { publishedPlaceBatches, type PlaceBatch } from '../places/places.read.js';

export type ExportQuery = Omit<PlacesQuery, 'limit' | 'cursor'>;

export function createExportService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  return {
    /** The instant the export is generated at (the documents' `date_generation`). */
    now: () => clock.now(),

    /** Checked before the first byte: an unknown label is a 400, not an empty file. */
    async assertLabelsExist(query: ExportQuery) {
      if (!query.labels?.length) return;
      const known = await labelIdsBySlug(db);
      const unknown = query.labels.filter((slug) => !known.has(slug));
      if (unknown.length) {
        throw new ValidationError([
          { field: 'labels', message: `Label inconnu : ${unknown.join(', ')}. La liste est sur /api/v1/labels.` },
        ]);
      }
    },

    /** The matching places, batch by batch; open_now / open_at read each place's hours, as the search does. */
    async *batches(query: ExportQuery, generatedAt: Date): AsyncGenerator<PlaceBatch> {
      const openAt = query.open_at ?? (query.open_now ? generatedAt : undefined);
      const criteria = { ...criteriaFromQuery({ ...query, limit: 1 }), withHours: openAt !== undefined || undefined };
      for await (const batch of publishedPlaceBatches(db, criteria)) {
        if (!openAt) {
          yield batch;
          continue;
        }
        const places = batch.places.filter((place) => isOpenAt(place.horaires, openAt));
        if (places.length) yield { places, labels: batch.labels };
      }
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
