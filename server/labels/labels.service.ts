import type { Db } from '../db/knex.js';
import { NotFoundError } from '../http/errors.js';
import type { PlacesService } from '../places/places.service.js';
import { outsideRequests } from '../shared/outside-requests.js';
import { refreshingValue } from '../shared/refreshing-value.js';
import { findLabelBySlug, listLabels, placeCountsByLabel, type Label, type LabelRow } from './labels.repository.js';

/**
 * Label counts are shown on every search page (the filters) and label page; counting them per
 * request read most of place_labels each time. A minute late is fine for "France Services (2 731)".
 */
const PLACE_COUNTS_MAX_AGE_MS = 60_000;

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
  const placeCounts = refreshingValue(() => placeCountsByLabel(deps.db), PLACE_COUNTS_MAX_AGE_MS);
  const withCount = (label: LabelRow, counts: Map<number, number>): Label => ({
    ...label,
    placeCount: counts.get(label.id) ?? 0,
  });
  /**
   * The labels as of the in-memory index's version: a write to `labels` logs an entry that moves it
   * (migration 20261203_0200), so the list shown by every search page is read again only then.
   * Without a ready index (or with a replica that may lag), read every time.
   */
  let kept: { version: number; rows: Promise<LabelRow[]> } | undefined;
  async function labelRows(): Promise<LabelRow[]> {
    const version = await deps.places.freshVersion();
    if (version === undefined) return listLabels(deps.db);
    if (kept?.version !== version) {
      const rows = outsideRequests(() => listLabels(deps.db));
      kept = { version, rows };
      rows.catch(() => {
        if (kept?.rows === rows) kept = undefined;
      });
    }
    return kept.rows;
  }

  return {
    /** Published places per label id, counted at most once a minute. */
    placeCounts: () => placeCounts(),
    async list(): Promise<Label[]> {
      const [labels, counts] = await Promise.all([labelRows(), placeCounts()]);
      return labels.map((label) => withCount(label, counts));
    },
    async get(slug: string): Promise<Label> {
      const [label, counts] = await Promise.all([findLabelBySlug(deps.db, slug), placeCounts()]);
      if (!label) throw new NotFoundError('Ce label n’existe pas.');
      return withCount(label, counts);
    },
  };
}

export type LabelsService = ReturnType<typeof createLabelsService>;
