/**
 * The upload page's column-to-field form: one row per field of the standard (the column that feeds
 * it, a transform from the command's set, its options), read into the same FileMapping as
 * `npm run import -- --mapping map.json`, and written back from a mapping (saved or guessed).
 * Flat field names (`colonne_nom`, `transformation_nom`…): the page works as a plain HTML form.
 */
import { z } from 'zod';
import { fileMappingSchema, type FileMapping } from '../import/file-mapping.js';
import { STANDARD_FIELDS } from '../import/standard-record.js';

type StandardField = (typeof STANDARD_FIELDS)[number];
type ColumnSpec = Exclude<FileMapping['fields'][StandardField], string | undefined>;

/** The fields a row cannot be imported without: the form says so before any preview. */
const REQUIRED_FIELDS: StandardField[] = ['nom', 'adresse', 'code_postal', 'commune'];

const TRANSFORMS = [
  { value: '', label: 'Valeur telle quelle' },
  { value: 'liste', label: 'Liste (cellule découpée au séparateur)' },
  { value: 'horaires', label: 'Horaires par jour ou demi-journée (colonnes « lundi matin »…)' },
  { value: 'coordonnees', label: 'Coordonnées « latitude,longitude » dans une cellule' },
  { value: 'adresse', label: 'Adresse « rue - code postal commune » dans une cellule' },
  { value: 'date', label: 'Date (format à choisir)' },
] as const;
type Transform = (typeof TRANSFORMS)[number]['value'];

const DATE_FORMATS = ['jj/mm/aaaa', 'aaaa-mm-jj', 'mm/jj/aaaa'] as const;

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

function fieldControls(field: StandardField) {
  return {
    [`colonne_${field}`]: optionalText(300, `${field} : nom de colonne trop long.`),
    [`transformation_${field}`]: z
      .enum(
        TRANSFORMS.map((t) => t.value),
        `${field} : transformation inconnue.`,
      )
      .optional(),
    [`separateur_${field}`]: optionalText(5, `${field} : séparateur de 5 caractères au plus.`),
    [`format_${field}`]: z.enum(DATE_FORMATS, `${field} : format de date inconnu.`).optional().or(z.literal('')),
    [`valeurs_${field}`]: optionalText(5000, `${field} : correspondance de valeurs trop longue.`),
  };
}

/** "Accès libre = Se présenter", one per line → { "Accès libre": "Se présenter" }. */
function valuesOf(text: string | undefined, field: string, ctx: z.RefinementCtx): Record<string, string> | undefined {
  if (!text) return undefined;
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (!line) continue;
    const at = line.indexOf('=');
    if (at <= 0) {
      ctx.addIssue({
        code: 'custom',
        path: [`valeurs_${field}`],
        message:
          `${field} : écrivez une correspondance par ligne, ` +
          `« valeur du fichier = valeur du standard » (ligne « ${line} »).`,
      });
      continue;
    }
    values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return Object.keys(values).length ? values : undefined;
}

/** The form's schema for a file with these columns: its output is a valid FileMapping. */
export function mappingFormSchema(columns: string[]) {
  const shape = Object.fromEntries(STANDARD_FIELDS.flatMap((field) => Object.entries(fieldControls(field))));
  return z.looseObject(shape).transform((form, ctx) => {
    const get = (name: string) => {
      const value = (form as Record<string, string | undefined>)[name];
      return value === '' ? undefined : value;
    };
    const fields: FileMapping['fields'] = {};
    for (const field of STANDARD_FIELDS) {
      const column = get(`colonne_${field}`);
      const transform = (get(`transformation_${field}`) ?? '') as Transform;
      if (column !== undefined && !columns.includes(column)) {
        ctx.addIssue({
          code: 'custom',
          path: [`colonne_${field}`],
          message: `${field} : la colonne « ${column} » n’est pas dans le fichier.`,
        });
        continue;
      }
      if (transform === 'horaires') {
        fields[field] = { transform: 'half-day-hours' };
        continue;
      }
      if (column === undefined) {
        if (transform)
          ctx.addIssue({
            code: 'custom',
            path: [`colonne_${field}`],
            message: `${field} : choisissez la colonne à transformer.`,
          });
        continue;
      }
      const spec: ColumnSpec = { column };
      if (transform === 'liste') spec.separator = get(`separateur_${field}`) ?? '|';
      if (transform === 'coordonnees') spec.transform = 'coordinates';
      if (transform === 'adresse') spec.transform = 'address';
      if (transform === 'date') {
        spec.transform = 'date';
        spec.format = (get(`format_${field}`) as ColumnSpec['format']) ?? 'jj/mm/aaaa';
      }
      const values = valuesOf(get(`valeurs_${field}`), field, ctx);
      if (values) spec.values = values;
      fields[field] = Object.keys(spec).length === 1 ? column : spec;
    }
    for (const field of REQUIRED_FIELDS)
      if (!fields[field])
        ctx.addIssue({
          code: 'custom',
          path: [`colonne_${field}`],
          message: `${field} : champ obligatoire, choisissez la colonne qui le contient.`,
        });
    return fileMappingSchema.parse({ fields });
  });
}

