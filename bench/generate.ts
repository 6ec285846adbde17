/**
 * Synthetic places for the benchmarks, spread like the real ones: each place falls in a commune drawn
 * with a probability proportional to its population (dense in cities, sparse in the countryside,
 * overseas départements included), a little off the commune's centre (farther in big communes), and
 * takes its hours, services, publics, fees, access and labels from a real place of seeds/data/places.json
 * drawn at random — so the mix of opening hours, services and labels is the real one.
 *
 * Deterministic: the same (count, seed) gives the same rows. Streams: a generator yields one row at a
 * time, so a million rows never sit in memory (only the 35,000 communes and 4,600 templates do).
 *
 * CLI: `tsx bench/generate.ts --places 1000 [--seed 42]` writes the rows as JSON lines to stdout.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOpeningHours } from '../server/shared/opening-hours.js';
import type { BulkPlaceRow } from '../server/places/places.bulk.js';
import {
  FRAIS,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRISES_EN_CHARGE,
  PUBLICS,
  SERVICES,
} from '../server/places/standard.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** mulberry32: tiny, fast and good enough to spread points; Math.random cannot be seeded. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Commune {
  insee: string;
  nom: string;
  codePostal: string;
  lat: number;
  lon: number;
  population: number;
}

// Paris, Lyon and Marseille are listed both whole and by arrondissement: the arrondissements stay.
const CITIES_SPLIT_INTO_ARRONDISSEMENTS = new Set(['75056', '69123', '13055']);

/** The communes of the offline geocoder's seed, with the population from @etalab/decoupage-administratif. */
export function loadCommunes(): Commune[] {
  const seeds = JSON.parse(readFileSync(path.join(ROOT, 'seeds/data/communes.json'), 'utf8')) as {
    insee: string;
    nom: string;
    cp: string[];
    lat: number;
    lon: number;
  }[];
  const decoupageFile = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@etalab/decoupage-administratif/package.json')),
    'data/communes.json',
  );
  const population = new Map<string, number>();
  for (const c of JSON.parse(readFileSync(decoupageFile, 'utf8')) as {
    code: string;
    type: string;
    population?: number;
  }[]) {
    if (c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal')
      population.set(c.code, c.population ?? 0);
  }
  return seeds
    .filter((c) => !CITIES_SPLIT_INTO_ARRONDISSEMENTS.has(c.insee) && c.cp.length > 0)
    .map((c) => ({
      insee: c.insee,
      nom: c.nom,
      codePostal: c.cp[0],
      lat: c.lat,
      lon: c.lon,
      population: Math.max(population.get(c.insee) ?? 0, 1),
    }));
}

/** What a synthetic place borrows from a real one. Values outside the standard's lists are dropped. */
interface Template {
  horaires: string | null;
  services: string[];
  publics: string[];
  priseEnCharge: string[];
  frais: string[];
  modalitesAcces: string[];
  modalitesAccompagnement: string[];
  typologie: string[];
  labelSlugs: string[];
}

function loadTemplates(): Template[] {
  const places = JSON.parse(readFileSync(path.join(ROOT, 'seeds/data/places.json'), 'utf8')) as Record<
    string,
    unknown
  >[];
  const labels = JSON.parse(readFileSync(path.join(ROOT, 'seeds/data/labels.json'), 'utf8')) as {
    slug: string;
    standard_value: string | null;
  }[];
  const slugByStandardValue = new Map(
    labels.flatMap((l) => (l.standard_value ? [[l.standard_value, l.slug] as const] : [])),
  );
  const knownSlugs = new Set(labels.map((l) => l.slug));
  const validHours = new Map<string, boolean>();
  const among = (allowed: readonly string[], value: unknown) =>
    Array.isArray(value) ? value.filter((v: unknown): v is string => typeof v === 'string' && allowed.includes(v)) : [];
  return places.map((place) => {
    let horaires = typeof place.horaires === 'string' ? place.horaires : null;
    if (horaires !== null) {
      if (!validHours.has(horaires)) validHours.set(horaires, checkOpeningHours(horaires).valid);
      if (!validHours.get(horaires)) horaires = null;
    }
    const dispositifs = Array.isArray(place.dispositif_programmes_nationaux)
      ? (place.dispositif_programmes_nationaux as string[])
      : [];
    const slugs = [
      ...dispositifs.map((value) => slugByStandardValue.get(value)),
      ...(Array.isArray(place.labels) ? (place.labels as string[]) : []),
    ].filter((slug): slug is string => slug !== undefined && knownSlugs.has(slug));
    return {
      horaires,
      services: among(SERVICES, place.services),
      publics: among(PUBLICS, place.publics_specifiquement_adresses),
      priseEnCharge: among(PRISES_EN_CHARGE, place.prise_en_charge_specifique),
      frais: among(FRAIS, place.frais_a_charge),
      modalitesAcces: among(MODALITES_ACCES, place.modalites_acces),
      modalitesAccompagnement: among(MODALITES_ACCOMPAGNEMENT, place.modalites_accompagnement),
      typologie: Array.isArray(place.typologie) ? (place.typologie as string[]).filter((t) => t.length <= 20) : [],
      labelSlugs: [...new Set(slugs)],
    };
  });
}

