import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import type { Role, User } from './accounts.types.js';

type Conn = Db | Knex.Transaction;
type Row = Record<string, unknown>;

const toUser = (row: Row): User => ({
  id: Number(row.id),
  email: row.email as string,
  role: row.role as Role,
  passwordHash: (row.password_hash as string | null) ?? null,
  emailVerifiedAt: (row.email_verified_at as Date | null) ?? null,
  verified: row.email_verified_at != null,
  createdAt: row.created_at as Date,
});

export async function findUserByEmail(db: Conn, email: string): Promise<User | undefined> {
  const row = await db<Row>('users').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
  return row ? toUser(row) : undefined;
}

export async function findUserById(db: Conn, id: number): Promise<User | undefined> {
  const row = await db<Row>('users').where({ id }).first();
  return row ? toUser(row) : undefined;
}

export async function insertUser(
  db: Conn,
  user: { email: string; passwordHash: string | null; role: Role; verifiedAt?: Date | null },
): Promise<User | undefined> {
  const rows = await db.raw<{ rows: Row[] }>(
    `INSERT INTO users (email, password_hash, role, email_verified_at) VALUES (?, ?, ?, ?)
     ON CONFLICT ((lower(email))) DO NOTHING RETURNING *`,
    [user.email.trim(), user.passwordHash, user.role, user.verifiedAt ?? null],
  );
  const row = rows.rows[0] as Row | undefined; // none when the address is taken (DO NOTHING)
  return row ? toUser(row) : undefined;
}

export async function setPassword(db: Conn, userId: number, passwordHash: string, now: Date): Promise<void> {
  await db('users')
    .where({ id: userId })
    .update({ password_hash: passwordHash, updated_at: now, version: db.raw('version + 1') });
}

export async function markEmailVerified(db: Conn, userId: number, now: Date): Promise<void> {
  await db('users')
    .where({ id: userId })
    .whereNull('email_verified_at')
    .update({ email_verified_at: now, updated_at: now });
}

export async function setRole(db: Conn, userId: number, role: Role, now: Date): Promise<boolean> {
  const updated = await db('users')
    .where({ id: userId })
    .update({ role, updated_at: now, version: db.raw('version + 1') });
  return updated === 1;
}

export async function listUsers(db: Conn, options: { q?: string; limit: number }): Promise<User[]> {
  const query = db('users').orderBy('email').limit(options.limit);
  if (options.q) query.whereRaw('email ILIKE ?', [`%${options.q.replace(/[%_\\]/g, '\\$&')}%`]);
  return (await query).map(toUser);
}

// ---------- One-time tokens: only their SHA-256 is stored ----------

export type TokenPurpose = 'verify_email' | 'reset_password' | 'sign_in';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function insertToken(
  db: Conn,
  token: { userId: number; purpose: TokenPurpose; token: string; expiresAt: Date },
) {
  await db('account_tokens').insert({
    user_id: token.userId,
    purpose: token.purpose,
    token_hash: hashToken(token.token),
    expires_at: token.expiresAt,
  });
}

/** Marks a valid token used and returns its user id; undefined when unknown, used or expired. */
export async function consumeToken(
  db: Conn,
  purpose: TokenPurpose,
  token: string,
  now: Date,
): Promise<number | undefined> {
  const rows = await db('account_tokens')
    .where({ purpose, token_hash: hashToken(token) })
    .whereNull('used_at')
    .where('expires_at', '>', now)
    .update({ used_at: now })
    .returning<{ user_id: number | string }[]>('user_id');
  return rows[0] ? Number(rows[0].user_id) : undefined;
}

export async function findUsableToken(
  db: Conn,
  purpose: TokenPurpose,
  token: string,
  now: Date,
): Promise<number | undefined> {
  const row = await db('account_tokens')
    .where({ purpose, token_hash: hashToken(token) })
    .whereNull('used_at')
    .where('expires_at', '>', now)
    .first<{ user_id: number | string } | undefined>('user_id');
  return row ? Number(row.user_id) : undefined;
}

/** Earlier reset links stop working when a new one is sent or the password changes. */
export async function expireTokens(db: Conn, userId: number, purpose: TokenPurpose, now: Date): Promise<void> {
  await db('account_tokens').where({ user_id: userId, purpose }).whereNull('used_at').update({ used_at: now });
}

/** Signs a user out everywhere (after a password reset). */
export async function deleteSessionsOf(db: Conn, userId: number, exceptSid?: string): Promise<void> {
  const query = db('sessions').whereRaw(`(sess->>'userId')::bigint = ?`, [userId]);
  if (exceptSid) query.whereNot('sid', exceptSid);
  await query.delete();
}
