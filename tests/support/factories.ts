import { randomUUID } from 'node:crypto';
import type { Db } from '../../server/db/knex.js';
import {
  insertPlacesIfAbsent,
  linkPlacesToLabels,
  type NewPlaceRow,
} from '../../server/places/place-writes.repository.js';

/**
 * Each test builds its own places around its own random spot (ocean included: any valid
 * coordinate will do), so tests never see each other's rows nor depend on the seeds.
 */
export function randomSpot() {
  return {
    lat: Math.round((Math.random() * 120 - 60) * 1e5) / 1e5,
    lon: Math.round((Math.random() * 340 - 170) * 1e5) / 1e5,
  };
}

/**
 * For tests that load thousands of places at once: far north (65°–80° N), where randomSpot() and
 * aloneSpot() never land, so that so many places never fall within another test's search.
 */
export function crowdSpot() {
  return {
    lat: Math.round((65 + Math.random() * 15) * 1e5) / 1e5,
    lon: Math.round((Math.random() * 340 - 170) * 1e5) / 1e5,
  };
}

/**
 * A spot south of every randomSpot() (61.5°–63° S, where a degree of longitude is still ~50 km), or
 * with `polar` further south still (66°–72° S), in its own 30° band of longitude (`lane` 0–10,
 * one per test), where no bulk row lands either: for searches 100 km wide, and for the map's
 * zoomed-out clusters, which gather places hundreds of kilometres apart, where a place of another
 * test would come in. Lanes taken: 0–1 map.test.ts (polar), 2 pagination.test.ts, 3–4 search-page.test.ts,
 * 5–7 text-search-memory.test.ts (a common word searched around a point: no other test's place may match).
 */
export function aloneSpot(lane: number, options: { polar?: boolean } = {}) {
  const lat = options.polar ? -66 - Math.random() * 6 : -61.5 - Math.random() * 1.5;
  return {
    lat: Math.round(lat * 1e5) / 1e5,
    lon: Math.round((-165 + lane * 30 + Math.random() * 10) * 1e5) / 1e5,
  };
}

/** A point `km` kilometres north (positive) or south of `from`. */
export function northOf(from: { lat: number; lon: number }, km: number) {
  return { lat: from.lat + km / 111.195, lon: from.lon };
}

export function eastOf(from: { lat: number; lon: number }, km: number) {
  return { lat: from.lat, lon: from.lon + km / (111.195 * Math.cos((from.lat * Math.PI) / 180)) };
}

export type PlaceOverrides = Partial<NewPlaceRow> & {
  at?: { lat: number; lon: number } | null;
  labels?: string[];
  status?: 'published' | 'hidden';
};

export async function makePlace(db: Db, overrides: PlaceOverrides = {}) {
  const { at, labels = [], status, ...rest } = overrides;
  const unique = randomUUID();
  const row: NewPlaceRow = {
    source: 'test',
    sourceId: unique,
    pivot: '00000000000000',
    nom: `Lieu d’essai ${unique.slice(0, 8)}`,
    commune: 'Testville',
    codePostal: '99999',
    codeInsee: null,
    adresse: '1 rue des Essais',
    complementAdresse: null,
    latitude: at === null ? null : (at?.lat ?? 10),
    longitude: at === null ? null : (at?.lon ?? 10),
    typologie: [],
    telephone: null,
    courriels: [],
    siteWeb: [],
    horaires: null,
    presentationResume: null,
    presentationDetail: null,
    itinerance: [],
    structureParente: null,
    dateMaj: '2026-01-15',
    services: [],
    publicsSpecifiquementAdresses: [],
    priseEnChargeSpecifique: [],
    fraisACharge: [],
    autresFormationsLabels: [],
    modalitesAcces: [],
    modalitesAccompagnement: [],
    ficheAccesLibre: null,
    priseRdv: null,
    importIssues: [],
    ...rest,
  };
  const [id] = (await insertPlacesIfAbsent(db, [{ ...row, ...(status ? { status } : {}) }])).values();
  for (const slug of labels) {
    const label = await db('labels').where({ slug }).first();
    const labelId = label
      ? label.id
      : (await db('labels').insert({ slug, name: slug, kind: 'local' }).returning('id'))[0].id;
    await linkPlacesToLabels(db, [{ placeId: id, labelId }], 'import');
  }
  return { id, ...row };
}

export async function makeLabel(db: Db, overrides: { slug?: string; name?: string; kind?: string } = {}) {
  const slug = overrides.slug ?? `label-${randomUUID().slice(0, 8)}`;
  const [row] = await db('labels')
    .insert({ slug, name: overrides.name ?? `Label ${slug}`, kind: overrides.kind ?? 'local' })
    .onConflict('slug')
    .merge()
    .returning('*');
  return row as { id: number; slug: string; name: string };
}
