export const ROLES = ['mediator', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  mediator: 'Médiateur ou médiatrice',
  moderator: 'Modération',
  admin: 'Administration',
};

/** Who is there: `res.locals.currentUser` on every request (undefined for anonymous visitors). */
export interface CurrentUser {
  id: number;
  email: string;
  role: Role;
  verified: boolean;
}

export interface User extends CurrentUser {
  passwordHash: string | null;
  emailVerifiedAt: Date | null;
  createdAt: Date;
}

declare module 'express-session' {
  interface SessionData {
    userId: number;
    /** When this signed-in session began (ms): the absolute expiry counts from here. */
    startedAt: number;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      currentUser?: CurrentUser;
      /** Printed by templates (`{{@root.csrfToken}}`); made only then. */
      csrfToken?: { toString(): string };
    }
  }
}
