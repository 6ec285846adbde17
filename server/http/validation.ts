import { z } from 'zod';
import { ValidationError, type FieldError } from './errors.js';

// French messages for every zod error, set once for the whole process.
z.config(z.locales.fr());

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : '(requête)',
    message: issue.message,
  }));
}

/** Parses untrusted input with a zod schema; bad input becomes a 400 naming each field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toFieldErrors(result.error));
  return result.data;
}
