import type { Db } from '../db/knex.js';
import { NotFoundError } from '../http/errors.js';
import type { PlacesService } from '../places/places.service.js';
import { findLabelBySlug, listLabels, type Label } from './labels.repository.js';

export function toLabelJson(label: Label, baseUrl: string) {
  return {
    slug: label.slug,
    name: label.name,
    kind: label.kind,
    issuer: label.issuer,
    description: label.description,
    history: label.history,
    website: label.website,
    active_from_year: label.activeFromYear,
    active_until_year: label.activeUntilYear,
    standard_value: label.standardValue,
    place_count: label.placeCount,
    url: new URL(`/labels/${label.slug}`, baseUrl).toString(),
  };
}

export function createLabelsService(deps: { db: Db; places: PlacesService }) {
  return {
    list: () => listLabels(deps.db),
    async get(slug: string): Promise<Label> {
      const label = await findLabelBySlug(deps.db, slug);
      if (!label) throw new NotFoundError('Ce label n’existe pas.');
      return label;
    },
  };
}

export type LabelsService = ReturnType<typeof createLabelsService>;
