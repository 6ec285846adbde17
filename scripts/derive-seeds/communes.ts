// The offline commune table (seeds/data/communes.json) and the code_insee lookup built on the same data.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// `commune`: the city of a municipal arrondissement; `chefLieu`: the current commune of a former
// (déléguée/associée) one.
interface Commune {
  code: string;
  nom: string;
  type: string;
  commune?: string;
  chefLieu?: string;
  anciensCodes?: string[];
  codesPostaux?: string[];
}
interface CommuneRow {
  insee: string;
  nom: string;
  cp: string[];
  lat: number;
  lon: number;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const decoupageDir = dirname(createRequire(import.meta.url).resolve('@etalab/decoupage-administratif/package.json'));
export const decoupageVersion = (readJson(join(decoupageDir, 'package.json')) as { version: string }).version;
const allCommunes = readJson(join(decoupageDir, 'data/communes.json')) as Commune[];
const currentCommunes = allCommunes.filter(
  (commune) => commune.type === 'commune-actuelle' || commune.type === 'arrondissement-municipal',
);

// ---------- communes.json: current communes + postal codes + averaged La Poste coordinates ----------
export function buildCommuneTable(laPostePath: string) {
  const pointsByInsee = new Map<string, [number, number][]>();
  for (const line of readFileSync(laPostePath, 'utf8').split(/\r?\n/).slice(1)) {
    const [insee, , , , , gps] = line.split(';') as (string | undefined)[];
    const [lat, lon] = (gps ?? '').split(',').map(Number);
    if (!insee || !Number.isFinite(lat) || !Number.isFinite(lon) || !gps) continue;
    pointsByInsee.set(insee, [...(pointsByInsee.get(insee) ?? []), [lat, lon]]);
  }
  const round5 = (value: number) => Math.round(value * 1e5) / 1e5;
  const average = (points: [number, number][]): [number, number] | undefined =>
    points.length === 0
      ? undefined
      : [
          round5(points.reduce((sum, p) => sum + p[0], 0) / points.length),
          round5(points.reduce((sum, p) => sum + p[1], 0) / points.length),
        ];

  const coordinatesByInsee = new Map<string, [number, number]>();
  let fromOldCodes = 0;
  for (const commune of currentCommunes) {
    let point = average(pointsByInsee.get(commune.code) ?? []);
    if (!point) {
      point = average((commune.anciensCodes ?? []).flatMap((code) => pointsByInsee.get(code) ?? []));
      if (point) fromOldCodes += 1;
    }
    if (point) coordinatesByInsee.set(commune.code, point);
  }
  // Paris, Lyon and Marseille appear in La Poste only through their arrondissements: use their mean.
  for (const parent of currentCommunes.filter((commune) => !coordinatesByInsee.has(commune.code))) {
    const arrondissementPoints = currentCommunes
      .filter((commune) => commune.commune === parent.code)
      .flatMap((arrondissement) => {
        const point = coordinatesByInsee.get(arrondissement.code);
        return point ? [point] : [];
      });
    const point = average(arrondissementPoints);
    if (point) coordinatesByInsee.set(parent.code, point);
  }
  const rows: CommuneRow[] = currentCommunes.flatMap((commune) => {
    const point = coordinatesByInsee.get(commune.code);
    return point
      ? [{ insee: commune.code, nom: commune.nom, cp: commune.codesPostaux ?? [], lat: point[0], lon: point[1] }]
      : [];
  });
  const without = currentCommunes.filter((commune) => !coordinatesByInsee.has(commune.code));
  return { rows, without, fromOldCodes };
}

// ---------- code_insee from postal code + commune name ----------
/**
 * Commune name compared without case, accents, spaces, hyphens or apostrophes, a leading article or a trailing
 * "CEDEX 2"; ST/STE read as Saint/Sainte: "ST ETIENNE", "Pont de Claix", "Saint-Donat-sur-lHerbasse" match.
 */
export function communeKey(name: string): string {
  const words = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/\bcedex\b.*$/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => (word === 'st' ? 'saint' : word === 'ste' ? 'sainte' : word));
  if (words.length > 1 && ['le', 'la', 'les', 'l'].includes(words[0])) words.shift();
  return words.join('');
}
// Department-like prefix of a postal code: 2 digits, 3 overseas (971…, 988).
const departmentOf = (postalCode: string) => postalCode.slice(0, /^9[78]/.test(postalCode) ? 3 : 2);

export type InseeRule =
  'postal code + name' | 'only commune of the postal code' | 'CEDEX code: unique name in the department';

