import type { z } from 'zod';
import { toFieldErrors } from '../http/validation.js';

export type FormErrors = Record<string, string>;

/** Parses a form; on failure returns French messages keyed by field, for display next to each field. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: FormErrors } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FormErrors = {};
  for (const { field, message } of toFieldErrors(result.error)) {
    const key = field.split('.')[0];
    if (!errors[key]) errors[key] = message;
  }
  return { ok: false, errors };
}

export const errorSummary = (errors: FormErrors) =>
  Object.entries(errors).map(([field, message]) => ({ field, message }));
