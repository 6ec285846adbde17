import fc from 'fast-check';
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: z.ZodType;
  out?: z.ZodType;
  format?: string;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Values that look like what a schema accepts, read from the zod schema itself (objects, strings and
 * their formats, numbers with their bounds, enums, arrays, optional fields…): the fuzzing starts near
 * the valid inputs, so that requests get past the first check and reach the services and SQL, and the
 * hostile mutations are layered on top. Constraints the schema checks in code (regex, refine) are not
 * followed: values that fail them are just more rejected inputs.
 */
export function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const fields = Object.fromEntries(
        Object.entries(def.shape ?? {}).map(([key, item]) => [key, arbitraryFor(item)]),
      );
      // All fields present (gets past "required"), or any subset of them.
      return fc.oneof(fc.record(fields), fc.record(fields, { requiredKeys: [] }));
    }
    case 'string':
      if (def.format === 'email') return fc.emailAddress();
      if (def.format === 'url') return fc.webUrl();
      if (def.format === 'date') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      return fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
    case 'number': {
      const bounds = schema as unknown as { minValue: number | null; maxValue: number | null };
      const min = Math.max(bounds.minValue ?? -1e6, -1e12);
      const max = Math.min(bounds.maxValue ?? 1e6, 1e12);
      return fc.oneof(
        fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
        fc.double({ min, max, noNaN: true }),
        fc.constantFrom(min - 1, max + 1, min, max),
      );
    }
    case 'bigint':
      return fc.bigInt().map(String);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { x: 'x' }));
    case 'literal':
      return fc.constantFrom(...(def.values ?? ['']));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return fc.option(arbitraryFor(def.innerType!), { nil: undefined });
    case 'array':
      return fc.array(arbitraryFor(def.element!), { maxLength: 4 });
    case 'union':
      return fc.oneof(...(def.options ?? []).map(arbitraryFor));
    case 'pipe':
      // z.preprocess(fn, schema) is a pipe whose input is the transform: aim at what it feeds.
      return defOf(def.in!).type === 'transform' ? arbitraryFor(def.out!) : arbitraryFor(def.in!);
    default:
      return fc.string({ maxLength: 40 });
  }
}
