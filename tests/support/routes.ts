import type { Express } from 'express';

export interface RouteEntry {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express's path, e.g. `/mon-espace/lieux/:id/:section`, or a RegExp's source for regex routes. */
  path: string;
  /** The same route declared by several routers (a middleware and its handler) counts once. */
  key: string;
}

interface Layer {
  route?: { path: string | RegExp | (string | RegExp)[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string | RegExp | (string | RegExp)[];
  slash?: boolean;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * Every route the app answers, read from Express's router stack (routers mounted under a prefix
 * included): a route added tomorrow is fuzzed tomorrow without anyone updating a list.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const found = new Map<string, RouteEntry>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of asList(layer.route.path)) {
          for (const method of Object.keys(layer.route.methods)) {
            if (method === '_all') continue;
            const full = path instanceof RegExp ? path.source : `${prefix}${path}`;
            const entry = { method: method.toUpperCase() as RouteEntry['method'], path: full, key: '' };
            entry.key = `${entry.method} ${entry.path}`;
            found.set(entry.key, entry);
          }
        }
      } else if (layer.handle?.stack) {
        const mount = layer.slash || layer.rawPath === undefined ? '' : String(asList(layer.rawPath)[0]);
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...found.values()].sort((a, b) => a.key.localeCompare(b.key));
}