// Kinds of places as they are named in the real data (the text-search scenarios look for them).
const KINDS = [
  'Médiathèque',
  'France Services',
  'Espace public numérique',
  'Centre social',
  'Mairie',
  'Tiers-lieu',
  'Maison de quartier',
  'CCAS',
  'Bibliothèque',
  'Point numérique',
  'Maison des associations',
  'Cyber-base',
];
const STREETS = ['rue', 'avenue', 'place', 'boulevard', 'chemin', 'allée', 'impasse', 'route'];
const STREET_NAMES = [
  'de la République',
  'Jean Jaurès',
  'Victor Hugo',
  'de la Mairie',
  'du Général de Gaulle',
  'Pasteur',
  'de l’Église',
  'des Écoles',
  'Jules Ferry',
  'de la Gare',
  'du Marché',
  'Gambetta',
  'Voltaire',
  'des Lilas',
];

/** Cumulative weights for drawing a commune by population with one binary search. */
function cumulativePopulation(communes: Commune[]): Float64Array {
  const cumulative = new Float64Array(communes.length);
  let sum = 0;
  communes.forEach((c, i) => {
    sum += c.population;
    cumulative[i] = sum;
  });
  return cumulative;
}

function drawIndex(cumulative: Float64Array, random: () => number): number {
  const target = random() * cumulative[cumulative.length - 1];
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle] <= target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Draws communes with a probability proportional to their population. */
export function communeSampler(communes: Commune[], random: () => number): () => Commune {
  const cumulative = cumulativePopulation(communes);
  return () => communes[drawIndex(cumulative, random)];
}

const pick = <T>(values: readonly T[], random: () => number): T => values[Math.floor(random() * values.length)];

export interface GenerateOptions {
  count: number;
  seed?: number;
  /** The source written on every row; the benchmark finds its rows by it. */
  source?: string;
}

/** Yields `count` valid place rows, ready for bulkLoadPlaces(). */
export function* generatePlaces(options: GenerateOptions): Generator<BulkPlaceRow> {
  const seed = options.seed ?? 42;
  const source = options.source ?? 'bench';
  const random = seededRandom(seed);
  const drawCommune = communeSampler(loadCommunes(), random);
  const templates = loadTemplates();
  for (let i = 1; i <= options.count; i++) {
    const commune = drawCommune();
    const template = pick(templates, random);
    // Spread around the centre: a few hundred metres in a village, several kilometres in a city.
    const spreadKm = Math.min(8, 0.4 + Math.sqrt(commune.population) / 150);
    const northKm = (random() + random() - 1) * spreadKm;
    const eastKm = (random() + random() - 1) * spreadKm;
    const latitude = Math.round((commune.lat + northKm / 111.2) * 1e6) / 1e6;
    const longitude =
      Math.round((commune.lon + eastKm / (111.2 * Math.cos((commune.lat * Math.PI) / 180))) * 1e6) / 1e6;
    const kind = pick(KINDS, random);
    yield {
      source,
      sourceId: `${source}-${seed}-${i}`,
      pivot: '00000000000000',
      nom: `${kind} ${commune.nom}${random() < 0.3 ? ` ${1 + Math.floor(random() * 9)}` : ''}`,
      commune: commune.nom,
      codePostal: commune.codePostal,
      codeInsee: commune.insee,
      adresse: `${1 + Math.floor(random() * 120)} ${pick(STREETS, random)} ${pick(STREET_NAMES, random)}`,
      complementAdresse: null,
      latitude,
      longitude,
      typologie: template.typologie,
      telephone:
        random() < 0.65
          ? `+33${1 + Math.floor(random() * 5)}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`
          : null,
      courriels: random() < 0.55 ? [`contact${i}@exemple.fr`] : [],
      siteWeb: [],
      horaires: template.horaires,
      presentationResume: null,
      presentationDetail: null,
      itinerance: [],
      structureParente: null,
      dateMaj: [
        '2025',
        String(1 + Math.floor(random() * 12)).padStart(2, '0'),
        String(1 + Math.floor(random() * 28)).padStart(2, '0'),
      ].join('-'),
      services: template.services,
      publicsSpecifiquementAdresses: template.publics,
      priseEnChargeSpecifique: template.priseEnCharge,
      fraisACharge: template.frais,
      autresFormationsLabels: [],
      modalitesAcces: template.modalitesAcces,
      modalitesAccompagnement: template.modalitesAccompagnement,
      ficheAccesLibre: null,
      priseRdv: null,
      importIssues: [],
      labelSlugs: template.labelSlugs,
    };
  }
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of generatePlaces({ count: argument('places', 1000), seed: argument('seed', 42) })) {
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
}
