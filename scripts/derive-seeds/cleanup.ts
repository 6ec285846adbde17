// Clean-up rules applied after the v1 conversion: names and communes in capitals, names that are not names,
// addresses repeating the postal code and commune, labels read from names, duplicates across datasets.
// Used by scripts/derive-seeds.ts; every rule is listed in seeds/SOURCES.md.
import { communeKey } from './communes.js';
import type { Place } from './places.js';

/**
 * Accents, case and punctuation folded:
 * "Association Centre-Social MOSAÏQUE" = "association centre social mosaique".
 */
const foldText = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

// ---------- names in capitals → French title case ----------
// Kept in capitals: these acronyms, any word of at most 3 letters without a vowel (MJC, CC, RS), any word with a
// digit (13E, LAB01) and Roman numerals (II, IV).
const ACRONYMS = new Set([
  'EPN',
  'CCAS',
  'MJC',
  'CAF',
  'CPAM',
  'MSA',
  'CIAS',
  'ESS',
  'PIJ',
  'BIJ',
  'MSAP',
  'CDAD',
  'UDAF',
  'AFPA',
  'CSC',
  'MDPH',
  'ADIL',
  'PMI',
  'CMS',
  'PAD',
  'PIMMS',
  'FJT',
  'CHRS',
  'CIDFF',
  'ASS',
  'ASSO',
  'SARL',
  'SAS',
  'EHPAD',
  'IUT',
  'CNFS',
  'BGE',
  'MDS',
  'MDE',
  'MDSI',
  'CLIC',
  'QPV',
  'RSA',
  // frequent in the data
  'SOS',
  'CA',
  'ACI',
  'ADSEA',
  'GIP',
  'SAVS',
  'APF',
  'MDM',
  'CLLAJ',
  'AFTAM',
  'APAJH',
  'MFR',
  'SIVOM',
  'SIVU',
  'GEM',
  'CADA',
  'HUDA',
  'MECS',
  'SCIC',
  'SCOP',
  'ESAT',
  'SPIP',
  'GEIQ',
  'BTP',
  'APEC',
  'AFJT',
  'GRETA',
  'PLIE',
  'ADMR',
  'CFA',
  'CIO',
  'EPCI',
  'CCI',
  'CMA',
  'CAE',
  'ALSH',
  'CSAPA',
  'CAARUD',
  'CHU',
  'CMP',
  'IME',
  'ANPAA',
  'SIAO',
  'CRIJ',
  'CIDJ',
  'ADPEI',
  'ADAPEI',
  'UNA',
  'AFEV',
  'ACSEA',
  'APEJ',
  'APIJE',
  'AHARP',
  'MPM',
  'UDV',
  'AFCAS',
  'ADEI',
  'ADARS',
  'CJT',
  'ACPM',
  'IRSA',
  'AIVS',
  'AISP',
  'CEP',
  'EANM',
  'CATIC',
  'CPS',
  'AFED',
  'AFT',
  'ADPJ',
  'AMEJ',
  'ADEA',
  'AHM',
  'ALEF',
  'AIMV',
  'ISPC',
  'ADJ',
  'FSE',
  'CPH',
  'TIC',
  'NTIC',
  'PC',
  'TV',
  'SNCF',
  'RATP',
  'EDF',
  'UFCV',
  'UNIS',
  'CIAF',
]);
const SMALL_WORDS = new Set([
  'de',
  'du',
  'des',
  'd',
  'la',
  'le',
  'les',
  'l',
  'et',
  'ou',
  'en',
  'a',
  'au',
  'aux',
  'sur',
  'sous',
  'pour',
  'par',
  'dans',
  'chez',
  'avec',
  'un',
  'une',
  'the',
  'of',
  'and',
]);
const ROMAN = /^(?=[IVX]{2,5}$)X{0,3}(IX|IV|V?I{0,3})$/;
const hasLower = (value: string) => /\p{Ll}/u.test(value);
const hasUpper = (value: string) => /\p{Lu}/u.test(value);
/** Entirely upper case: it has capital letters and no small letter. */
export const isAllCaps = (value: string) => hasUpper(value) && !hasLower(value);

function titleWord(word: string, isFirst: boolean): string {
  const upper = word.toUpperCase();
  const lower = word.toLowerCase();
  if (/\p{N}/u.test(word)) return word;
  if (ACRONYMS.has(upper) || ROMAN.test(upper)) return upper;
  if (upper === 'ST') return 'St';
  if (upper === 'STE') return 'Ste';
  if (SMALL_WORDS.has(lower)) return isFirst ? lower[0].toUpperCase() + lower.slice(1) : lower;
  if (word.length <= 3 && !/[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ]/i.test(word)) return upper;
  return lower[0].toUpperCase() + lower.slice(1);
}

