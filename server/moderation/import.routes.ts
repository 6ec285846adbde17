import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { requireRole, signedInUser } from '../accounts/auth.middleware.js';
import { multipartBody, type UploadedFile } from '../http/multipart-body.js';
import { parseOrThrow } from '../http/validation.js';
import type { FileMapping } from '../opendata/import/file-mapping.js';
import { FORMAT_LABELS } from '../opendata/import/file-formats.js';
import {
  ENCODING_LABELS,
  IMPORT_UPLOAD_MAX_BYTES,
  type ImportUploads,
  type ReadOptions,
} from '../opendata/upload/import-uploads.service.js';
import { formValuesOf, formValuesOfBody, mappingFormRows, mappingFormSchema } from '../opendata/upload/mapping-form.js';
import { errorSummary, parseForm, type FormErrors } from '../shared/forms.js';
import { previewRows } from './import.views.js';

/** The upload's address: its body is a multipart form, read before the CSRF check (see app.ts). */
export const IMPORT_UPLOAD_PATH = '/moderation/import';

const guard = requireRole('moderator', 'admin');

/**
 * What app.ts mounts on POST IMPORT_UPLOAD_PATH before the CSRF check: the role first (nobody
 * else's file is read), then the file, with its size limit (413 beyond), so that the form's _csrf
 * field is there to be checked.
 */
export const importUploadBody: RequestHandler[] = [guard, multipartBody({ maxBytes: IMPORT_UPLOAD_MAX_BYTES })];

const uploadId = z.object({ id: z.uuid('Adresse de fichier invalide.') });
const encodingField = z
  .enum(['utf-8', 'windows-1252', ''], 'Encodage inconnu : choisissez dans la liste.')
  .optional()
  .transform((value) => (value === '' ? undefined : value));
const sourceField = z
  .string()
  .trim()
  .max(100, 'Source : 100 caractères au plus.')
  .optional()
  .transform((value) => (value === '' ? undefined : value));
const mappingName = z
  .string('Nom de la correspondance manquant.')
  .trim()
  .min(1, 'Nom de la correspondance : donnez-lui un nom pour la retrouver.')
  .max(100, 'Nom de la correspondance : 100 caractères au plus.');

const uploadBody = z.object({
  fichier: z.custom<UploadedFile>(
    (value) =>
      typeof value === 'object' && value !== null && 'bytes' in value && (value as UploadedFile).bytes.byteLength > 0,
    'Fichier : choisissez un fichier CSV ou JSON à envoyer.',
  ),
});
const fileQuery = z.object({
  encodage: encodingField,
  source: sourceField,
  correspondance: z.string().max(100).optional(),
});
const stepBody = z.looseObject({
  encodage: encodingField,
  source: sourceField,
  avec_correspondance: z.literal('1').optional(),
});

const UPLOAD_ERROR = 'Fichier : choisissez un fichier CSV ou JSON à envoyer.';

