/**
 * A row in the standard's field names (v1, or v0.1 and its variants) → a v1 record, with the
 * repairs applied where the intent is clear, each one reported. Validation is the next step
 * (row-validation.ts): nothing here rejects a row.
 */
import { RESUME_MAX_LENGTH, STANDARD_COLUMNS } from '../../places/standard.js';
import { checkOpeningHours, normaliseOpeningHours } from '../../shared/opening-hours.js';
import {
  ACCOMPAGNEMENT_V0,
  FRAIS_V0,
  PRISE_EN_CHARGE_V0,
  PROGRAMMES_V0,
  PUBLICS_V0,
  SERVICES_V0,
  V1_ENUMS,
  slug,
  v0Label,
} from './standard-values.js';

export type StandardRecord = Partial<Record<string, string | number | string[]>>;
export interface Repair {
  field: string;
  value: unknown;
  rule: string;
}

export const STANDARD_FIELDS = STANDARD_COLUMNS;

const MULTI_VALUED_FIELDS = new Set<string>([
  'typologie',
  'courriels',
  'site_web',
  'itinerance',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'autres_formations_labels',
  'modalites_acces',
  'modalites_accompagnement',
]);
const URL_FIELDS = new Set(['site_web', 'fiche_acces_libre', 'prise_rdv']);

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: ' ' };
/** "&amp;amp;" (escaped twice), "&#39;", "&eacute;"-free entities → the character. */
function decodeEntities(value: string): string {
  let previous: string;
  let current = value;
  do {
    previous = current;
    current = current
      .replace(/&(amp|quot|apos|lt|gt|nbsp);/g, (_, name: string) => ENTITIES[name])
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
      .replace(/&#x([\da-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)));
  } while (current !== previous);
  return current;
}

export const textOf = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a scalar read from JSON or CSV
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
};

const OVERSEAS_PREFIXES: Record<string, string> = {
  '0590': '+590',
  '0690': '+590',
  '0691': '+590',
  '0594': '+594',
  '0694': '+594',
  '0596': '+596',
  '0696': '+596',
  '0262': '+262',
  '0263': '+262',
  '0692': '+262',
  '0693': '+262',
  '0269': '+262',
  '0639': '+262',
};
/** "04 79 88 59 36", "04.79.88.59.36", "+33 (0)4…" → "+33479885936"; anything unsure is left for validation. */
function normalisePhone(raw: string): string {
  const digits = raw
    .replace(/[\s.\-/()]/g, '')
    .replace(/^\+33\(?0\)?/, '+33')
    .replace(/^00/, '+');
  if (/^\+\d{8,12}$/.test(digits)) return digits.replace(/^\+330/, '+33');
  if (/^0[1-9]\d{8}$/.test(digits)) {
    const overseas = OVERSEAS_PREFIXES[digits.slice(0, 4)];
    return overseas ? overseas + digits.slice(1) : `+33${digits.slice(1)}`;
  }
  if (/^[1-9]\d{8}$/.test(digits)) return `+33${digits}`;
  return raw;
}

/** "9h30-12h, 14h-17h" style hours: the library reads some of it; "9h30" → "09:30" first. */
function repairHours(value: string): string {
  const withColons = value.replace(
    /\b(\d{1,2})\s*h\s*(\d{2})?\b/gi,
    (_, h: string, m?: string) => `${h.padStart(2, '0')}:${m ?? '00'}`,
  );
  return normaliseOpeningHours(withColons);
}

const unique = (values: string[]) => [...new Set(values)];

/** Splits a multi-valued cell on `|` (v1) or `;` (v0.1); a mix of both is repaired and reported. */
function listOf(value: unknown, field: string, repairs: Repair[]): string[] {
  if (Array.isArray(value)) return unique(value.flatMap((item) => listOf(item, field, repairs)));
  const text = textOf(value);
  if (!text) return [];
  if (text.includes('|') && text.includes(';'))
    repairs.push({ field, value: text, rule: 'séparateurs « | » et « ; » mélangés : lus comme « | »' });
  return unique(
    text
      .split(/[;|]/)
      .map((item) => item.trim())
      .filter(Boolean),
  );
}

