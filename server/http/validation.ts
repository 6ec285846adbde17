import { z } from 'zod';
import { ValidationError, type FieldError } from './errors.js';

// French messages for every zod error, set once for the whole process.
z.config(z.locales.fr());

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const prefix = issue.path.map(String).join('.');
    // A strict object names each unknown key: say so field by field.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: prefix ? `${prefix}.${key}` : key, message: 'Paramètre inconnu.' }));
    }
    return [{ field: prefix || '(requête)', message: issue.message }];
  });
}

/** Parses untrusted input with a zod schema; bad input becomes a 400 naming each field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toFieldErrors(result.error));
  return result.data;
}
