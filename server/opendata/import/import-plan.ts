/**
 * What to do with each row of a batch, decided before writing: create, update (a newer record),
 * leave unchanged, or merge into a place already here (or into an earlier row of the same batch).
 * Pure: the pipeline reads the database before, and writes the plan after.
 */
import type { ImportedMerge, ImportedUpdate, NewPlaceRow } from '../../places/place-writes.service.js';
import type { StoredPlaceColumns } from '../../places/place-import.read.js';

type RowOutcomeKind = 'created' | 'updated' | 'unchanged' | 'merged' | 'rejected';

export interface RowOutcome {
  /** 1-based position of the record in the file (for a CSV, the line is row + 1). */
  row: number;
  source: string | null;
  sourceId: string | null;
  outcome: RowOutcomeKind;
  placeId: number | null;
  /** merged: why ('pivot', 'nom-proche', 'même-lot'); updated: the fields changed. */
  detail: string;
}

export interface PendingRow {
  rowNumber: number;
  key: string;
  row: NewPlaceRow;
  labelIds: number[];
  datedBySource: boolean;
}

const NO_PIVOT = '00000000000000';
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** The columns an import compares and writes (identity, date and issues aside). */
const COMPARED = [
  'pivot',
  'nom',
  'commune',
  'codePostal',
  'codeInsee',
  'adresse',
  'complementAdresse',
  'latitude',
  'longitude',
  'locationPrecision',
  'typologie',
  'telephone',
  'courriels',
  'siteWeb',
  'horaires',
  'presentationResume',
  'presentationDetail',
  'itinerance',
  'structureParente',
  'services',
  'publicsSpecifiquementAdresses',
  'priseEnChargeSpecifique',
  'fraisACharge',
  'autresFormationsLabels',
  'modalitesAcces',
  'modalitesAccompagnement',
  'ficheAccesLibre',
  'priseRdv',
] as const satisfies readonly (keyof NewPlaceRow)[];

const isEmpty = (value: unknown) =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0) || value === NO_PIVOT;
const same = (a: unknown, b: unknown) =>
  JSON.stringify(isEmpty(a) ? null : a) === JSON.stringify(isEmpty(b) ? null : b);