/** Keeps v1 values, translates v0.1 ones ("Label : explanation" → its v1 value); the rest is reported. */
function toEnum(
  field: keyof typeof V1_ENUMS,
  values: string[],
  table: Partial<Record<string, string | string[]>>,
  repairs: Repair[],
) {
  const result: string[] = [];
  for (const value of values) {
    if (V1_ENUMS[field].has(value)) result.push(value);
    else if (table[v0Label(value)] !== undefined) result.push(...[table[v0Label(value)] ?? []].flat());
    else repairs.push({ field, value, rule: 'valeur sans équivalent dans le standard v1 : ignorée' });
  }
  return unique(result);
}

export function toStandardRecord(row: Record<string, unknown>): { record: StandardRecord; repairs: Repair[] } {
  const repairs: Repair[] = [];
  const record: StandardRecord = {};
  for (const field of STANDARD_FIELDS) {
    const raw = row[field];
    if (MULTI_VALUED_FIELDS.has(field)) {
      record[field] = listOf(raw, field, repairs).map((item) => decodeEntities(item));
      continue;
    }
    if ((field === 'latitude' || field === 'longitude') && raw !== undefined && raw !== null && raw !== '') {
      const number = typeof raw === 'number' ? raw : Number(textOf(raw)?.replace(',', '.'));
      if (Number.isFinite(number)) record[field] = number;
      else repairs.push({ field, value: raw, rule: 'coordonnée illisible : ignorée' });
      continue;
    }
    const text = textOf(raw);
    if (text === undefined) continue;
    const decoded = decodeEntities(text);
    if (decoded !== text) repairs.push({ field, value: text, rule: 'entités HTML décodées' });
    record[field] = decoded;
  }

  // Postal codes read as numbers lose their leading zero (1000 for 01000).
  const codePostal = record.code_postal;
  if (typeof codePostal === 'string' && /^\d{4}$/.test(codePostal)) {
    record.code_postal = codePostal.padStart(5, '0');
    repairs.push({ field: 'code_postal', value: codePostal, rule: 'zéro initial rétabli' });
  }
  if (typeof record.telephone === 'string') {
    const phone = normalisePhone(record.telephone);
    if (phone !== record.telephone)
      repairs.push({ field: 'telephone', value: record.telephone, rule: 'numéro mis au format +33…' });
    record.telephone = phone;
  }
  if (typeof record.date_maj === 'string') {
    const date = record.date_maj;
    const iso = /^\d{4}-\d{2}-\d{2}/.test(date)
      ? date.slice(0, 10)
      : date.replace(/^(\d{2})\/(\d{2})\/(\d{4})$/, '$3-$2-$1');
    if (iso !== date) repairs.push({ field: 'date_maj', value: date, rule: 'date mise au format AAAA-MM-JJ' });
    record.date_maj = iso;
  }
  if (typeof record.horaires === 'string' && !checkOpeningHours(record.horaires).valid) {
    const repaired = repairHours(record.horaires);
    if (checkOpeningHours(repaired).valid) {
      repairs.push({ field: 'horaires', value: record.horaires, rule: 'horaires réécrits au format OpenStreetMap' });
      record.horaires = repaired;
    }
  }
  const resume = record.presentation_resume;
  if (typeof resume === 'string' && resume.length > RESUME_MAX_LENGTH) {
    const detail = typeof record.presentation_detail === 'string' ? record.presentation_detail : undefined;
    record.presentation_detail = detail ? `${resume}\n\n${detail}` : resume;
    const cut = resume.slice(0, RESUME_MAX_LENGTH - 1);
    record.presentation_resume = `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 200)).trimEnd()}…`;
    repairs.push({
      field: 'presentation_resume',
      value: resume,
      rule: 'résumé de plus de 280 caractères : texte entier placé dans le détail',
    });
  }
  for (const field of URL_FIELDS) {
    const fix = (url: string) => {
      let fixed = url.replace(/-amp-/g, '&');
      if (/^www\.|^[a-z0-9-]+\.[a-z]{2,}(\/|$)/i.test(fixed)) fixed = `https://${fixed}`;
      if (fixed !== url) repairs.push({ field, value: url, rule: 'adresse web réparée' });
      return fixed;
    };
    const value = record[field];
    if (Array.isArray(value)) record[field] = value.map(fix);
    else if (typeof value === 'string') record[field] = fix(value);
  }

  // v0.1: courriel, conditions_acces (and the CNFS file's conditions_access), publics_accueillis, labels_nationaux.
  record.courriels = unique([...(record.courriels as string[]), ...listOf(row.courriel, 'courriel', repairs)]);
  record.services = toEnum('services', record.services as string[], SERVICES_V0, repairs);
  record.modalites_accompagnement = toEnum(
    'modalites_accompagnement',
    record.modalites_accompagnement as string[],
    ACCOMPAGNEMENT_V0,
    repairs,
  );
  record.frais_a_charge = toEnum(
    'frais_a_charge',
    [
      ...(record.frais_a_charge as string[]),
      ...listOf(row.conditions_acces, 'conditions_acces', repairs),
      ...listOf(row.conditions_access, 'conditions_access', repairs),
    ].filter((value) => !/^Accepte le Pass/i.test(value)),
    FRAIS_V0,
    repairs,
  );
  for (const field of ['itinerance', 'modalites_acces'] as const)
    record[field] = toEnum(field, record[field] as string[], {}, repairs);

  const publics: string[] = [];
  const prises: string[] = [];
  for (const value of [
    ...(record.publics_specifiquement_adresses as string[]),
    ...(record.prise_en_charge_specifique as string[]),
    ...listOf(row.publics_accueillis, 'publics_accueillis', repairs),
  ]) {
    const label = v0Label(value);
    if (V1_ENUMS.publics_specifiquement_adresses.has(value)) publics.push(value);
    else if (V1_ENUMS.prise_en_charge_specifique.has(value)) prises.push(value);
    else if (PUBLICS_V0[label]) publics.push(PUBLICS_V0[label]);
    else if (PRISE_EN_CHARGE_V0[label]) prises.push(...PRISE_EN_CHARGE_V0[label]);
    else if (label !== 'Adultes')
      repairs.push({
        field: 'publics_accueillis',
        value,
        rule: 'valeur sans équivalent dans le standard v1 : ignorée',
      });
  }
  record.publics_specifiquement_adresses = unique(publics);
  record.prise_en_charge_specifique = unique(prises);

  // Programmes: v1 names and old labels alike; the standard's own formations_labels defect is repaired.
  const programmes: string[] = [];
  const formations: string[] = [];
  const others = [...(record.autres_formations_labels as string[])];
  for (const value of record.formations_labels as string[]) {
    if (value === 'Étapes numériques(La Poste)') {
      repairs.push({ field: 'formations_labels', value, rule: 'défaut du motif du standard v1.0.2 : espace rétablie' });
      formations.push('Étapes numériques (La Poste)');
    } else formations.push(value);
  }
  for (const value of [
    ...(record.dispositif_programmes_nationaux as string[]),
    ...listOf(row.labels_nationaux, 'labels_nationaux', repairs),
  ]) {
    const programme = PROGRAMMES_V0[slug(value)];
    if (programme) programmes.push(programme);
    else programmes.push(value);
  }
  record.dispositif_programmes_nationaux = unique(programmes);
  record.formations_labels = unique(formations);
  record.autres_formations_labels = unique(others);

  // Empty lists are left out of the record.
  const filled = Object.fromEntries(
    Object.entries(record).filter(([, value]) => !(Array.isArray(value) && value.length === 0)),
  );
  return { record: filled, repairs };
}
