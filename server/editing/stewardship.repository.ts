import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { camelize } from '../db/rows.js';

type Conn = Db | Knex.Transaction;
type Row = Record<string, unknown>;

// ---------- Who manages which place ----------

export type ClaimStatus = 'pending' | 'approved' | 'rejected' | 'revoked';
export type ClaimMethod = 'email' | 'domain' | 'moderator' | 'proposal';

export interface Claim {
  id: number;
  placeId: number;
  placeNom: string;
  userId: number;
  userEmail: string;
  status: ClaimStatus;
  method: ClaimMethod | null;
  message: string | null;
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

// Ids are numbers already: bigint columns are parsed as numbers (server/db/knex.ts).
const toClaim = (row: Row) => camelize(row) as unknown as Claim;

const claims = (db: Conn) =>
  db<Row>('place_managers as m')
    .join('places as p', 'p.id', 'm.place_id')
    .join('users as u', 'u.id', 'm.user_id')
    .select('m.*', 'p.nom as place_nom', 'u.email as user_email');

export async function isManager(db: Conn, placeId: number, userId: number): Promise<boolean> {
  const row = await db<Row>('place_managers')
    .where({ place_id: placeId, user_id: userId, status: 'approved' })
    .first('id');
  return Boolean(row);
}

/** How many published places list at least one address at this domain (lower-case). */
export async function publishedPlacesWithDomain(db: Conn, domain: string): Promise<number> {
  const row = await db('places as p')
    .where('p.status', 'published')
    .whereRaw(
      `EXISTS (SELECT 1 FROM unnest(p.courriels) AS e(address) WHERE lower(substring(e.address from '@([^@]*)$')) = ?)`,
      [domain.toLowerCase()],
    )
    .count<{ count: string }[]>({ count: '*' })
    .first();
  return Number(row?.count ?? 0);
}

export async function findClaim(db: Conn, placeId: number, userId: number): Promise<Claim | undefined> {
  const row = (await claims(db).where({ 'm.place_id': placeId, 'm.user_id': userId }).first()) as Row | undefined;
  return row ? toClaim(row) : undefined;
}

export async function findClaimById(db: Conn, id: number): Promise<Claim | undefined> {
  const row = (await claims(db).where('m.id', id).first()) as Row | undefined;
  return row ? toClaim(row) : undefined;
}

/** Creates the claim, or re-opens a rejected / revoked one. */
export async function upsertClaim(
  db: Conn,
  claim: {
    placeId: number;
    userId: number;
    status: 'pending' | 'approved';
    method: ClaimMethod | null;
    message: string | null;
  },
  now: Date,
): Promise<number> {
  const [row] = await db<Row>('place_managers')
    .insert({
      place_id: claim.placeId,
      user_id: claim.userId,
      status: claim.status,
      method: claim.method,
      message: claim.message,
      created_at: now,
      updated_at: now,
      decided_at: claim.status === 'approved' ? now : null,
    })
    .onConflict(['place_id', 'user_id'])
    .merge(['status', 'method', 'message', 'updated_at', 'decided_at'])
    .returning('id');
  return Number(row.id);
}

/** Decides a claim only if it is still in `from` status; false when someone decided first. */
export async function decideClaim(
  db: Conn,
  id: number,
  from: ClaimStatus,
  decision: { status: ClaimStatus; method?: ClaimMethod; reason: string | null; decidedBy: number },
  now: Date,
): Promise<boolean> {
  const updated = await db('place_managers')
    .where({ id, status: from })
    .update({
      status: decision.status,
      ...(decision.method ? { method: decision.method } : {}),
      reason: decision.reason,
      decided_by: decision.decidedBy,
      decided_at: now,
      updated_at: now,
    });
  return updated === 1;
}

export async function claimsOfUser(db: Conn, userId: number): Promise<Claim[]> {
  return (await claims(db).where('m.user_id', userId).orderBy('p.nom')).map(toClaim);
}

export async function claimsByStatus(db: Conn, status: ClaimStatus, limit = 100): Promise<Claim[]> {
  return (await claims(db).where('m.status', status).orderBy('m.created_at').limit(limit)).map(toClaim);
}

export async function managersOfPlace(db: Conn, placeId: number): Promise<Claim[]> {
  return (await claims(db).where('m.place_id', placeId).where('m.status', 'approved').orderBy('u.email')).map(toClaim);
}

// ---------- New places proposed by mediators ----------

export interface Proposal {
  id: number;
  userId: number;
  userEmail: string;
  record: Record<string, unknown>;
  status: 'pending' | 'accepted' | 'rejected';
  placeId: number | null;
  reason: string | null;
  createdAt: Date;
}

const toProposal = (row: Record<string, unknown>) => camelize(row) as unknown as Proposal;

const proposals = (db: Conn) =>
  db<Row>('place_proposals as pp').join('users as u', 'u.id', 'pp.user_id').select('pp.*', 'u.email as user_email');

export async function insertProposal(
  db: Conn,
  proposal: { userId: number; record: Record<string, unknown> },
  now: Date,
): Promise<number> {
  const [row] = await db<Row>('place_proposals')
    .insert({ user_id: proposal.userId, record: JSON.stringify(proposal.record), created_at: now })
    .returning('id');
  return Number(row.id);
}

export async function findProposal(db: Conn, id: number): Promise<Proposal | undefined> {
  const row = (await proposals(db).where('pp.id', id).first()) as Row | undefined;
  return row ? toProposal(row) : undefined;
}

export async function proposalsByStatus(db: Conn, status: Proposal['status'], limit = 100): Promise<Proposal[]> {
  return (await proposals(db).where('pp.status', status).orderBy('pp.created_at').limit(limit)).map(toProposal);
}

export async function proposalsOfUser(db: Conn, userId: number): Promise<Proposal[]> {
  return (await proposals(db).where('pp.user_id', userId).orderBy('pp.created_at', 'desc')).map(toProposal);
}

export async function decideProposal(
  db: Conn,
  id: number,
  decision: { status: 'accepted' | 'rejected'; placeId?: number; reason: string | null; decidedBy: number },
  now: Date,
): Promise<boolean> {
  const updated = await db('place_proposals')
    .where({ id, status: 'pending' })
    .update({
      status: decision.status,
      place_id: decision.placeId ?? null,
      reason: decision.reason,
      decided_by: decision.decidedBy,
      decided_at: now,
    });
  return updated === 1;
}

// ---------- Label requests ----------

export interface LabelRequest {
  id: number;
  placeId: number;
  placeNom: string;
  labelId: number;
  labelName: string;
  labelSlug: string;
  action: 'add' | 'remove';
  userId: number;
  userEmail: string;
  status: 'pending' | 'accepted' | 'rejected';
  reason: string | null;
  createdAt: Date;
}

const labelRequests = (db: Conn) =>
  db('label_requests as r')
    .join('places as p', 'p.id', 'r.place_id')
    .join('labels as l', 'l.id', 'r.label_id')
    .join('users as u', 'u.id', 'r.user_id')
    .select('r.*', 'p.nom as place_nom', 'l.name as label_name', 'l.slug as label_slug', 'u.email as user_email');

const toLabelRequest = (row: Record<string, unknown>) => camelize(row) as unknown as LabelRequest;

export async function insertLabelRequest(
  db: Conn,
  request: { placeId: number; labelId: number; action: 'add' | 'remove'; userId: number },
  now: Date,
): Promise<void> {
  await db('label_requests')
    .insert({
      place_id: request.placeId,
      label_id: request.labelId,
      action: request.action,
      user_id: request.userId,
      created_at: now,
    })
    .onConflict(db.raw(`(place_id, label_id) WHERE status = 'pending'`))
    .ignore();
}

export async function labelRequestsFor(
  db: Conn,
  where: { placeId?: number; status?: LabelRequest['status']; id?: number },
  limit = 100,
): Promise<LabelRequest[]> {
  const query = labelRequests(db).orderBy('r.created_at').limit(limit);
  if (where.placeId) query.where('r.place_id', where.placeId);
  if (where.status) query.where('r.status', where.status);
  if (where.id) query.where('r.id', where.id);
  return (await query).map(toLabelRequest);
}

export async function decideLabelRequest(
  db: Conn,
  id: number,
  decision: { status: 'accepted' | 'rejected'; reason: string | null; decidedBy: number },
  now: Date,
): Promise<boolean> {
  const updated = await db('label_requests')
    .where({ id, status: 'pending' })
    .update({ status: decision.status, reason: decision.reason, decided_by: decision.decidedBy, decided_at: now });
  return updated === 1;
}

/** All the labels that can be asked for (a place's current links: places.repository's labelLinksOfPlaces). */
export async function allLabels(db: Conn): Promise<{ id: number; slug: string; name: string; kind: string }[]> {
  return db('labels').select('id', 'slug', 'name', 'kind').orderBy('name');
}
