import { randomBytes } from 'node:crypto';
import type { Db } from '../db/knex.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { composeEmail } from '../mail/emails.js';
import type { Mailer } from '../mail/mailer.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../shared/clock.js';
import {
  consumeToken,
  deleteSessionsOf,
  expireTokens,
  findUserByEmail,
  findUserById,
  findUsableToken,
  insertToken,
  insertUser,
  listUsers,
  markEmailVerified,
  setPassword,
  setRole,
} from './accounts.repository.js';
import { ROLE_NAMES, type CurrentUser, type Role, type User } from './accounts.types.js';
import { hashPassword, verifyPassword } from './passwords.js';

const VERIFY_TTL_MS = 48 * 3_600_000;
const RESET_TTL_MS = 60 * 60_000;
const SIGN_IN_TTL_MS = 15 * 60_000;

const newToken = () => randomBytes(32).toString('base64url');

export function createAccountsService(deps: { db: Db; clock: Clock; mailer: Mailer; publicBaseUrl: string }) {
  const { db, clock, mailer } = deps;
  const url = (path: string) => new URL(path, deps.publicBaseUrl).toString();

  async function sendVerification(user: Pick<User, 'id' | 'email'>) {
    const token = newToken();
    await insertToken(db, {
      userId: user.id,
      purpose: 'verify_email',
      token,
      expiresAt: new Date(clock.now().getTime() + VERIFY_TTL_MS),
    });
    const link = url(`/compte/verifier?jeton=${token}`);
    await mailer.send(composeEmail(user.email, 'verify-email', { link }, link));
  }

  /**
   * Never says whether the address already has an account: the mailbox owner is told instead. An
   * address that signed up but never confirmed gets a new confirmation link: whoever holds the
   * mailbox can take the account over (and choose its password) whoever created it.
   */
  async function signUp(input: { email: string; password: string }) {
    const passwordHash = await hashPassword(input.password);
    const user = await insertUser(db, { email: input.email, passwordHash, role: 'mediator' });
    const existing = user ? undefined : await findUserByEmail(db, input.email);
    const unverified = user ?? (existing && !existing.verified ? existing : undefined);
    if (unverified) {
      await sendVerification(unverified);
      return;
    }
    await mailer.send(
      composeEmail(input.email, 'account-exists', {
        loginUrl: url('/connexion'),
        resetUrl: url('/mot-de-passe-oublie'),
      }),
    );
  }

  async function resendVerification(userId: number) {
    const user = await findUserById(db, userId);
    if (!user || user.verified) return;
    await sendVerification(user);
  }

  async function isVerifyTokenUsable(token: string) {
    return (await findUsableToken(db, 'verify_email', token, clock.now())) !== undefined;
  }

  /**
   * Confirming an address hands the account to the person who clicked, not to whoever created it
   * (issue 11, defect 5: someone may sign up with a place's address and stay signed in): the link
   * is used once, the clicker chooses the password, and every session of the account ends.
   * Returns the account's id (the route signs the clicker in), or undefined for a dead link.
   */
  async function confirmAccount(token: string, password: string): Promise<number | undefined> {
    const passwordHash = await hashPassword(password);
    return db.transaction(async (trx) => {
      const now = clock.now();
      const userId = await consumeToken(trx, 'verify_email', token, now);
      if (!userId) return undefined;
      await setPassword(trx, userId, passwordHash, now);
      await markEmailVerified(trx, userId, now);
      for (const purpose of ['verify_email', 'reset_password', 'sign_in'] as const)
        await expireTokens(trx, userId, purpose, now);
      await deleteSessionsOf(trx, userId);
      return userId;
    });
  }

  async function authenticate(email: string, password: string): Promise<User | undefined> {
    const user = await findUserByEmail(db, email);
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    return ok ? user : undefined;
  }

  async function sendReset(user: Pick<User, 'id' | 'email'>, reason: 'requested' | 'new-admin') {
    const now = clock.now();
    await expireTokens(db, user.id, 'reset_password', now);
    const token = newToken();
    await insertToken(db, {
      userId: user.id,
      purpose: 'reset_password',
      token,
      expiresAt: new Date(now.getTime() + RESET_TTL_MS),
    });
    const link = url(`/mot-de-passe/nouveau?jeton=${token}`);
    await mailer.send(composeEmail(user.email, 'set-password', { link, newAdmin: reason === 'new-admin' }, link));
  }

  /** Same answer whether or not the address has an account (the route runs this after answering). */
  async function requestReset(email: string) {
    const user = await findUserByEmail(db, email);
    if (user) await sendReset(user, 'requested');
  }

  /**
   * "Recevoir un lien de connexion": a flood of wrong passwords against an address never keeps its
   * owner out. Only for confirmed accounts; an unconfirmed one gets its confirmation link instead
   * (choosing the password there ends whatever sessions its creator had). Unknown: nothing sent.
   */
  async function requestSignInLink(email: string) {
    const user = await findUserByEmail(db, email);
    if (!user) return;
    if (!user.verified) return sendVerification(user);
    const now = clock.now();
    await expireTokens(db, user.id, 'sign_in', now);
    const token = newToken();
    await insertToken(db, {
      userId: user.id,
      purpose: 'sign_in',
      token,
      expiresAt: new Date(now.getTime() + SIGN_IN_TTL_MS),
    });
    const link = url(`/connexion/lien/ouvrir?jeton=${token}`);
    await mailer.send(composeEmail(user.email, 'sign-in-link', { link }, link));
  }

  async function isSignInTokenUsable(token: string) {
    return (await findUsableToken(db, 'sign_in', token, clock.now())) !== undefined;
  }

  /** Uses a sign-in link once; returns the account's id, or undefined for a dead link. */
  async function signInWithLink(token: string): Promise<number | undefined> {
    const userId = await consumeToken(db, 'sign_in', token, clock.now());
    if (!userId) return undefined;
    const user = await findUserById(db, userId);
    return user?.verified ? user.id : undefined;
  }

  async function isResetTokenUsable(token: string) {
    return (await findUsableToken(db, 'reset_password', token, clock.now())) !== undefined;
  }

  /** Uses the link once, sets the password, confirms the address (the link proves it) and signs out everywhere. */
  async function resetPassword(token: string, password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    return db.transaction(async (trx) => {
      const now = clock.now();
      const userId = await consumeToken(trx, 'reset_password', token, now);
      if (!userId) return false;
      await setPassword(trx, userId, passwordHash, now);
      await markEmailVerified(trx, userId, now);
      await expireTokens(trx, userId, 'reset_password', now);
      await expireTokens(trx, userId, 'sign_in', now);
      await deleteSessionsOf(trx, userId);
      return true;
    });
  }

  /** The first admin (CLI): creates the account or promotes it, then e-mails a link to set the password. */
  async function createAdmin(email: string): Promise<{ created: boolean; user: User }> {
    const now = clock.now();
    let created = false;
    let user = await findUserByEmail(db, email);
    if (!user) {
      user = await insertUser(db, { email, passwordHash: null, role: 'admin', verifiedAt: now });
      // Only a concurrent sign-up with the same address between the two queries can get here.
      if (!user) throw new Error(`createAdmin: ${email} was created by someone else meanwhile; run it again`);
      created = true;
    } else {
      await setRole(db, user.id, 'admin', now);
    }
    await recordAudit(
      db,
      {
        actorId: null,
        action: 'user.role',
        subjectType: 'user',
        subjectId: user.id,
        details: { role: 'admin', via: 'cli' },
      },
      now,
    );
    await sendReset(user, 'new-admin');
    return { created, user: { ...user, role: 'admin' } };
  }

  async function changeRole(actor: CurrentUser, userId: number, role: Role) {
    if (actor.id === userId && role !== 'admin') {
      throw new ValidationError([
        { field: 'role', message: 'Vous ne pouvez pas retirer votre propre rôle d’administration.' },
      ]);
    }
    await db.transaction(async (trx) => {
      const user = await findUserById(trx, userId);
      if (!user) throw new NotFoundError('Ce compte n’existe pas.');
      const now = clock.now();
      await setRole(trx, userId, role, now);
      await recordAudit(
        trx,
        {
          actorId: actor.id,
          action: 'user.role',
          subjectType: 'user',
          subjectId: userId,
          details: { from: user.role, to: role },
        },
        now,
      );
    });
    const user = await findUserById(db, userId);
    if (user) {
      await mailer.send(composeEmail(user.email, 'role-changed', { roleName: ROLE_NAMES[role] }));
    }
  }

  return {
    signUp,
    resendVerification,
    isVerifyTokenUsable,
    confirmAccount,
    authenticate,
    requestReset,
    isResetTokenUsable,
    resetPassword,
    requestSignInLink,
    isSignInTokenUsable,
    signInWithLink,
    createAdmin,
    changeRole,
    listUsers: (q?: string) => listUsers(db, { q, limit: 200 }),
    findUserById: (id: number) => findUserById(db, id),
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
