import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { foldToAscii } from '../shared/text.js';

export interface Commune {
  insee: string;
  nom: string;
  codesPostaux: string[];
  latitude: number;
  longitude: number;
  population: number | null;
}

export interface CommuneRow {
  insee: string;
  nom: string;
  codesPostaux: string[];
  latitude: number;
  longitude: number;
  anciensCodes?: string[];
  anciensNoms?: string[];
  population?: number | null;
}

const COLUMNS = ['insee', 'nom', 'codes_postaux', 'latitude', 'longitude', 'population'];

const toCommune = (row: Record<string, unknown>): Commune => ({
  insee: row.insee as string,
  nom: row.nom as string,
  codesPostaux: row.codes_postaux as string[],
  latitude: Number(row.latitude),
  longitude: Number(row.longitude),
  population: row.population === null || row.population === undefined ? null : Number(row.population),
});

/** Same normalisation as the generated `search_name` column: no accents, case or punctuation. */
export function communeSearchKey(text: string): string {
  return (
    foldToAscii(text)
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      // "St Denis", "Ste Marie": the abbreviations people type.
      .replace(/\bst\b/g, 'saint')
      .replace(/\bste\b/g, 'sainte')
  );
}

export async function upsertCommunes(trx: Knex.Transaction | Db, rows: CommuneRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000).map((row) => ({
      insee: row.insee,
      nom: row.nom,
      codes_postaux: row.codesPostaux,
      latitude: row.latitude,
      longitude: row.longitude,
      anciens_codes: row.anciensCodes ?? [],
      anciens_noms: row.anciensNoms ?? [],
      population: row.population ?? null,
    }));
    await trx('communes').insert(batch).onConflict('insee').merge();
  }
}

export async function countCommunes(db: Db): Promise<number> {
  const [row] = await db('communes').count<{ count: number }[]>('* as count');
  return row.count;
}

export async function findCommuneByInsee(db: Db, insee: string): Promise<Commune | undefined> {
  const row = await db('communes')
    .select(COLUMNS)
    .where({ insee })
    .orWhereRaw('anciens_codes @> ARRAY[?]::text[]', [insee])
    .first<Record<string, unknown> | undefined>();
  return row ? toCommune(row) : undefined;
}

export async function findCommunesByPostalCode(db: Db, postalCode: string, limit = 20): Promise<Commune[]> {
  const rows = await db('communes')
    .select(COLUMNS)
    .whereRaw('codes_postaux @> ARRAY[?]::text[]', [postalCode])
    .orderByRaw('population DESC NULLS LAST, nom')
    .limit(limit);
  return rows.map(toCommune);
}

/** Postal codes starting with the typed digits ("130" → communes of 130xx), for suggestions. */
export async function findCommunesByPostalPrefix(db: Db, prefix: string, limit = 10): Promise<Commune[]> {
  const rows = await db('communes')
    .select(COLUMNS)
    .whereRaw('EXISTS (SELECT 1 FROM unnest(codes_postaux) cp WHERE cp LIKE ?)', [`${prefix}%`])
    .orderByRaw('population DESC NULLS LAST, nom')
    .limit(limit);
  return rows.map(toCommune);
}

/**
 * Communes whose name (or a former commune's name) looks like `text`: exact names first, then
 * names starting with it, then by trigram similarity (a former commune's name counts less);
 * larger communes first among equals.
 */
export async function searchCommunesByName(db: Db, text: string, limit = 10): Promise<Commune[]> {
  const key = communeSearchKey(text);
  if (!key) return [];
  const prefix = `${key.replace(/[%_\\]/g, '')}%`;
  const rows = await db('communes')
    .select(COLUMNS)
    .whereRaw('search_name % ?', [key])
    .orWhereRaw('search_name LIKE ?', [prefix])
    .orWhereRaw('? <% search_former', [key])
    .orderByRaw(
      `(search_name = ?) DESC, (search_name LIKE ?) DESC,
       CASE WHEN search_name LIKE ? THEN coalesce(population, 0) ELSE 0 END DESC,
       greatest(similarity(search_name, ?), word_similarity(?, search_name) * 0.95,
                word_similarity(?, search_former) * 0.7) DESC,
       population DESC NULLS LAST, nom`,
      [key, prefix, prefix, key, key, key],
    )
    .limit(limit);
  return rows.map(toCommune);
}

