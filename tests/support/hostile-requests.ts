import fc from 'fast-check';
import type { z } from 'zod';
import type { RouteEntry } from './routes.js';
import { arbitraryFor } from './zod-arbitrary.js';

/** Who sends the request: each kind of person has its own signed-in agent (cookies kept). */
export const WHO = ['anonymous', 'mediator', 'moderator', 'admin'] as const;
export type Who = (typeof WHO)[number];

export interface HostileRequest {
  method: string;
  /** Path and query string, already percent-encoded (sometimes badly, on purpose). */
  url: string;
  who: Who;
  /** A mutating request carries the agent's real CSRF token, a forged one, or none. */
  csrf: 'valid' | 'forged' | 'missing';
  headers: Record<string, string>;
  body?: { type: string; data: string };
  /** For the report: what kind of body this was. */
  bodyKind: string;
}

/** Values each named path parameter may take besides hostile ones: rows this test made for itself. */
export type ParamPools = Record<string, fc.Arbitrary<string>>;

/** What a route's query (GET) or form (POST) looks like, when a zod schema says it. */
export type InputSchemas = (route: RouteEntry, params: Record<string, string>) => z.ZodType | undefined;

const HUNDRED_KB = 'a'.repeat(100 * 1024);

/** Strings an attacker types: injections, numbers that are not quite numbers, odd Unicode. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\r\n\t',
  "' OR '1'='1",
  '1; DROP TABLE places; --',
  "1' UNION SELECT password_hash FROM users --",
  '$1',
  '%',
  '_',
  '\\',
  '{{constructor.constructor("return process")()}}',
  '{{#each this}}{{@key}}{{/each}}',
  '{{> error}}',
  '${7*7}',
  '<%= 7*7 %>',
  '<script>window.__xss=1</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '-1',
  '0',
  '1.5',
  '1e309',
  'NaN',
  'Infinity',
  '2147483648',
  '9007199254740993',
  '0x10',
  ' 7 ',
  '\uD800',
  'a\uDFFFb',
  '\uFEFF\u200B\u202E',
  '🏳️‍🌈',
  'İıǅ',
  '../../../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  'true',
];

/** Percent-encoding that does not decode: a lone `%`, bytes that are not UTF-8, overlong forms. */
const MALFORMED_ENCODINGS = ['%', '%E0', '%zz', '%ED%A0%80', '%C0%AE%C0%AE', '%FF%FE', '%%', '%u0041', '%E0%A4%A'];

/** Percent-encodes as UTF-8 without throwing on lone surrogates (they become U+FFFD, as a browser sends). */
function encode(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('hex')
    .replace(/../g, (byte) => {
      const char = String.fromCharCode(parseInt(byte, 16));
      return /[A-Za-z0-9\-_.~]/.test(char) && parseInt(byte, 16) < 128 ? char : `%${byte.toUpperCase()}`;
    });
}

/** A piece of a URL or form: text to encode, or raw characters sent as they are. */
type Piece = { text: string } | { raw: string };
const piece = (p: Piece) => ('raw' in p ? p.raw : encode(p.text));

const hostileText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 100, maxLength: 300 }) },
);
const hostilePiece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 4, arbitrary: hostileText.map((text) => ({ text })) },
  { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_ENCODINGS).map((raw) => ({ raw })) },
);