/** The moderators' import: upload a file, see how it reads, map its columns, preview, import, read the report. */
export function importRoutes(deps: { uploads: ImportUploads }) {
  const { uploads } = deps;
  const router = Router();
  const me = (res: Response) => signedInUser(res);

  async function renderUploadForm(res: Response, status: number, errors: FormErrors = {}) {
    res.status(status).render('pages/moderation/import', {
      pageTitle: 'Importer un fichier',
      nav: 'moderation',
      maxMegabytes: IMPORT_UPLOAD_MAX_BYTES / 1024 / 1024,
      errors,
      errorList: errorSummary(errors),
      mappingNames: await uploads.mappingNames(),
    });
  }

  interface FilePageState extends ReadOptions {
    /** The mapping form as typed (after a failed or previewed submit); otherwise built from `mapping`. */
    formValues?: Record<string, string>;
    errors?: FormErrors;
    notice?: string;
    mappingName?: string;
  }

  async function renderFilePage(res: Response, status: number, id: string, state: FilePageState) {
    const errors = state.errors ?? {};
    const reading = await uploads.read(id, { encoding: state.encoding, mapping: state.mapping });
    const view: Record<string, unknown> = {
      pageTitle: 'Importer un fichier',
      nav: 'moderation',
      id,
      fileName: reading.fileName,
      sizeKb: Math.max(1, Math.round(reading.sizeBytes / 1024)),
      notice: state.notice,
      source: state.source ?? '',
      encodingChoices: [
        { value: '', label: 'Détecter', selected: !state.encoding },
        ...Object.entries(ENCODING_LABELS).map(([value, label]) => ({
          value,
          label,
          selected: state.encoding === value,
        })),
      ],
      forcedEncoding: state.encoding ?? '',
      mappingNames: (await uploads.mappingNames()).map((name) => ({ name, selected: name === state.mappingName })),
      errors,
      errorList: errorSummary(errors),
    };
    if (reading.state === 'unreadable') {
      return res.status(status === 200 ? 422 : status).render('pages/moderation/import-file', {
        ...view,
        unreadable: reading.message,
      });
    }
    Object.assign(view, {
      encodingLabel: ENCODING_LABELS[reading.encoding],
      rowCount: reading.rowCount,
      columns: reading.columns,
      formatLabel: reading.format ? FORMAT_LABELS[reading.format] : null,
      unknownFormat: reading.state === 'unknown',
      missingColumns: reading.missingColumns,
    });
    const withMapping = reading.state !== 'known' || reading.format === 'correspondance';
    let mapping: FileMapping | undefined;
    if (withMapping) {
      const values = state.formValues ?? formValuesOf(state.mapping ?? reading.guessedMapping);
      const parsed = parseForm(mappingFormSchema(reading.columns), values);
      const shownErrors = { ...(parsed.ok ? {} : parsed.errors), ...errors };
      if (parsed.ok && reading.state !== 'mismatch') mapping = parsed.data;
      Object.assign(view, {
        withMapping: true,
        mappingRows: mappingFormRows(reading.columns, values, shownErrors),
        errors: shownErrors,
        errorList: errorSummary(shownErrors),
      });
    }
    if (!withMapping || mapping) {
      const preview = await uploads.preview(id, { encoding: state.encoding, mapping, source: state.source });
      Object.assign(view, { preview: previewRows(preview), canImport: true });
    }
    res.status(status).render('pages/moderation/import-file', view);
  }

  router.get(IMPORT_UPLOAD_PATH, guard, async (_req, res) => {
    await renderUploadForm(res, 200);
  });

  router.post(IMPORT_UPLOAD_PATH, guard, async (req, res) => {
    const form = parseForm(uploadBody, req.body ?? {});
    if (!form.ok) return renderUploadForm(res, 400, { fichier: UPLOAD_ERROR });
    const id = await uploads.upload(me(res), form.data.fichier);
    res.redirect(303, `${IMPORT_UPLOAD_PATH}/${id}`);
  });

  router.get(`${IMPORT_UPLOAD_PATH}/:id`, guard, async (req, res) => {
    const { id } = parseOrThrow(uploadId, req.params);
    const query = parseOrThrow(fileQuery, req.query);
    const mapping = query.correspondance ? await uploads.mapping(query.correspondance) : undefined;
    await renderFilePage(res, 200, id, {
      encoding: query.encodage,
      source: query.source,
      mapping,
      mappingName: mapping ? query.correspondance : undefined,
      notice:
        query.correspondance && !mapping
          ? `Aucune correspondance enregistrée sous le nom « ${query.correspondance} ».`
          : undefined,
    });
  });

  /** The mapping typed in the form, or the errors to show next to its fields. */
  async function typedMapping(id: string, body: Record<string, unknown>, encoding: ReadOptions['encoding']) {
    const reading = await uploads.read(id, { encoding });
    const columns = reading.state === 'unreadable' ? [] : reading.columns;
    return parseForm(mappingFormSchema(columns), body);
  }

  router.post(`${IMPORT_UPLOAD_PATH}/:id/apercu`, guard, async (req, res) => {
    const { id } = parseOrThrow(uploadId, req.params);
    const body = parseOrThrow(stepBody, req.body);
    // A file in a known format is previewed as it is; the mapping form only travels with the others.
    if (!body.avec_correspondance)
      return renderFilePage(res, 200, id, { encoding: body.encodage, source: body.source });
    const typed = await typedMapping(id, body, body.encodage);
    await renderFilePage(res, typed.ok ? 200 : 400, id, {
      encoding: body.encodage,
      source: body.source,
      mapping: typed.ok ? typed.data : undefined,
      formValues: formValuesOfBody(body),
      errors: typed.ok ? {} : typed.errors,
    });
  });

  router.post(`${IMPORT_UPLOAD_PATH}/:id/correspondance`, guard, async (req, res) => {
    const { id } = parseOrThrow(uploadId, req.params);
    const body = parseOrThrow(stepBody, req.body);
    const formValues = formValuesOfBody(body);
    const typed = await typedMapping(id, body, body.encodage);
    const name = mappingName.safeParse(body.nom_correspondance);
    if (!typed.ok || !name.success) {
      const errors = { ...(typed.ok ? {} : typed.errors) };
      if (!name.success) errors.nom_correspondance = name.error.issues[0].message;
      return renderFilePage(res, 400, id, {
        encoding: body.encodage,
        source: body.source,
        formValues,
        errors,
      });
    }
    await uploads.saveMapping(me(res), name.data, typed.data);
    const query = new URLSearchParams({
      correspondance: name.data,
      ...(body.encodage ? { encodage: body.encodage } : {}),
      ...(body.source ? { source: body.source } : {}),
    });
    res.redirect(303, `${IMPORT_UPLOAD_PATH}/${id}?${query.toString()}`);
  });

  router.post(`${IMPORT_UPLOAD_PATH}/:id/importer`, guard, async (req, res) => {
    const { id } = parseOrThrow(uploadId, req.params);
    const body = parseOrThrow(stepBody, req.body);
    let mapping: FileMapping | undefined;
    if (body.avec_correspondance) {
      const typed = await typedMapping(id, body, body.encodage);
      if (!typed.ok)
        return renderFilePage(res, 400, id, {
          encoding: body.encodage,
          source: body.source,
          formValues: formValuesOfBody(body),
          errors: typed.errors,
        });
      mapping = typed.data;
    }
    const reading = await uploads.read(id, { encoding: body.encodage, mapping });
    if (reading.state !== 'known')
      return renderFilePage(res, 400, id, {
        encoding: body.encodage,
        source: body.source,
        errors: { colonne_nom: 'Format inconnu : indiquez la colonne de chaque champ avant d’importer.' },
      });
    await uploads.importUpload(me(res), id, { encoding: body.encodage, mapping, source: body.source });
    res.redirect(303, `${IMPORT_UPLOAD_PATH}/${id}/rapport`);
  });

  router.get(`${IMPORT_UPLOAD_PATH}/:id/rapport`, guard, async (req, res) => {
    const { id } = parseOrThrow(uploadId, req.params);
    const done = await uploads.report(id);
    if (!done) return res.redirect(303, `${IMPORT_UPLOAD_PATH}/${id}`);
    res.render('pages/moderation/import-report', {
      pageTitle: `Rapport d’import : ${done.fileName}`,
      nav: 'moderation',
      id,
      fileName: done.fileName,
      importedAt: done.importedAt,
      ...done.report,
    });
  });

  return router;
}