/** Haversine distance in metres (the batch's own rows are compared in memory). */
function metresBetween(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

const positionOf = (row: NewPlaceRow) =>
  row.latitude === null || row.longitude === null ? undefined : { latitude: row.latitude, longitude: row.longitude };

const foldName = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Values of `row` for the columns `stored` lacks (a merge fills gaps, never overwrites). */
function gapsFilled(stored: Record<string, unknown>, row: NewPlaceRow) {
  const values: Record<string, unknown> = {};
  const changes: ImportedUpdate['changes'] = {};
  for (const field of COMPARED) {
    const column = snake(field);
    if (field === 'latitude' || field === 'longitude' || field === 'locationPrecision') continue;
    if (isEmpty(stored[column]) && !isEmpty(row[field])) {
      values[column] = row[field];
      changes[column] = { old: stored[column] ?? null, new: row[field] };
    }
  }
  const storedApproximate = stored.latitude === null || stored.location_precision === 'commune';
  if (storedApproximate && row.latitude !== null && row.locationPrecision === 'exact') {
    for (const [column, value] of [
      ['latitude', row.latitude],
      ['longitude', row.longitude],
      ['location_precision', 'exact'],
    ] as const) {
      values[column] = value;
      changes[column] = { old: stored[column] ?? null, new: value };
    }
  }
  return { values, changes };
}

export function planBatch(
  batch: PendingRow[],
  existing: Map<string, { place: StoredPlaceColumns; viaAlias: boolean }>,
  samePlaces: Map<number, { placeId: number; reason: string; place: StoredPlaceColumns }>,
) {
  const creates: { row: NewPlaceRow; labelIds: number[] }[] = [];
  const updates: ImportedUpdate[] = [];
  const merges: ImportedMerge[] = [];
  const outcomes: RowOutcome[] = [];
  const outcome = (item: PendingRow, kind: RowOutcome['outcome'], placeId: number | null, detail = '') =>
    outcomes.push({
      row: item.rowNumber,
      source: item.row.source,
      sourceId: item.row.sourceId,
      outcome: kind,
      placeId,
      detail,
    });
  const filledInBatch = new Map<number, { values: Record<string, unknown>; changes: ImportedUpdate['changes'] }>();

  for (const item of batch) {
    const found = existing.get(item.key);
    if (found) {
      const stored = found.place;
      if (found.viaAlias || !item.datedBySource || item.row.dateMaj <= stored.date_maj) {
        outcome(item, 'unchanged', stored.id, found.viaAlias ? 'déjà fusionné dans ce lieu' : '');
        continue;
      }
      const values: Record<string, unknown> = {};
      const changes: ImportedUpdate['changes'] = {};
      for (const field of COMPARED) {
        const column = snake(field);
        if (!same(stored[column], item.row[field])) {
          values[column] = item.row[field] ?? null;
          changes[column] = { old: stored[column] ?? null, new: item.row[field] ?? null };
        }
      }
      if (!Object.keys(changes).length) {
        outcome(item, 'unchanged', stored.id);
        continue;
      }
      if (values.pivot === null) values.pivot = NO_PIVOT;
      values.date_maj = item.row.dateMaj;
      values.import_issues = JSON.stringify(item.row.importIssues);
      updates.push({ placeId: stored.id, values, changes });
      outcome(item, 'updated', stored.id, Object.keys(changes).join(', '));
      continue;
    }
    const match = samePlaces.get(item.rowNumber);
    if (match) {
      const filled = filledInBatch.get(match.placeId) ?? { values: {}, changes: {} };
      const gaps = gapsFilled({ ...match.place, ...filled.values }, item.row);
      Object.assign(filled.values, gaps.values);
      Object.assign(filled.changes, gaps.changes);
      filledInBatch.set(match.placeId, filled);
      merges.push({
        source: item.row.source,
        sourceId: item.row.sourceId,
        reason: match.reason,
        target: { placeId: match.placeId },
        labelIds: item.labelIds,
        record: item.row,
        filled: gaps.changes,
      });
      outcome(item, 'merged', match.placeId, match.reason);
      continue;
    }
    // The same place twice in one batch: the first row is created, the next ones merged into it.
    const here = positionOf(item.row);
    const earlier = creates.find(({ row }) => {
      const there = positionOf(row);
      return (
        here !== undefined &&
        there !== undefined &&
        metresBetween(there, here) <= 200 &&
        ((row.pivot !== NO_PIVOT && row.pivot === item.row.pivot) || foldName(row.nom) === foldName(item.row.nom))
      );
    });
    if (earlier) {
      const row = earlier.row as unknown as Record<string, unknown>;
      const filled: ImportedUpdate['changes'] = {};
      for (const field of COMPARED) {
        if (!isEmpty(row[field]) || isEmpty(item.row[field])) continue;
        filled[snake(field)] = { old: row[field] ?? null, new: item.row[field] };
        row[field] = item.row[field];
      }
      const key = `${earlier.row.source}\u0000${earlier.row.sourceId}`;
      merges.push({
        source: item.row.source,
        sourceId: item.row.sourceId,
        reason: 'même-lot',
        target: { key },
        labelIds: item.labelIds,
        record: item.row,
        filled,
      });
      outcome(item, 'merged', null, 'même-lot');
      continue;
    }
    creates.push({ row: item.row, labelIds: item.labelIds });
    outcome(item, 'created', null);
  }
  for (const [placeId, filled] of filledInBatch)
    if (Object.keys(filled.changes).length) updates.push({ placeId, values: filled.values, changes: filled.changes });
  return { creates, updates, merges, outcomes };
}
