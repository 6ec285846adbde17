import { z } from 'zod';
import { ROLES } from './accounts.types.js';

export const PASSWORD_MIN = 10;

const email = z
  .string({ error: 'Indiquez votre adresse e-mail.' })
  .trim()
  .toLowerCase()
  .max(254, 'Adresse e-mail trop longue.')
  .pipe(z.email('Adresse e-mail invalide.'));

const newPassword = z
  .string({ error: 'Choisissez un mot de passe.' })
  .min(PASSWORD_MIN, `Le mot de passe doit faire au moins ${PASSWORD_MIN} caractères.`)
  .max(200, 'Le mot de passe doit faire au plus 200 caractères.');

/** Only local paths: never redirect to another site after log-in. */
export const returnTo = z
  .string()
  .optional()
  .transform((value) => (value && /^\/(?![/\\])/.test(value) ? value : undefined));

export const loginSchema = z.object({
  email,
  password: z.string({ error: 'Indiquez votre mot de passe.' }).min(1, 'Indiquez votre mot de passe.').max(200),
  retour: returnTo,
});

export const signupSchema = z
  .object({ email, password: newPassword, password_confirm: z.string().optional() })
  .refine((value) => value.password === value.password_confirm, {
    path: ['password_confirm'],
    error: 'Les deux mots de passe ne sont pas identiques.',
  });

export const forgotSchema = z.object({ email });

const token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'Lien invalide.');

export const tokenQuerySchema = z.object({ jeton: token.optional() });

export const tokenFormSchema = z.object({ jeton: token });

export const resetSchema = z
  .object({ jeton: token, password: newPassword, password_confirm: z.string().optional() })
  .refine((value) => value.password === value.password_confirm, {
    path: ['password_confirm'],
    error: 'Les deux mots de passe ne sont pas identiques.',
  });

export const roleChangeSchema = z.object({ role: z.enum(ROLES, 'Rôle inconnu.') });

/** PostgreSQL `integer` (ids, versions): larger numbers would be a database error (22003), never a 500. */
const PG_INT_MAX = 2_147_483_647;

/** A whole number from 1 to PG_INT_MAX, from a form field or a path segment. */
export const positiveInt = (message = 'Nombre entier positif attendu.') =>
  z.coerce.number({ error: message }).int(message).positive(message).max(PG_INT_MAX, message);

export const idParamSchema = z.object({ id: positiveInt() });
