import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Db } from '../db/knex.js';
import {
  arrondissementInsee,
  findCommuneByInsee,
  findCommunesByFormerName,
  findCommunesByPostalCode,
  findCommunesByPostalPrefix,
  findCommunesInsideText,
  isArrondissement,
  mainPostalCodes,
  searchCommunesByName,
  communeSearchKey,
  departmentCentre,
  type Commune,
} from './communes.repository.js';

export interface GeocodeResult {
  /** What we understood, in words a visitor recognises: "Martigues (13500)". */
  label: string;
  lat: number;
  lon: number;
  kind: 'commune' | 'postcode' | 'address' | 'department';
  insee?: string;
  /** Other communes the text may have meant ("Saint-Denis"). */
  alternatives: CommuneSuggestion[];
  source: 'offline' | 'ban';
}

interface CommuneSuggestion {
  label: string;
  nom: string;
  insee: string;
  codePostal: string | null;
  lat: number;
  lon: number;
}

export interface Geocoder {
  geocode(text: string): Promise<GeocodeResult | null>;
  suggest(text: string, limit?: number): Promise<CommuneSuggestion[]>;
}

const POSTAL_CODE = /\b(\d{5})\b/;
const DEPARTMENT =
  /^(?:d[ée]partement\s+(?:du\s+|de\s+la\s+|des\s+|de\s+l[’']\s*|de\s+)?)?(0[1-9]|[1-8]\d|9[0-5]|2[ab]|97[1-6])$/i;

let departmentNames: Map<string, string> | undefined;
/** Department names from @etalab/decoupage-administratif (read once). */
function departmentName(code: string): string | undefined {
  if (!departmentNames) {
    const file = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@etalab/decoupage-administratif/package.json')),
      'data/departements.json',
    );
    departmentNames = new Map(
      (JSON.parse(readFileSync(file, 'utf8')) as { code: string; nom: string }[]).map((d) => [d.code, d.nom]),
    );
  }
  return departmentNames.get(code);
}

/**
 * A commune in words: "Martigues (13500)". The postal code is the one the visitor typed, else the
 * commune's only one, else its main one (`mainCodes`, see mainPostalCodes), else none: "Paris".
 */
function suggestionOf(
  commune: Commune,
  postalCode?: string,
  mainCodes?: Map<string, string | null>,
): CommuneSuggestion {
  const codePostal =
    postalCode && commune.codesPostaux.includes(postalCode)
      ? postalCode
      : commune.codesPostaux.length === 1
        ? commune.codesPostaux[0]
        : (mainCodes?.get(commune.insee) ?? null);
  return {
    label: codePostal ? `${commune.nom} (${codePostal})` : commune.nom,
    nom: commune.nom,
    insee: commune.insee,
    codePostal,
    lat: commune.latitude,
    lon: commune.longitude,
  };
}

/**
 * The geocoder that works with no network: the communes table (seeds/data/communes.json).
 * A postal code, a commune name (accents, case and hyphens ignored, typos tolerated) or an address
 * that contains one of them.
 */
export function createOfflineGeocoder(deps: { db: Db }): Geocoder {
  const { db } = deps;

  async function resultOf(
    commune: Commune,
    kind: GeocodeResult['kind'],
    others: Commune[],
    postalCode?: string,
  ): Promise<GeocodeResult> {
    const alternatives = others.filter((c) => c.insee !== commune.insee);
    const mainCodes = await mainPostalCodes(db, [commune, ...alternatives]);
    const main = suggestionOf(commune, postalCode, mainCodes);
    return {
      label: main.label,
      lat: main.lat,
      lon: main.lon,
      kind,
      insee: commune.insee,
      alternatives: alternatives.map((c) => suggestionOf(c, postalCode, mainCodes)),
      source: 'offline',
    };
  }

  async function geocode(text: string): Promise<GeocodeResult | null> {
    const trimmed = text.trim();
    if (!trimmed) return null;
    const department = DEPARTMENT.exec(trimmed)?.[1]?.toUpperCase();
    if (department) {
      const name = departmentName(department);
      const centre = name ? await departmentCentre(db, department) : null;
      if (name && centre)
        return { label: `${name} (${department})`, ...centre, kind: 'department', alternatives: [], source: 'offline' };
    }
    // "Paris 15", "Lyon 3e", "Marseille 1er": the arrondissement, not the whole city.
    const arrondissement = arrondissementInsee(trimmed);
    if (arrondissement) {
      const found = await findCommuneByInsee(db, arrondissement);
      if (found) return resultOf(found, 'commune', []);
    }
    const postal = POSTAL_CODE.exec(trimmed)?.[1];
    if (postal) {
      const communes = await findCommunesByPostalCode(db, postal);
      if (communes.length) {
        const rest = communeSearchKey(trimmed.replace(postal, ' '));
        const named = rest ? communes.find((c) => rest.includes(communeSearchKey(c.nom))) : undefined;
        // "75015" or "75015 Paris": the 15th arrondissement rather than the centre of Paris.
        const district = communes.find((c) => isArrondissement(c.insee));
        if (district && (!rest || (named && named.codesPostaux.length > 1))) {
          return resultOf(district, !named || rest === communeSearchKey(named.nom) ? 'commune' : 'address', [], postal);
        }
        if (named) return resultOf(named, rest === communeSearchKey(named.nom) ? 'commune' : 'address', [], postal);
        return resultOf(communes[0], 'postcode', communes, postal);
      }
    }
    const withoutDigits = trimmed.replace(/\d+/g, ' ');
    const byName = await searchCommunesByName(db, withoutDigits, 6);
    const key = communeSearchKey(withoutDigits);
    if (byName.length) {
      const exact = byName.filter((c) => communeSearchKey(c.nom) === key);
      if (exact.length) return resultOf(exact[0], 'commune', exact);
    }
    const former = await findCommunesByFormerName(db, withoutDigits);
    if (former.length) return resultOf(former[0], 'commune', former);
    // An address: the longest commune name written whole in it.
    if (key.includes(' ')) {
      const inside = await findCommunesInsideText(db, withoutDigits);
      if (inside.length) return resultOf(inside[0], 'address', []);
    }
    if (byName.length) return resultOf(byName[0], 'commune', byName);
    return null;
  }

  async function suggest(text: string, limit = 8): Promise<CommuneSuggestion[]> {
    const trimmed = text.trim();
    if (trimmed.length < 2) return [];
    if (/^\d{2,5}$/.test(trimmed)) {
      const communes =
        trimmed.length === 5
          ? await findCommunesByPostalCode(db, trimmed, limit)
          : await findCommunesByPostalPrefix(db, trimmed, limit);
      return communes.map((c) =>
        suggestionOf(
          c,
          c.codesPostaux.find((cp) => cp.startsWith(trimmed)),
        ),
      );
    }
    const communes = await searchCommunesByName(db, trimmed, limit);
    const mainCodes = await mainPostalCodes(db, communes);
    return communes.map((c) => suggestionOf(c, undefined, mainCodes));
  }

  return { geocode, suggest };
}