/** The form's values for a mapping (saved, or made of guesses), to prefill the form. */
export function formValuesOf(mapping: FileMapping): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [field, given] of Object.entries(mapping.fields)) {
    const spec: ColumnSpec = typeof given === 'string' ? { column: given } : given;
    if (spec.column) values[`colonne_${field}`] = spec.column;
    else if (spec.columns) values[`colonne_${field}`] = field === 'longitude' ? spec.columns[1] : spec.columns[0];
    if (spec.separator) {
      values[`transformation_${field}`] = 'liste';
      values[`separateur_${field}`] = spec.separator;
    }
    const transform = {
      'half-day-hours': 'horaires',
      coordinates: spec.columns ? '' : 'coordonnees',
      address: 'adresse',
      date: 'date',
    } as const;
    if (spec.transform) values[`transformation_${field}`] = transform[spec.transform];
    if (spec.format) values[`format_${field}`] = spec.format;
    if (spec.values)
      values[`valeurs_${field}`] = Object.entries(spec.values)
        .map(([from, to]) => `${from} = ${to}`)
        .join('\n');
  }
  return values;
}

/** The guesses as a mapping: each guessed column as is; hours from day columns when the file has them. */
export function mappingOfGuesses(guesses: Partial<Record<StandardField, string>>, hasDayColumns: boolean): FileMapping {
  const fields: FileMapping['fields'] = { ...guesses };
  if (hasDayColumns) fields.horaires = { transform: 'half-day-hours' };
  return { fields };
}

/** One row of the form per field, ready for the template. */
export function mappingFormRows(columns: string[], values: Record<string, string>, errors: Record<string, string>) {
  const errorOf = (name: string) => errors[name] as string | undefined;
  return STANDARD_FIELDS.map((field) => {
    const transform = values[`transformation_${field}`] ?? '';
    return {
      field,
      required: REQUIRED_FIELDS.includes(field),
      error: errorOf(`colonne_${field}`) ?? errorOf(`transformation_${field}`),
      optionsError: errorOf(`separateur_${field}`) ?? errorOf(`format_${field}`) ?? errorOf(`valeurs_${field}`),
      columns: columns.map((column) => ({ column, selected: values[`colonne_${field}`] === column })),
      transforms: TRANSFORMS.map((t) => ({ ...t, selected: t.value === transform })),
      separator: values[`separateur_${field}`] ?? '',
      formats: DATE_FORMATS.map((format) => ({ format, selected: values[`format_${field}`] === format })),
      valuesText: values[`valeurs_${field}`] ?? '',
      hasOptions: Boolean(values[`separateur_${field}`] || values[`format_${field}`] || values[`valeurs_${field}`]),
    };
  });
}

/** Only the form's own fields, as strings (what to put back in the form after a failed submit). */
export function formValuesOfBody(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).flatMap(([key, value]) =>
      /^(colonne|transformation|separateur|format|valeurs)_/.test(key) && typeof value === 'string'
        ? [[key, value]]
        : [],
    ),
  );
}
