import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import type { ReportCategory } from './reports.schemas.js';

export interface PlaceReport {
  id: number;
  placeId: number;
  category: ReportCategory;
  message: string;
  email: string | null;
  status: 'new' | 'accepted' | 'rejected';
  moderatorNote: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Record<string, unknown>;

const toReport = (row: Row): PlaceReport => ({
  id: Number(row.id),
  placeId: Number(row.place_id),
  category: row.category as ReportCategory,
  message: row.message as string,
  email: (row.email as string | null) ?? null,
  status: row.status as PlaceReport['status'],
  moderatorNote: (row.moderator_note as string | null) ?? null,
  version: Number(row.version),
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

export async function insertReport(
  db: Db,
  report: { placeId: number; category: ReportCategory; message: string; email?: string },
): Promise<PlaceReport> {
  const [row] = await db<Row>('place_reports')
    .insert({
      place_id: report.placeId,
      category: report.category,
      message: report.message,
      email: report.email ?? null,
    })
    .returning('*');
  return toReport(row);
}

/** For moderation: reports of one place, or every report with a status, newest first. */
export async function listReports(
  db: Db,
  filter: { placeId?: number; status?: PlaceReport['status'] } = {},
  limit = 100,
): Promise<PlaceReport[]> {
  const query = db<Row>('place_reports')
    .select('*')
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
  if (filter.placeId !== undefined) query.where('place_id', filter.placeId);
  if (filter.status) query.where('status', filter.status);
  return (await query).map(toReport);
}

/** One report, whatever its status. */
export async function findReport(db: Db | Knex.Transaction, id: number): Promise<PlaceReport | undefined> {
  const row = await db<Row>('place_reports').where({ id }).first();
  return row ? toReport(row) : undefined;
}

/** A moderator's decision, with optimistic locking; false when someone changed it first. */
export async function setReportStatus(
  db: Db | Knex.Transaction,
  id: number,
  expectedVersion: number,
  status: PlaceReport['status'],
  note?: string,
): Promise<boolean> {
  const updated = await db('place_reports')
    .where({ id, version: expectedVersion })
    .update({ status, moderator_note: note ?? null, version: db.raw('version + 1'), updated_at: db.fn.now() });
  return updated === 1;
}