export function createInseeLookup() {
  const names = new Map<string, Set<string>>(); // current insee → name keys (its own, its former communes', its city's)
  const namesOf = (code: string) => {
    const keys = names.get(code);
    if (!keys) throw new Error(`no names for commune ${code}`);
    return keys;
  };
  const addName = (code: string, name: string) => names.set(code, (names.get(code) ?? new Set()).add(communeKey(name)));
  const byPostalCode = new Map<string, string[]>();
  const byDepartment = new Map<string, Set<string>>();
  const current = new Map(currentCommunes.map((c) => [c.code, c]));
  const parentOf = new Map(
    currentCommunes.flatMap((c) =>
      c.type === 'arrondissement-municipal' && c.commune ? [[c.code, c.commune] as const] : [],
    ),
  );
  const arrondissementPostalCodes = new Set(
    currentCommunes.flatMap((c) => (c.type === 'arrondissement-municipal' ? (c.codesPostaux ?? []) : [])),
  );

  for (const commune of currentCommunes) {
    addName(commune.code, commune.nom);
    // "MARSEILLE" + 13015 → Marseille 15e Arrondissement (13215), the convention of the source data.
    const city = current.get(parentOf.get(commune.code) ?? '');
    if (city) addName(commune.code, city.nom);
    for (const cp of commune.codesPostaux ?? []) {
      const department = departmentOf(cp);
      byDepartment.set(department, (byDepartment.get(department) ?? new Set()).add(commune.code));
      if (city === undefined && [...parentOf.values()].includes(commune.code) && arrondissementPostalCodes.has(cp))
        continue;
      byPostalCode.set(cp, [...(byPostalCode.get(cp) ?? []), commune.code]);
    }
  }
  // Former communes merged into a current one ("Seynod", "Annecy-le-Vieux" → Annecy) name their current commune.
  for (const former of allCommunes) {
    if (
      (former.type === 'commune-deleguee' || former.type === 'commune-associee') &&
      former.chefLieu &&
      current.has(former.chefLieu)
    ) {
      addName(former.chefLieu, former.nom);
    }
  }

  // Communes of the postal code's department with that name; "LYON CEDEX 03" matches Lyon and its
  // nine arrondissements, and the city itself is the answer.
  const namedInDepartment = (postalCode: string, key: string) => {
    const matches = [...(byDepartment.get(departmentOf(postalCode)) ?? [])].filter((code) => namesOf(code).has(key));
    return matches.filter((code) => !matches.includes(parentOf.get(code) ?? ''));
  };

  return function lookup(postalCode: string, communeName: string): { code: string; rule: InseeRule } | undefined {
    const key = communeKey(communeName);
    const candidates = byPostalCode.get(postalCode);
    if (candidates) {
      const named = candidates.filter((code) => namesOf(code).has(key));
      if (named.length === 1) return { code: named[0], rule: 'postal code + name' };
      // A locality of the only commune ("MONTFAVET", 84140 → Avignon) is accepted; the name of another
      // commune of the department ("Grasse" with Nice's 06100) means the two fields contradict each other.
      if (candidates.length === 1 && named.length === 0 && namedInDepartment(postalCode, key).length === 0) {
        return { code: candidates[0], rule: 'only commune of the postal code' };
      }
      return undefined;
    }
    // Not a distribution postal code (CEDEX, company codes): the name must be unique in the department.
    const named = namedInDepartment(postalCode, key);
    return named.length === 1 ? { code: named[0], rule: 'CEDEX code: unique name in the department' } : undefined;
  };
}

// ---------- official commune names (rule 3 of the clean-up) ----------
/**
 * The name to show for a code_insee: the commune's own name, or its city's for a municipal arrondissement
 * (13206 → Marseille), with the name keys that count as "the same commune written differently".
 */
export function createCommuneNames() {
  const current = new Map(currentCommunes.map((c) => [c.code, c]));
  return function officialName(
    insee: string,
  ): { name: string; keys: Set<string>; matches: (name: string) => boolean } | undefined {
    const commune = current.get(insee);
    if (!commune) return undefined;
    const city =
      commune.type === 'arrondissement-municipal' && commune.commune ? current.get(commune.commune) : undefined;
    const keys = new Set([communeKey(commune.nom), ...(city ? [communeKey(city.nom)] : [])]);
    // In an arrondissement, any spelling that starts with the city's name ("Marseille 10ème arrondissement")
    // is the city.
    const matches = (name: string) => {
      const key = communeKey(name);
      return keys.has(key) || (city !== undefined && key.startsWith(communeKey(city.nom)));
    };
    return { name: (city ?? commune).nom, keys, matches };
  };
}
