type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
export type Camelized<T> = { [K in keyof T as CamelCase<K & string>]: T[K] };

// Column names are few and the same on every row: each is converted once (a regex per key per row
// was 8 % of the search page's CPU). Bounded: only column names come here, but a cap costs nothing.
const camelNames = new Map<string, string>();
const CAMEL_NAMES_KEPT = 10_000;

const camel = (key: string) => {
  let name = camelNames.get(key);
  if (name === undefined) {
    name = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camelNames.size >= CAMEL_NAMES_KEPT) camelNames.clear();
    camelNames.set(key, name);
  }
  return name;
};
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Repositories hand plain camelCase objects to the rest of the code. */
export function camelize<T extends Record<string, unknown>>(row: T): Camelized<T> {
  const camelized: Record<string, unknown> = {};
  for (const key of Object.keys(row)) camelized[camel(key)] = row[key];
  return camelized as Camelized<T>;
}

export function snakeKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [snake(k), v]),
  );
}