/** The longest commune names found whole inside a longer text ("12 rue de la Paix Martigues"). */
export async function findCommunesInsideText(db: Db, text: string, limit = 5): Promise<Commune[]> {
  const key = communeSearchKey(text);
  if (key.length < 3) return [];
  const rows = await db('communes')
    .select(COLUMNS)
    .whereRaw('search_name <<% ?', [key])
    .whereRaw('strict_word_similarity(search_name, ?) >= 0.99', [key])
    .whereRaw('length(search_name) >= 3')
    .orderByRaw('length(search_name) DESC, population DESC NULLS LAST')
    .limit(limit);
  return rows.map(toCommune);
}

/** Current communes that absorbed a former commune of exactly this name ("Seynod" → Annecy). */
export async function findCommunesByFormerName(db: Db, text: string, limit = 5): Promise<Commune[]> {
  const key = communeSearchKey(text);
  if (!key) return [];
  const rows = await db('communes')
    .select(COLUMNS)
    .whereRaw('? <% search_former', [key])
    .whereRaw(`? = ANY (SELECT btrim(name) FROM unnest(string_to_array(search_former, '|')) AS name)`, [key])
    .orderByRaw('population DESC NULLS LAST')
    .limit(limit);
  return rows.map(toCommune);
}

/** The mean position of a department's communes ("13" → around Aix-en-Provence). */
export async function departmentCentre(db: Db, code: string): Promise<{ lat: number; lon: number } | null> {
  const row = await db('communes')
    .whereRaw('insee LIKE ?', [`${code}%`])
    .first<{ lat: number | null; lon: number | null; n: number } | undefined>(
      db.raw('avg(latitude)::float AS lat'),
      db.raw('avg(longitude)::float AS lon'),
      db.raw('count(*)::int AS n'),
    );
  return row && row.n > 0
    ? { lat: Math.round(Number(row.lat) * 1e5) / 1e5, lon: Math.round(Number(row.lon) * 1e5) / 1e5 }
    : null;
}

/**
 * The postal code a commune is known by, when it has several (Martigues: 13500, not Lavéra's 13117):
 * the code most of its published places use, when it holds more than half of them; otherwise none
 * (Paris: no code speaks for the whole city). Keyed by INSEE code, for communes with 2 codes or more.
 */
export async function mainPostalCodes(db: Db, communes: Commune[]): Promise<Map<string, string | null>> {
  const several = communes.filter((c) => c.codesPostaux.length > 1);
  const main = new Map<string, string | null>(several.map((c) => [c.insee, null]));
  if (!several.length) return main;
  const rows = await db('places')
    .select('code_insee', 'code_postal')
    .count<{ code_insee: string; code_postal: string; count: string }[]>('* as count')
    .whereIn(
      'code_insee',
      several.map((c) => c.insee),
    )
    .where('status', 'published')
    .groupBy('code_insee', 'code_postal');
  for (const commune of several) {
    const mine = rows.filter((r) => r.code_insee === commune.insee);
    const total = mine.reduce((sum, r) => sum + Number(r.count), 0);
    const top = mine
      .filter((r) => commune.codesPostaux.includes(r.code_postal))
      .sort((a, b) => Number(b.count) - Number(a.count))
      .at(0);
    if (top && Number(top.count) * 2 > total) main.set(commune.insee, top.code_postal);
  }
  return main;
}

/** Paris, Lyon and Marseille's municipal arrondissements: "Paris 15" → 75115. */
const ARRONDISSEMENTS: Record<string, { base: number; count: number }> = {
  paris: { base: 75100, count: 20 },
  lyon: { base: 69380, count: 9 },
  marseille: { base: 13200, count: 16 },
};

/** The INSEE code of "Paris 15", "Lyon 3e", "Marseille 1er arrondissement"; undefined for anything else. */
export function arrondissementInsee(text: string): string | undefined {
  const match = /^(paris|lyon|marseille) (\d{1,2}) ?(?:e|er|eme|ieme|arr|arrt)?(?: arrondissement)?$/.exec(
    communeSearchKey(text),
  );
  if (!match) return undefined;
  const city = ARRONDISSEMENTS[match[1]];
  const n = Number(match[2]);
  return n >= 1 && n <= city.count ? String(city.base + n) : undefined;
}

/** Is this commune one of Paris, Lyon or Marseille's arrondissements (75101–75120, 69381–69389, 13201–13216)? */
export function isArrondissement(insee: string): boolean {
  return Object.values(ARRONDISSEMENTS).some(
    ({ base, count }) => Number(insee) > base && Number(insee) <= base + count && /^\d{5}$/.test(insee),
  );
}
