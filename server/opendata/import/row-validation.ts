/**
 * A v1 record → the row the place-writing service stores, validated field by field with the
 * place's zod schemas: a wrong required field rejects the row (field, value, rule); a wrong optional
 * field is set aside (kept in the place's import_issues, so nothing is lost) and the row is kept.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { toFieldErrors } from '../../http/validation.js';
import { labelSlugSchema } from '../../labels/labels.schemas.js';
import type { NewPlaceRow } from '../../places/place-writes.service.js';
import { placeFieldSchemas, REQUIRED_PLACE_FIELDS, type PlaceFieldName } from '../../places/places.schemas.js';
import type { StandardRecord } from './standard-record.js';

export interface RowIssue {
  field: string;
  value: unknown;
  rule: string;
}

export type ValidatedRow =
  | { ok: false; rejections: RowIssue[] }
  | {
      ok: true;
      row: NewPlaceRow;
      labelIds: number[];
      /** False when the file gave no date_maj: such a row creates a place but never updates one. */
      datedBySource: boolean;
      setAside: RowIssue[];
      repairs: RowIssue[];
    };

/**
 * Two keys beyond the standard, used by our seeds: label slugs for labels the standard has no
 * field for (NetPublic, Cyber-base, local labels), and 'commune' when the coordinates are the
 * commune's centre because the source gave none.
 */
const extensionsSchema = z.object({
  labels: z.array(labelSlugSchema).max(20).optional(),
  location_precision: z.enum(['exact', 'commune']).optional(),
});

/** A file without ids still needs a stable key for idempotence: its name, address and postal code. */
const derivedId = (record: StandardRecord) =>
  createHash('sha256')
    .update([record.nom, record.adresse, record.code_postal, record.commune].map((v) => JSON.stringify(v)).join('|'))
    .digest('hex')
    .slice(0, 20);

export function validateRecord(
  record: Partial<StandardRecord>,
  extra: Record<string, unknown>,
  context: { source: string; today: string; labelIds: Map<string, number>; labelIdsOfSlugs: Map<string, number> },
): ValidatedRow {
  const setAside: RowIssue[] = [];
  const rejections: RowIssue[] = [];
  const repairs: RowIssue[] = [];
  const accepted: Partial<Record<PlaceFieldName, unknown>> = {};
  for (const [field, schema] of Object.entries(placeFieldSchemas) as [PlaceFieldName, z.ZodType][]) {
    const value = record[field];
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      accepted[field] = parsed.data;
      continue;
    }
    const issues = toFieldErrors(parsed.error).map((error) => {
      const index = /^(\d+)/.exec(error.field)?.[1];
      return {
        field,
        value: index !== undefined && Array.isArray(value) ? value[Number(index)] : value,
        rule: error.message,
      };
    });
    if ((REQUIRED_PLACE_FIELDS as readonly string[]).includes(field)) rejections.push(...issues);
    else if (Array.isArray(value)) {
      // One wrong value of a list is set aside; the list keeps the others.
      const bad = new Set(issues.map((issue) => issue.value));
      const kept = value.filter((item) => !bad.has(item));
      const keptParsed = schema.safeParse(kept);
      if (keptParsed.success && kept.length) accepted[field] = keptParsed.data;
      setAside.push(...issues);
    } else setAside.push(...issues);
  }
  for (const field of REQUIRED_PLACE_FIELDS)
    if (accepted[field] === undefined && !rejections.some((issue) => issue.field === field))
      rejections.push({ field, value: record[field] ?? null, rule: 'Champ obligatoire manquant.' });
  if (rejections.length) return { ok: false, rejections };

  if ((accepted.latitude === undefined) !== (accepted.longitude === undefined)) {
    setAside.push({ field: 'latitude', value: [record.latitude, record.longitude], rule: 'Coordonnées incomplètes.' });
    delete accepted.latitude;
    delete accepted.longitude;
  }

  // Programmes and training labels link to the labels table; names it does not know stay as free text.
  const linked: number[] = [];
  const others = [...((accepted.autres_formations_labels as string[] | undefined) ?? [])];
  for (const field of ['dispositif_programmes_nationaux', 'formations_labels'] as const) {
    const known: string[] = [];
    for (const value of (accepted[field] as string[] | undefined) ?? []) {
      const id = context.labelIds.get(value);
      if (id !== undefined) {
        known.push(value);
        linked.push(id);
      } else {
        others.push(value);
        repairs.push({
          field,
          value,
          rule: 'dispositif ou label inconnu du référentiel : placé dans autres_formations_labels',
        });
      }
    }
    accepted[field] = known;
  }
  if (others.length) accepted.autres_formations_labels = [...new Set(others)].slice(0, 50);

  const extensions = extensionsSchema.safeParse({ labels: extra.labels, location_precision: extra.location_precision });
  if (extensions.success) {
    for (const slug of extensions.data.labels ?? []) {
      const id = context.labelIdsOfSlugs.get(slug);
      if (id === undefined) setAside.push({ field: 'labels', value: slug, rule: 'Label inconnu du référentiel.' });
      else linked.push(id);
    }
  } else
    setAside.push(
      ...toFieldErrors(extensions.error).map((e) => ({
        field: e.field,
        value: extra[e.field.split('.')[0]],
        rule: e.message,
      })),
    );

  const arr = (field: PlaceFieldName) => (accepted[field] as string[] | undefined) ?? [];
  const str = (field: PlaceFieldName) => (accepted[field] as string | undefined) ?? null;
  const source = typeof record.source === 'string' && record.source.trim() ? record.source.trim() : context.source;
  const row: NewPlaceRow = {
    source,
    sourceId: typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : derivedId(record),
    pivot: (accepted.pivot as string | undefined) ?? '00000000000000',
    nom: accepted.nom as string,
    commune: accepted.commune as string,
    codePostal: accepted.code_postal as string,
    codeInsee: str('code_insee'),
    adresse: accepted.adresse as string,
    complementAdresse: str('complement_adresse'),
    latitude: (accepted.latitude as number | undefined) ?? null,
    longitude: (accepted.longitude as number | undefined) ?? null,
    typologie: arr('typologie'),
    telephone: str('telephone'),
    courriels: arr('courriels'),
    siteWeb: arr('site_web'),
    horaires: str('horaires'),
    presentationResume: str('presentation_resume'),
    presentationDetail: str('presentation_detail'),
    itinerance: arr('itinerance'),
    structureParente: str('structure_parente'),
    dateMaj: (accepted.date_maj as string | undefined) ?? context.today,
    services: arr('services'),
    publicsSpecifiquementAdresses: arr('publics_specifiquement_adresses'),
    priseEnChargeSpecifique: arr('prise_en_charge_specifique'),
    fraisACharge: arr('frais_a_charge'),
    autresFormationsLabels: arr('autres_formations_labels'),
    modalitesAcces: arr('modalites_acces'),
    modalitesAccompagnement: arr('modalites_accompagnement'),
    ficheAccesLibre: str('fiche_acces_libre'),
    priseRdv: str('prise_rdv'),
    importIssues: setAside.map((issue) => ({ field: issue.field, value: issue.value, message: issue.rule })),
  };
  if (row.latitude !== null)
    row.locationPrecision = (extensions.success ? extensions.data.location_precision : undefined) ?? 'exact';
  return {
    ok: true,
    row,
    labelIds: [...new Set(linked)],
    datedBySource: accepted.date_maj !== undefined,
    setAside,
    repairs,
  };
}
