import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';

type Conn = Db | Knex.Transaction;

export interface AuditEntry {
  actorId: number | null;
  action: string;
  subjectType: string;
  subjectId: string | number;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Every moderation or administration decision is written here, in the decision's transaction.
 * The one writer of `audit_log`: accounts, editing, moderation and places all go through it.
 */
export async function recordAudit(db: Conn, entry: AuditEntry, now: Date): Promise<void> {
  await db('audit_log').insert({
    actor_id: entry.actorId,
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: String(entry.subjectId),
    reason: entry.reason ?? null,
    details: JSON.stringify(entry.details ?? {}),
    created_at: now,
  });
}

export interface AuditRow {
  id: number;
  actorId: number | null;
  actorEmail: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  reason: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export async function listAudit(
  db: Conn,
  options: { limit: number; subjectType?: string; subjectId?: string },
): Promise<AuditRow[]> {
  const query = db('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select('a.*', 'u.email as actor_email')
    .orderBy('a.id', 'desc')
    .limit(options.limit);
  if (options.subjectType) query.where('a.subject_type', options.subjectType);
  if (options.subjectId) query.where('a.subject_id', options.subjectId);
  const rows = await query;
  return rows.map((row: Record<string, unknown>) => ({
    id: Number(row.id),
    actorId: row.actor_id === null || row.actor_id === undefined ? null : Number(row.actor_id),
    actorEmail: (row.actor_email as string | null) ?? null,
    action: row.action as string,
    subjectType: row.subject_type as string,
    subjectId: row.subject_id as string,
    reason: (row.reason as string | null) ?? null,
    details: row.details as Record<string, unknown>,
    createdAt: row.created_at as Date,
  }));
}

/**
 * What the journal names next to its entries, in three queries whatever the number of entries:
 * the places (name, status), the people (e-mail) and the labels (by id or slug) they mention.
 */
export async function journalSubjects(
  db: Conn,
  ids: { placeIds: number[]; userIds: number[]; labelIds: number[]; labelSlugs: string[] },
): Promise<{
  places: { id: number; nom: string; status: string }[];
  users: { id: number; email: string }[];
  labels: { id: number; slug: string; name: string }[];
}> {
  const [places, users, labels] = await Promise.all([
    ids.placeIds.length ? db('places').whereIn('id', ids.placeIds).select('id', 'nom', 'status') : [],
    ids.userIds.length ? db('users').whereIn('id', ids.userIds).select('id', 'email') : [],
    ids.labelIds.length || ids.labelSlugs.length
      ? db('labels').whereIn('id', ids.labelIds).orWhereIn('slug', ids.labelSlugs).select('id', 'slug', 'name')
      : [],
  ]);
  return {
    places: places.map((p: Record<string, unknown>) => ({
      id: Number(p.id),
      nom: p.nom as string,
      status: p.status as string,
    })),
    users: users.map((u: Record<string, unknown>) => ({ id: Number(u.id), email: u.email as string })),
    labels: labels.map((l: Record<string, unknown>) => ({
      id: Number(l.id),
      slug: l.slug as string,
      name: l.name as string,
    })),
  };
}