/** Any JSON value an attacker may put where a string or a number is expected. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.constant(HUNDRED_KB) },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -0, -1, 1e308, 2 ** 53 + 1, 1.5) },
  { weight: 2, arbitrary: fc.array(hostileText, { maxLength: 5 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({}, { $gt: '' }, [[[]]], { length: 1e9 }, JSON.parse('{"__proto__":{"x":1}}')),
  },
);

/** A form value (or query value): text, a repeated parameter, a 100 KB string, malformed encoding. */
const hostileFormValue: fc.Arbitrary<Piece[]> = fc.oneof(
  { weight: 6, arbitrary: hostilePiece.map((p) => [p]) },
  { weight: 2, arbitrary: fc.array(hostilePiece, { minLength: 2, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant<Piece[]>([{ raw: HUNDRED_KB }]) },
);

/** Pairs for a form or a query: the schema's plausible values, then some replaced, repeated or added. */
function formPairs(schema: z.ZodType | undefined, maxValueLength: number): fc.Arbitrary<[Piece, Piece][]> {
  const base = schema ? arbitraryFor(schema) : fc.constant({});
  return fc
    .tuple(
      base,
      fc.array(fc.tuple(fc.nat(20), hostileFormValue), { maxLength: 3 }),
      fc.array(fc.tuple(fc.oneof(hostilePiece, fc.constantFrom({ text: 'limit' }, { text: 'q' })), hostileFormValue), {
        maxLength: 2,
      }),
      fc.boolean(),
    )
    .map(([plausible, replacements, extra, duplicate]) => {
      const entries = Object.entries(typeof plausible === 'object' && plausible ? plausible : {}).filter(
        ([, v]) => v !== undefined,
      );
      const pairs: [Piece, Piece][] = entries.flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map((v): [Piece, Piece] => [
          { text: key },
          { text: typeof v === 'object' ? JSON.stringify(v) : String(v) },
        ]),
      );
      for (const [index, values] of replacements) {
        if (!pairs.length) break;
        const [key] = pairs[index % pairs.length];
        pairs.splice(index % pairs.length, 1, ...values.map((v): [Piece, Piece] => [key, v]));
      }
      for (const [key, values] of extra) for (const v of values) pairs.push([key, v]);
      if (duplicate && pairs.length) pairs.push(pairs[0]);
      return pairs.filter(([, v]) => piece(v).length <= maxValueLength);
    });
}

const joinPairs = (pairs: [Piece, Piece][]) => pairs.map(([k, v]) => `${piece(k)}=${piece(v)}`).join('&');

const CONTENT_TYPES = [
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded; charset=koi8-r',
  'application/octet-stream',
  'image/png',
];
const MALFORMED_JSON = ['{"a":', '{a:1}', '[', '"unterminated', '{"a":1}garbage', '\uFEFF{}', 'nul', '{"a":1,}', ''];

/** A POST body: the schema's form with hostile values, JSON of any shape, malformed or oversized, or typed wrong. */
function bodyFor(schema: z.ZodType | undefined): fc.Arbitrary<{ kind: string; type: string; data: string }> {
  const form = 'application/x-www-form-urlencoded';
  const json = 'application/json';
  const plausibleJson = schema ? arbitraryFor(schema) : fc.constant({});
  return fc.oneof(
    {
      weight: 10,
      arbitrary: formPairs(schema, Infinity).map((p) => ({ kind: 'form', type: form, data: joinPairs(p) })),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          plausibleJson,
          fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('email', 'version')), hostileJson, {
            maxKeys: 3,
          }),
        )
        .map(([p, hostile]) => ({
          kind: 'json',
          type: json,
          data: JSON.stringify(typeof p === 'object' && p ? { ...p, ...hostile } : hostile),
        })),
    },
    {
      weight: 2,
      arbitrary: hostileJson.map((v) => ({ kind: 'json-scalar', type: json, data: JSON.stringify(v) })),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...MALFORMED_JSON).map((data) => ({ kind: 'malformed-json', type: json, data })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 50 }))
        .map(([type, data]) => ({ kind: 'wrong-type', type, data })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { kind: 'oversized-json', type: json, data: JSON.stringify({ nom: 'a'.repeat(120 * 1024) }) },
        { kind: 'oversized-form', type: form, data: `nom=${'%C3%A9'.repeat(100 * 1024)}` },
        { kind: 'deep-json', type: json, data: '['.repeat(20_000) + ']'.repeat(20_000) },
      ),
    },
  );
}

/** A path parameter: one of this test's own rows most of the time, else anything. */
function paramValue(name: string, pools: ParamPools): fc.Arbitrary<string> {
  const hostile = hostilePiece.map(piece).filter((p) => p.length <= 4096);
  const outOfRange = fc.constantFrom('0', '-1', '2147483648', '99999999999999999999', '1.5', '1e3', '2000000000');
  const pool = pools[name] as fc.Arbitrary<string> | undefined;
  return pool
    ? fc.oneof({ weight: 5, arbitrary: pool }, { weight: 2, arbitrary: hostile }, { weight: 1, arbitrary: outOfRange })
    : fc.oneof(hostile, outOfRange);
}

const ORIGINS = ['http://epn.test', 'https://attaquant.example', 'null', 'http://epn.test.attaquant.example'];
const ACCEPTS = ['text/html', 'application/json', '*/*', 'application/problem+json', 'image/png', ';;q=x,'];

/** Requests aimed at one route: its method mostly, its parameters, a query, a body, a person, headers. */
export function hostileRequestsFor(route: RouteEntry, pools: ParamPools, schemas: InputSchemas) {
  const paramNames = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const regexRoute = !route.path.startsWith('/');
  const params = fc.record(Object.fromEntries(paramNames.map((name) => [name, paramValue(name, pools)])));
  return params
    .chain((values) => {
      const path = regexRoute
        ? '/sitemap-lieux-1.xml'
        : route.path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? '');
      const schema = schemas(route, values);
      const method = fc.oneof(
        { weight: 12, arbitrary: fc.constant(route.method) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') },
      );
      const regexPath = fc.oneof(
        fc.constant(path),
        fc.nat().map((n) => `/sitemap-lieux-${n}.xml`),
      );
      return fc.record({
        method,
        path: regexRoute ? regexPath : fc.constant(path),
        query: fc.oneof(
          { weight: 2, arbitrary: fc.constant('') },
          // The whole URL stays under Node's 16 KB header limit (a 431 from Node is not the app's answer).
          { weight: 5, arbitrary: formPairs(route.method === 'GET' ? schema : undefined, 6000).map(joinPairs) },
        ),
        who: fc.constantFrom(...WHO),
        csrf: fc.constantFrom<HostileRequest['csrf']>('valid', 'valid', 'valid', 'forged', 'missing'),
        accept: fc.option(fc.constantFrom(...ACCEPTS), { nil: undefined }),
        origin: fc.option(fc.constantFrom(...ORIGINS), { nil: undefined, freq: 2 }),
        body: fc.option(bodyFor(route.method === 'POST' ? schema : undefined), { nil: undefined, freq: 8 }),
      });
    })
    .map((r): HostileRequest => {
      const headers: Record<string, string> = {};
      if (r.accept) headers.Accept = r.accept;
      if (r.origin) headers.Origin = r.origin;
      const query = r.query.slice(0, 6000);
      return {
        method: r.method,
        url: query ? `${r.path}?${query}` : r.path,
        who: r.who,
        csrf: r.csrf,
        headers,
        body:
          r.body && r.method !== 'GET' && r.method !== 'HEAD' ? { type: r.body.type, data: r.body.data } : undefined,
        bodyKind: r.body?.kind ?? 'none',
      };
    });
}
