import { Router, type Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { parseOrThrow } from '../http/validation.js';
import { placesQueryShape, placesQuerySchema } from '../places/places.query.js';
import { parisWallTime } from '../shared/paris-time.js';
import {
  dataInclusionService,
  dataInclusionStructure,
  geoJsonFeature,
  LICENCE,
  STANDARD,
  standardRecord,
} from './export.records.js';
import type { ExportQuery, ExportService } from './export.service.js';
import { csvStream, jsonStream } from './export.streams.js';

/** The export takes every filter of /api/v1/places; `limit` and `cursor` page a list, and an export has no pages. */
const exportQuerySchema = z.strictObject(placesQueryShape).omit({ limit: true, cursor: true });
export const exportQueryShape = exportQuerySchema.shape;

function parseExportQuery(raw: unknown): ExportQuery {
  const query = parseOrThrow(exportQuerySchema, raw);
  // The places schema adds the rules between fields (lat with lon, radius with a point).
  parseOrThrow(placesQuerySchema, raw);
  return query;
}

const parisDate = (instant: Date) => {
  const w = parisWallTime(instant);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
};

function sendHeaders(res: Response, contentType: string, filename: string) {
  res.set({
    'Content-Type': contentType,
    'Content-Disposition': `attachment; filename="${filename}"`,
    Link: `<${LICENCE.url}>; rel="license"`,
    'Cache-Control': 'public, max-age=300',
  });
}

/** Once the first byte has left, an error can only cut the response short (pipeline destroys it). */
async function stream(res: Response, body: Readable, log: (message: string, error?: unknown) => void) {
  try {
    await pipeline(body, res);
  } catch (error) {
    if (!res.headersSent) throw error;
    log('Export interrompu', error);
  }
}

export function exportRoutes(deps: {
  exports: ExportService;
  publicBaseUrl: string;
  log: (message: string, error?: unknown) => void;
}): Router {
  const { exports, publicBaseUrl, log } = deps;
  const router = Router();

  async function prepare(raw: unknown) {
    const query = parseExportQuery(raw);
    await exports.assertLabelsExist(query);
    const generatedAt = exports.now();
    return {
      query,
      generatedAt,
      batches: exports.batches(query, generatedAt),
      filename: `lieux-mediation-numerique-${parisDate(generatedAt)}`,
    };
  }

  const envelopeHead = (generatedAt: Date) => ({
    licence: LICENCE,
    date_generation: generatedAt.toISOString(),
    standard: STANDARD,
  });

  router.get('/api/v1/export.csv', async (req, res) => {
    const { batches, filename } = await prepare(req.query);
    sendHeaders(res, 'text/csv; charset=utf-8', `${filename}.csv`);
    await stream(res, csvStream(batches, standardRecord), log);
  });

  router.get('/api/v1/export.json', async (req, res) => {
    const { batches, filename, generatedAt } = await prepare(req.query);
    sendHeaders(res, 'application/json; charset=utf-8', `${filename}.json`);
    await stream(res, jsonStream(batches, standardRecord, { head: envelopeHead(generatedAt), arrayKey: 'lieux' }), log);
  });

  router.get('/api/v1/export.geojson', async (req, res) => {
    const { batches, filename, generatedAt } = await prepare(req.query);
    sendHeaders(res, 'application/geo+json; charset=utf-8', `${filename}.geojson`);
    const head = { type: 'FeatureCollection', ...envelopeHead(generatedAt) };
    await stream(
      res,
      jsonStream(batches, (place, labels) => geoJsonFeature(standardRecord(place, labels)), {
        head,
        arrayKey: 'features',
      }),
      log,
    );
  });

  // data·inclusion v1: bare arrays of records, as its schemas describe them; the licence goes in the Link header.
  router.get('/api/v1/export/data-inclusion/structures.json', async (req, res) => {
    const { batches, filename } = await prepare(req.query);
    sendHeaders(res, 'application/json; charset=utf-8', `${filename}-data-inclusion-structures.json`);
    await stream(
      res,
      jsonStream(batches, (place) => dataInclusionStructure(place, publicBaseUrl), null),
      log,
    );
  });

  router.get('/api/v1/export/data-inclusion/services.json', async (req, res) => {
    const { batches, filename } = await prepare(req.query);
    sendHeaders(res, 'application/json; charset=utf-8', `${filename}-data-inclusion-services.json`);
    await stream(
      res,
      jsonStream(batches, (place) => dataInclusionService(place, publicBaseUrl), null),
      log,
    );
  });

  router.get('/donnees-ouvertes', (_req, res) => {
    res.render('pages/opendata/index', {
      pageTitle: 'Données ouvertes',
      licence: LICENCE,
      standard: STANDARD,
      baseUrl: new URL('/api/v1', publicBaseUrl).toString(),
    });
  });

  return router;
}
