type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
export type Camelized<T> = { [K in keyof T as CamelCase<K & string>]: T[K] };

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Repositories hand plain camelCase objects to the rest of the code. */
export function camelize<T extends Record<string, unknown>>(row: T): Camelized<T> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])) as Camelized<T>;
}

export function snakeKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [snake(k), v]),
  );
}