/**
 * "COMMUNE DE MARTIGUES HOTEL DE VILLE" → "Commune de Martigues Hotel de Ville"; a name with a small letter
 * is kept.
 */
export function titleCase(name: string): string {
  if (!isAllCaps(name)) return name;
  const parts = name.split(/([\p{L}\p{N}]+)/u);
  let seenWord = false;
  return parts
    .map((part, index) => {
      if (index % 2 === 0) return part; // separators
      const word = titleWord(part, !seenWord);
      seenWord = true;
      return word;
    })
    .join('');
}

// ---------- names without a letter (a SIRET, "115") ----------
/** "de Martigues", "d'Aix-en-Provence", "du Mans", "des Mureaux", "de la Ciotat". */
function ofCommune(commune: string): string {
  const article = /^(le|la|les)\s+(.*)$/i.exec(commune);
  if (article) {
    const rest = article[2];
    return { le: `du ${rest}`, la: `de la ${rest}`, les: `des ${rest}` }[
      article[1].toLowerCase() as 'le' | 'la' | 'les'
    ];
  }
  if (/^l['’]/i.test(commune)) return `de l'${commune.slice(2)}`;
  return /^[AEIOUYÀÂÉÈÊÎÔŒ]/i.test(commune) ? `d'${commune}` : `de ${commune}`;
}
export const hasLetter = (value: string) => /\p{L}/u.test(value);
export function readableName(place: Place): string {
  const commune = String(place.commune ?? '').trim();
  const base = (place.dispositif_programmes_nationaux as string[] | undefined)?.includes('France Services')
    ? 'France Services'
    : 'Lieu de médiation numérique';
  return commune ? `${base} ${ofCommune(commune)}` : base;
}

// ---------- addresses repeating the postal code, commune, CEDEX, BP/CS ----------
const SEP = String.raw`(?:^|[\s,;\-–]+)`;
const TRAILING_BOX = new RegExp(`${SEP}(?:BP|B\\.P\\.?|CS)\\s*\\d[\\d\\s]*$`, 'i');
const TRAILING_CEDEX = new RegExp(`${SEP}cedex(?:\\s*\\d+)?$`, 'i');
const TRAILING_POSTAL = new RegExp(`${SEP}(\\d{5})((?:\\s+[^\\d\\s,;][^\\d,;]*?)?)(\\s+cedex(?:\\s*\\d+)?)?$`, 'i');

/**
 * Strips, at the end of the address only, "<postal code> <commune> [CEDEX [n]]" when the commune is the place's (or
 * the postal code is the place's), a lone "CEDEX n", and "BP n" / "CS n" (postal boxes, not a location). Line breaks
 * become ", ". Nothing else is touched; an address that would become empty is kept as it is.
 */
export function cleanAddress(address: string, place: Place, communeKeys: Set<string>): string {
  let result = address
    .replace(/\u00a0/g, ' ')
    .replace(/\s*[\r\n]+\s*/g, ', ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  const communeMatches = (name: string) => {
    const key = communeKey(name);
    return key !== '' && (key === communeKey(String(place.commune ?? '')) || communeKeys.has(key));
  };
  for (let changed = true; changed;) {
    const before = result;
    const postal = TRAILING_POSTAL.exec(result);
    const [, code, name, cedex] = (postal ?? []) as (string | undefined)[];
    const commune = name?.trim();
    if (postal && (code === place.code_postal || (commune && communeMatches(commune)) || (!commune && cedex))) {
      result = result.slice(0, postal.index);
    } else {
      result = result.replace(TRAILING_BOX, '').replace(TRAILING_CEDEX, '');
    }
    result = result.replace(/[\s,;\-–]+$/, '').trim();
    changed = result !== before;
  }
  return /\p{L}/u.test(result) ? result : address.trim();
}

// ---------- labels read from names ----------
export function labelsFromName(name: string): string[] {
  const labels: string[] = [];
  if (/\bcyber[\s\-‐]*bases?\b/i.test(name)) labels.push('cyber-base');
  if (/\bnet[\s\-‐]*public\b/i.test(name)) labels.push('netpublic');
  return labels;
}

// ---------- duplicates across datasets ----------
export type DuplicateRule = 'same trailing source id' | 'same name within 100 m' | 'same name, address and postal code';

const EARTH_RADIUS_M = 6_371_000;
function distanceMetres(a: [number, number], b: [number, number]): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b[0] - a[0]);
  const dLon = rad(b[1] - a[1]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}
const pointOf = (place: Place): [number, number] | undefined =>
  typeof place.latitude === 'number' && typeof place.longitude === 'number'
    ? [place.latitude, place.longitude]
    : undefined;
// An id long enough to be a producer's key (uuid, Mongo ObjectId…), not a row number.
// Street-type abbreviations of the data·inclusion addresses ("7 AV GEORGES BRAQUE", "6 PL ANDRE ROUX") read in full.
const STREET_WORDS: Record<string, string> = {
  av: 'avenue',
  ave: 'avenue',
  bd: 'boulevard',
  bld: 'boulevard',
  bvd: 'boulevard',
  pl: 'place',
  r: 'rue',
  che: 'chemin',
  ch: 'chemin',
  chem: 'chemin',
  rte: 'route',
  crs: 'cours',
  all: 'allee',
  imp: 'impasse',
  sq: 'square',
  fg: 'faubourg',
  fbg: 'faubourg',
  st: 'saint',
  ste: 'sainte',
  res: 'residence',
  pte: 'porte',
  prom: 'promenade',
  mte: 'montee',
};
/** The address compared by the duplicate rule: folded, with street-type abbreviations read in full. */
const addressKey = (address: string) =>
  foldText(address)
    .split(' ')
    .map((word) => STREET_WORDS[word] ?? word)
    .join(' ');
const isDistinctiveId = (id: string) => id.length >= 12 && /\d/.test(id);

/**
 * Places of the datasets already read, searchable by trailing id, folded name, and folded name + address +
 * postal code.
 */
export function createDuplicateIndex() {
  const byIdSuffix = new Map<string, Place>();
  const byName = new Map<string, Place[]>();
  const byNameAddress = new Map<string, Place>();
  const nameAddressKey = (place: Place) =>
    [foldText(String(place.nom ?? '')), addressKey(String(place.adresse ?? '')), String(place.code_postal ?? '')].join(
      '\u0000',
    );

  function add(place: Place): void {
    const id = String(place.id);
    // "mediation-numerique-conseiller-numerique-<id>" and "dora-<uuid>" also answer to the trailing "<id>".
    for (let i = 0; i < id.length; i += 1) {
      if (i > 0 && id[i - 1] !== '-') continue;
      const suffix = id.slice(i);
      if (isDistinctiveId(suffix) && !byIdSuffix.has(suffix)) byIdSuffix.set(suffix, place);
    }
    const name = foldText(String(place.nom ?? ''));
    if (name) byName.set(name, [...(byName.get(name) ?? []), place]);
    if (name && place.adresse && place.code_postal && !byNameAddress.has(nameAddressKey(place)))
      byNameAddress.set(nameAddressKey(place), place);
  }

  function find(place: Place): { kept: Place; rule: DuplicateRule } | undefined {
    const id = String(place.id);
    const sameId = isDistinctiveId(id) ? byIdSuffix.get(id) : undefined;
    if (sameId) return { kept: sameId, rule: 'same trailing source id' };
    const name = foldText(String(place.nom ?? ''));
    const point = pointOf(place);
    if (name && point) {
      const near = (byName.get(name) ?? []).find((other) => {
        const otherPoint = pointOf(other);
        return (
          otherPoint !== undefined && other.location_precision !== 'commune' && distanceMetres(point, otherPoint) <= 100
        );
      });
      if (near) return { kept: near, rule: 'same name within 100 m' };
    }
    const sameAddress = byNameAddress.get(nameAddressKey(place));
    if (name && sameAddress) return { kept: sameAddress, rule: 'same name, address and postal code' };
    return undefined;
  }
  return { add, find };
}

const NEVER_MERGED = new Set(['id', 'source', 'source_dataset', 'location_precision']);
/** Copies into the kept place the fields it lacks and the duplicate has; returns the names of the fields copied. */
export function fillMissingFields(kept: Place, duplicate: Place): string[] {
  const copied: string[] = [];
  // The pair is taken whole or not at all.
  const keptHasPoint = kept.latitude !== undefined || kept.longitude !== undefined;
  for (const [field, value] of Object.entries(duplicate)) {
    if (NEVER_MERGED.has(field) || kept[field] !== undefined) continue;
    if ((field === 'latitude' || field === 'longitude') && keptHasPoint) continue;
    kept[field] = value;
    copied.push(field);
  }
  return copied;
}
