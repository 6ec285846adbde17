import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { toFieldErrors } from '../http/validation.js';
import { labelIdsBySlug, labelIdsByStandardValue } from '../labels/labels.read.js';
import { labelSlugSchema } from '../labels/labels.schemas.js';
import { createPlaceWrites, type NewPlaceRow } from '../places/place-writes.service.js';
import { placeFieldSchemas, REQUIRED_PLACE_FIELDS, type PlaceFieldName } from '../places/places.schemas.js';
import type { ImportIssue } from '../places/places.types.js';

/** A record in the standard's field names, as found in a file (multi-valued fields: array or "a|b"). */
export type RawPlaceRecord = Record<string, unknown>;

export interface ImportReport {
  read: number;
  inserted: number;
  alreadyPresent: number;
  rejected: { sourceId: string; issues: ImportIssue[] }[];
  withoutCoordinates: string[];
  fieldIssues: { sourceId: string; issues: ImportIssue[] }[];
}

const MULTI_VALUED = new Set<string>(
  Object.entries(placeFieldSchemas)
    .filter(([, schema]) => schema instanceof z.ZodArray)
    .map(([name]) => name),
);

const identitySchema = z.object({
  id: z.coerce.string().trim().min(1, 'Identifiant manquant.'),
  source: z.string().trim().min(1, 'Source manquante.'),
});

/**
 * Two keys beyond the standard, used by our seeds: label slugs for labels the standard has no
 * field for (NetPublic, Cyber-base, local labels), and 'commune' when the coordinates are the
 * commune's centre because the source gave none.
 */
const extensionsSchema = z.object({
  labels: z.array(labelSlugSchema).max(20).optional(),
  location_precision: z.enum(['exact', 'commune']).optional(),
});

function splitMultiValued(value: unknown): unknown {
  if (typeof value === 'string')
    return value
      .split('|')
      .map((v) => v.trim())
      .filter(Boolean);
  return value;
}

/**
 * Validates a record field by field: a wrong optional field is set aside (kept in import_issues,
 * so nothing is lost) and the place is still loaded; a wrong required field rejects the row.
 */
function validateRecord(record: RawPlaceRecord, defaults: { dateMaj: string }) {
  const issues: ImportIssue[] = [];
  const accepted: Partial<Record<PlaceFieldName, unknown>> = {};
  for (const [field, schema] of Object.entries(placeFieldSchemas) as [PlaceFieldName, z.ZodType][]) {
    let value = record[field];
    if (value === undefined || value === null || value === '') continue;
    if (MULTI_VALUED.has(field)) value = splitMultiValued(value);
    if (Array.isArray(value) && value.length === 0) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) accepted[field] = parsed.data;
    else
      issues.push(
        ...toFieldErrors(parsed.error).map((e) => ({
          field: e.field === '(requête)' ? field : `${field}.${e.field}`,
          value,
          message: e.message,
        })),
      );
  }
  const missingRequired = REQUIRED_PLACE_FIELDS.filter((field) => accepted[field] === undefined);
  for (const field of missingRequired) {
    if (!issues.some((issue) => issue.field.startsWith(field))) {
      issues.push({ field, value: record[field] ?? null, message: 'Champ obligatoire manquant.' });
    }
  }
  if ((accepted.latitude === undefined) !== (accepted.longitude === undefined)) {
    issues.push({ field: 'latitude', value: [record.latitude, record.longitude], message: 'Coordonnées incomplètes.' });
    delete accepted.latitude;
    delete accepted.longitude;
  }
  accepted.date_maj ??= defaults.dateMaj;
  return { accepted, issues, rejected: missingRequired.length > 0 };
}

