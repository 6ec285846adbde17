// v0.1 / v1 record → v1 place, following shared/README.md ("Value mapping v0.1 → v1").
// Used by scripts/derive-seeds.ts; the v1 enums are read from the standard's own schema.json.
import { readFileSync } from 'node:fs';
import {
  ACCOMPAGNEMENT_V0,
  FRAIS_V0,
  PRISE_EN_CHARGE_V0,
  PUBLICS_V0,
  SERVICES_V0,
  slug,
} from '../../server/opendata/import/standard-values.js';

export type RawRow = Record<string, unknown>;
export type Place = Partial<Record<string, string | number | string[]>>;
/** Counters of one dataset's conversion, printed in the summary. */
export interface ConversionStats {
  labels: Map<string, number>; // "raw value → field: value" → count
  unmapped: Map<string, number>; // "field: value" → count
}
export const newStats = (): ConversionStats => ({ labels: new Map(), unmapped: new Map() });
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

// ---------- v0.1 → v1 value tables: the importer's (server/opendata/import/standard-values.ts) ----------
const CONDITIONS_ACCES_V0 = FRAIS_V0;
// Old national labels → v1 dispositif, keyed on slug() so "AIDANTS_CONNECT", "aidants-connect" and
// "Aidants Connect" are one key. Only programmes that are unambiguously the same; every v1 value also
// matches its own slug. Broader labels (data·inclusion "caf", "emmaus") are not mapped and stay free text.
const LABELS_V0: Record<string, string> = {
  cnfs: 'Conseillers numériques',
  'conseiller-numerique': 'Conseillers numériques',
  'france-service': 'France Services',
  'point-numerique-caf': "Point d'accès numérique CAF",
  pix: 'Certification PIX',
  'grande-ecole-numerique': 'Grande école du numérique',
  'grandes-ecoles-du-numerique': 'Grande école du numérique',
  'croix-rouge': 'La Croix Rouge',
};
// ---------- small value helpers ----------
const text = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a raw JSON/CSV value, read as the source has it
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
};
const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(list)
    : (text(value)?.split(/[;|]/) ?? []).map((item) => item.trim()).filter(Boolean);
const label = (v0Value: string) => v0Value.split(' : ')[0].trim();
const unique = (values: string[]) => [...new Set(values)];

// Overseas numbers written nationally (0590…) map to their own country code, not to +33.
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
// Only rewrites numbers whose meaning is certain; anything else stays raw for the seed loader to report.
function normalisePhone(raw: string): string {
  const digits = raw
    .replace(/[\s.\-/()]/g, '')
    .replace(/^\+33\(?0\)?/, '+33')
    .replace(/^00/, '+');
  if (/^\+\d{8,12}$/.test(digits)) return digits;
  if (/^0[1-9]\d{8}$/.test(digits)) {
    const overseas = OVERSEAS_PREFIXES[digits.slice(0, 4)];
    return overseas ? overseas + digits.slice(1) : `+33${digits.slice(1)}`;
  }
  return raw;
}
const normaliseDate = (raw: string) =>
  /^\d{4}-\d{2}-\d{2}/.test(raw) ? raw.slice(0, 10) : raw.replace(/^(\d{2})\/(\d{2})\/(\d{4})$/, '$3-$2-$1');
const postalCode = (raw: string) => (/^\d{1,5}$/.test(raw) ? raw.padStart(5, '0') : raw);
const coordinate = (raw: unknown) => (text(raw) === undefined ? undefined : Number(String(raw).replace(',', '.')));

// ---------- the converter ----------
const ENUM_FIELDS = [
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'modalites_acces',
  'modalites_accompagnement',
  'itinerance',
] as const;
const MULTI_VALUED = new Set<string>([
  ...ENUM_FIELDS,
  'typologie',
  'courriels',
  'site_web',
  'autres_formations_labels',
]);
const V0_ONLY_KEYS = ['courriel', 'conditions_acces', 'publics_accueillis', 'labels_nationaux'];

interface SchemaField {
  name: string;
  constraints?: { pattern?: string };
}

