import { readFile } from 'node:fs/promises';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seedFile, seedLabels } from '../../../seeds/index.js';
import { createApp } from '../../../server/app.js';
import { createFileImporter } from '../../../server/opendata/import/import-file.service.js';
import { placeDetailSchema, placesListSchema } from '../../../server/places/places.responses.js';
import { fixedClock, testConfig } from '../../support/context.js';
import { createFreshDatabase } from '../../support/fresh-database.js';

/**
 * The same schema, with every object strict at every depth: a key the API sends but the schema (and so
 * the OpenAPI document) does not declare fails, as does a declared key the API leaves out.
 */
function strictly(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    return z.strictObject(
      Object.fromEntries(
        Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => [key, strictly(field)]),
      ),
    );
  }
  if (schema instanceof z.ZodArray) return z.array(strictly(schema.element as z.ZodType));
  if (schema instanceof z.ZodNullable) return strictly(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodOptional) return strictly(schema.unwrap() as z.ZodType).optional();
  return schema;
}

type SeedRecord = Record<string, unknown> & { id: string; source: string };

/**
 * A sample of the real seeded places that covers their variety: the first records of every source,
 * every record with labels or without coordinates, and one in a hundred and fifty of the rest.
 */
function sampleOf(records: SeedRecord[]): SeedRecord[] {
  const perSource = new Map<string, number>();
  return records.filter((record, index) => {
    const seen = perSource.get(record.source) ?? 0;
    perSource.set(record.source, seen + 1);
    return (
      seen < 3 ||
      index % 150 === 0 ||
      record.labels !== undefined ||
      record.latitude === undefined ||
      record.latitude === null
    );
  });
}

describe('the place detail the API returns parses with the schema the OpenAPI document is generated from', () => {
  // A database of its own: real places at real coordinates must not appear in other files' searches.
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  /** Drops the fresh database once it exists (nothing to drop if its creation failed). */
  let dropFresh = (): Promise<void> => Promise.resolve();
  let app: Express;
  let sample: SeedRecord[] = [];
  let ids: number[] = [];

  beforeAll(async () => {
    fresh = await createFreshDatabase();
    dropFresh = () => fresh.drop();
    await seedLabels(fresh.db);
    sample = sampleOf(JSON.parse(await readFile(seedFile('places.json'), 'utf8')) as SeedRecord[]);
    const clock = fixedClock('2026-12-01T10:00:00Z');
    const report = await createFileImporter({ db: fresh.db, clock }).importFile(Buffer.from(JSON.stringify(sample)), {
      fileName: 'places.json',
    });
    expect(report.rejections).toEqual([]);
    ids = (await fresh.db('places').select('id').orderBy('id')).map((row: { id: number | string }) => Number(row.id));
    app = createApp({
      config: testConfig({ DATABASE_URL: fresh.url }),
      db: fresh.db,
      clock,
      log: () => {},
    });
  });
  afterAll(async () => {
    await dropFresh();
  });

  it('when the sample is drawn, then it spans every source, places with labels and a place without coordinates', () => {
    const sources = new Set(sample.map((record) => record.source));
    expect(sources.size).toBeGreaterThanOrEqual(10);
    expect(sample.some((record) => record.labels !== undefined)).toBe(true);
    expect(sample.some((record) => record.latitude === undefined || record.latitude === null)).toBe(true);
    expect(ids).toHaveLength(sample.length);
  });

  it('when each sampled place is read from /api/v1/places/:id, then placeDetailSchema parses it strictly', async () => {
    const detail = strictly(placeDetailSchema);
    const mismatches: string[] = [];
    for (const id of ids) {
      const res = await request(app).get(`/api/v1/places/${id}`);
      expect(res.status).toBe(200);
      const parsed = detail.safeParse(res.body);
      if (!parsed.success) mismatches.push(`${id} (${res.body.source_id}) : ${z.prettifyError(parsed.error)}`);
    }
    expect(mismatches).toEqual([]);
  });

  const whenSampledPlacesListedThrough =
    'when the sampled places are listed through /api/v1/places page by page, ' +
    'then every page parses strictly with placesListSchema';
  it(whenSampledPlacesListedThrough, async () => {
    const page = strictly(placesListSchema);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await request(app)
        .get('/api/v1/places')
        .query({ limit: 100, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const parsed = page.safeParse(res.body);
      expect(parsed.success ? [] : z.prettifyError(parsed.error)).toEqual([]);
      seen.push(...res.body.items.map((item: { id: number }) => item.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.sort((a, b) => a - b)).toEqual(ids);
  });

  it('when the OpenAPI document is served, then its place detail declares exactly the schema’s fields', async () => {
    const res = await request(app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const declared = res.body.paths['/places/{id}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(declared.properties).sort()).toEqual(Object.keys(placeDetailSchema.shape).sort());
    expect([...declared.required].sort()).toEqual(Object.keys(placeDetailSchema.shape).sort());
  });
});