function toRow(
  identity: { id: string; source: string },
  f: Partial<Record<PlaceFieldName, unknown>>,
  issues: ImportIssue[],
): NewPlaceRow {
  const arr = (field: PlaceFieldName) => (f[field] as string[] | undefined) ?? [];
  const str = (field: PlaceFieldName) => (f[field] as string | undefined) ?? null;
  return {
    source: identity.source,
    sourceId: identity.id,
    pivot: (f.pivot as string | undefined) ?? '00000000000000',
    nom: f.nom as string,
    commune: f.commune as string,
    codePostal: f.code_postal as string,
    codeInsee: str('code_insee'),
    adresse: f.adresse as string,
    complementAdresse: str('complement_adresse'),
    latitude: (f.latitude as number | undefined) ?? null,
    longitude: (f.longitude as number | undefined) ?? null,
    typologie: arr('typologie'),
    telephone: str('telephone'),
    courriels: arr('courriels'),
    siteWeb: arr('site_web'),
    horaires: str('horaires'),
    presentationResume: str('presentation_resume'),
    presentationDetail: str('presentation_detail'),
    itinerance: arr('itinerance'),
    structureParente: str('structure_parente'),
    dateMaj: f.date_maj as string,
    services: arr('services'),
    publicsSpecifiquementAdresses: arr('publics_specifiquement_adresses'),
    priseEnChargeSpecifique: arr('prise_en_charge_specifique'),
    fraisACharge: arr('frais_a_charge'),
    autresFormationsLabels: arr('autres_formations_labels'),
    modalitesAcces: arr('modalites_acces'),
    modalitesAccompagnement: arr('modalites_accompagnement'),
    ficheAccesLibre: str('fiche_acces_libre'),
    priseRdv: str('prise_rdv'),
    importIssues: issues,
  };
}

const BATCH_SIZE = 500;

/**
 * Loads standard records; idempotent: a (source, id) already present is left untouched.
 * The places and their labels are written by the place-writing service (server/places/).
 */
export async function importPlaces(
  db: Db,
  records: RawPlaceRecord[],
  options: { today: string },
): Promise<ImportReport> {
  const report: ImportReport = {
    read: records.length,
    inserted: 0,
    alreadyPresent: 0,
    rejected: [],
    withoutCoordinates: [],
    fieldIssues: [],
  };
  const placeWrites = createPlaceWrites({ db, clock: { now: () => new Date(`${options.today}T00:00:00Z`) } });
  await db.transaction(async (trx) => {
    const labelIds = await labelIdsByStandardValue(trx);
    const labelIdsOfSlugs = await labelIdsBySlug(trx);
    const valid: { row: NewPlaceRow; labelIds: number[] }[] = [];
    for (const record of records) {
      const identity = identitySchema.safeParse(record);
      if (!identity.success) {
        report.rejected.push({
          sourceId: typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : '?',
          issues: toFieldErrors(identity.error).map((e) => ({ ...e, value: null })),
        });
        continue;
      }
      const { accepted, issues, rejected } = validateRecord(record, { dateMaj: options.today });
      if (rejected) {
        report.rejected.push({ sourceId: identity.data.id, issues });
        continue;
      }
      const labelValues = [
        ...((accepted.dispositif_programmes_nationaux as string[] | undefined) ?? []),
        ...((accepted.formations_labels as string[] | undefined) ?? []),
      ];
      for (const value of labelValues.filter((v) => !labelIds.has(v))) {
        issues.push({
          field: 'dispositif_programmes_nationaux',
          value,
          message: 'Dispositif ou label inconnu du référentiel.',
        });
      }
      const extensions = extensionsSchema.safeParse({
        labels: record.labels,
        location_precision: record.location_precision,
      });
      const slugs = extensions.success ? (extensions.data.labels ?? []) : [];
      if (!extensions.success)
        issues.push(...toFieldErrors(extensions.error).map((e) => ({ ...e, value: record[e.field.split('.')[0]] })));
      for (const slug of slugs.filter((s) => !labelIdsOfSlugs.has(s)))
        issues.push({ field: 'labels', value: slug, message: 'Label inconnu du référentiel.' });
      const linked = [
        ...labelValues.map((value) => labelIds.get(value)),
        ...slugs.map((slug) => labelIdsOfSlugs.get(slug)),
      ].filter((id): id is number => id !== undefined);
      const row = toRow(identity.data, accepted, issues);
      if (extensions.success && row.latitude !== null)
        row.locationPrecision = extensions.data.location_precision ?? 'exact';
      if (issues.length) report.fieldIssues.push({ sourceId: identity.data.id, issues });
      if (accepted.latitude === undefined) report.withoutCoordinates.push(identity.data.id);
      valid.push({ row, labelIds: [...new Set(linked)] });
    }
    // Batched: one INSERT per 500 places, then one per batch for their labels.
    for (let start = 0; start < valid.length; start += BATCH_SIZE) {
      const batch = valid.slice(start, start + BATCH_SIZE);
      const inserted = await placeWrites.importBatch(batch, { trx });
      report.inserted += inserted.size;
      report.alreadyPresent += batch.length - inserted.size;
    }
  });
  return report;
}
