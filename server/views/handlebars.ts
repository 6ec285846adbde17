import { create } from 'express-handlebars';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFrenchDate } from '../shared/paris-time.js';

export const VIEWS_DIR = path.dirname(fileURLToPath(import.meta.url));

const frenchNumber = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** Every Handlebars helper of the site, registered in this one place. */
const helpers = {
  eq: (a: unknown, b: unknown) => a === b,
  not: (a: unknown) => !a,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  includes: (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
  json: (value: unknown) => JSON.stringify(value),
  /** JSON for a <script type="application/json"> block (use with {{{ }}}): "<" can never close the script. */
  jsonScript: (value: unknown) =>
    JSON.stringify(value ?? null)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  km: (value: number) => `${frenchNumber.format(value)} km`,
  number: (value: number) => frenchNumber.format(value),
  dateFr: (value: Date | string | null) => (value ? formatFrenchDate(new Date(value)) : ''),
  isoDate: (value: Date | string | null) => (value ? new Date(value).toISOString() : ''),
  join: (list: unknown, separator: unknown) =>
    Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : '',
  plural: (count: number, singular: string, pluralForm: string) => (count > 1 ? pluralForm : singular),
  year: () => new Date().getFullYear(),
};

export function createViewEngine() {
  return create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(VIEWS_DIR, 'layouts'),
    partialsDir: path.join(VIEWS_DIR, 'partials'),
    helpers,
  });
}