export function createConverter(schemaPath: string) {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { fields: SchemaField[] };
  const fields = schema.fields.map((field) => field.name);
  // Enum patterns look like `(?:(?:^|\|)(A|B|C))+$`; the values are the alternatives of the inner group.
  const enumOf = (fieldName: string): Set<string> => {
    const pattern = schema.fields.find((field) => field.name === fieldName)?.constraints?.pattern ?? '';
    const inner = /\(\?:\^\|\\\|\)\((.*)\)\)\+\$$/.exec(pattern)?.[1];
    if (!inner) throw new Error(`no enum pattern for ${fieldName}`);
    return new Set(inner.split('|').map((value) => value.replace(/\\(.)/g, '$1')));
  };
  const enums = Object.fromEntries(ENUM_FIELDS.map((name) => [name, enumOf(name)])) as Record<string, Set<string>>;
  const dispositifBySlug = new Map<string, string>([
    ...[...enums.dispositif_programmes_nationaux].map((value): [string, string] => [slug(value), value]),
    ...Object.entries(LABELS_V0),
  ]);
  const handledKeys = new Set([...fields, ...V0_ONLY_KEYS]);

  function toV1(row: RawRow, stats: ConversionStats): Place {
    // Keeps values already in the v1 enum, translates v0.1 values, reports the rest.
    const toEnum = (field: string, values: string[], table: Partial<Record<string, string | string[]>>): string[] => {
      const result: string[] = [];
      for (const value of values) {
        const mapped = table[label(value)];
        if (enums[field].has(value)) result.push(value);
        else if (mapped !== undefined) result.push(...[mapped].flat());
        else bump(stats.unmapped, `${field}: ${value}`);
      }
      return unique(result);
    };

    const place: Place = {};
    for (const field of fields) {
      if (MULTI_VALUED.has(field)) place[field] = unique(list(row[field]));
      else if (field === 'latitude' || field === 'longitude') {
        const value = coordinate(row[field]);
        if (value !== undefined) place[field] = Number.isFinite(value) ? value : String(row[field]);
      } else {
        const value = text(row[field]);
        if (value !== undefined) place[field] = value;
      }
    }
    if (typeof place.code_postal === 'string') place.code_postal = postalCode(place.code_postal);
    if (typeof place.telephone === 'string') place.telephone = normalisePhone(place.telephone);
    if (typeof place.date_maj === 'string') place.date_maj = normaliseDate(place.date_maj);
    place.courriels = unique([...(place.courriels as string[]), ...list(row.courriel)]);

    place.services = toEnum('services', place.services as string[], SERVICES_V0);
    place.modalites_accompagnement = toEnum(
      'modalites_accompagnement',
      place.modalites_accompagnement as string[],
      ACCOMPAGNEMENT_V0,
    );
    place.frais_a_charge = toEnum(
      'frais_a_charge',
      [...(place.frais_a_charge as string[]), ...list(row.conditions_acces)],
      CONDITIONS_ACCES_V0,
    );
    for (const field of ['itinerance', 'modalites_acces'] as const)
      place[field] = toEnum(field, place[field] as string[], {});

    // publics_accueillis is split between two v1 fields; values with no v1 counterpart (Adultes) are dropped.
    const publics = [
      ...(place.publics_specifiquement_adresses as string[]),
      ...(place.prise_en_charge_specifique as string[]),
      ...list(row.publics_accueillis),
    ];
    const targets = { publics_specifiquement_adresses: [] as string[], prise_en_charge_specifique: [] as string[] };
    for (const value of publics) {
      const publicV0 = PUBLICS_V0[label(value)];
      const priseEnChargeV0 = PRISE_EN_CHARGE_V0[label(value)];
      if (enums.publics_specifiquement_adresses.has(value)) targets.publics_specifiquement_adresses.push(value);
      else if (enums.prise_en_charge_specifique.has(value)) targets.prise_en_charge_specifique.push(value);
      else if (publicV0) targets.publics_specifiquement_adresses.push(publicV0);
      else if (priseEnChargeV0) targets.prise_en_charge_specifique.push(...priseEnChargeV0);
      else bump(stats.unmapped, `publics_accueillis: ${value}`);
    }
    place.publics_specifiquement_adresses = unique(targets.publics_specifiquement_adresses);
    place.prise_en_charge_specifique = unique(targets.prise_en_charge_specifique);

    // v1 dispositif values are also checked against the table, so a v1 file with an old label is fixed too.
    const dispositifs: string[] = [];
    const formations = place.formations_labels as string[];
    const autres = place.autres_formations_labels as string[];
    for (const value of [...(place.dispositif_programmes_nationaux as string[]), ...list(row.labels_nationaux)]) {
      const dispositif = dispositifBySlug.get(slug(value));
      if (dispositif) {
        dispositifs.push(dispositif);
        bump(stats.labels, `${value} → dispositif_programmes_nationaux: ${dispositif}`);
      } else if (enums.formations_labels.has(value)) {
        formations.push(value);
        bump(stats.labels, `${value} → formations_labels`);
      } else {
        autres.push(value);
        bump(stats.labels, `${value} → autres_formations_labels (raw value)`);
      }
    }
    place.dispositif_programmes_nationaux = unique(dispositifs);
    place.formations_labels = unique(formations);
    place.autres_formations_labels = unique(autres);

    // Empty lists are left out of the record.
    return Object.fromEntries(
      Object.entries(place).filter(([, value]) => !(Array.isArray(value) && value.length === 0)),
    );
  }

  return { fields, enums, handledKeys, toV1 };
}
