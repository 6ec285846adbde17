import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request, { type Agent } from 'supertest';
import { hashPassword } from '../../server/accounts/passwords.js';
import type { Role } from '../../server/accounts/accounts.types.js';
import type { Db } from '../../server/db/knex.js';
import { csrfFrom } from './forms.js';

export const TEST_PASSWORD = 'mot-de-passe-de-test-1';
// One argon2 hash for every test user: hashing is deliberately slow.
let sharedHash: Promise<string> | undefined;

export interface TestUser {
  id: number;
  email: string;
  role: Role;
  password: string;
}

/** A user row of the given role (verified by default), with a unique address unless one is given. */
export async function createUser(
  db: Db,
  options: { role?: Role; email?: string; verified?: boolean; password?: string } = {},
): Promise<TestUser> {
  const role = options.role ?? 'mediator';
  const email = options.email ?? `${role}-${randomUUID().slice(0, 12)}@exemple.test`;
  const password = options.password ?? TEST_PASSWORD;
  const passwordHash = options.password
    ? await hashPassword(password)
    : await (sharedHash ??= hashPassword(TEST_PASSWORD));
  const [row] = await db('users')
    .insert({
      email,
      password_hash: passwordHash,
      role,
      email_verified_at: options.verified === false ? null : new Date(),
    })
    .returning('id');
  return { id: Number(row.id), email, role, password };
}

/** The CSRF token for this agent's cookie, read from a page that always has a form. */
export const csrfToken = (agent: Agent) => csrfFrom(agent, '/mot-de-passe-oublie');

/** A supertest agent signed in as `user` through the real log-in form (cookies kept). */
export async function loginAs(app: Express, user: Pick<TestUser, 'email'> & { password?: string }): Promise<Agent> {
  const agent = request.agent(app);
  const res = await postForm(agent, '/connexion', { email: user.email, password: user.password ?? TEST_PASSWORD });
  if (res.status !== 303) throw new Error(`loginAs(${user.email}) : ${res.status} ${res.text.slice(0, 200)}`);
  return agent;
}

/** An anonymous agent (it still gets a CSRF cookie, like a browser). */
export const anonymousAgent = (app: Express): Agent => request.agent(app);

/** Posts a form as a browser would: with this agent's CSRF token (urlencoded, repeated keys for arrays). */
export async function postForm(
  agent: Agent,
  path: string,
  fields: Record<string, string | number | string[] | undefined> = {},
) {
  const token = await csrfToken(agent);
  const body = new URLSearchParams();
  body.append('_csrf', token);
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) body.append(key, String(item));
  }
  return agent.post(path).type('form').send(body.toString());
}
