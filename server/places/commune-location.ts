import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import {
  communeSearchKey,
  findCommunesByPostalCode,
  isArrondissement,
  searchCommunesByName,
  type Commune,
} from '../geocoding/communes.read.js';

/**
 * The commune a place's postal code and commune name designate, from the communes table:
 * the commune of that postal code with that name; for Paris, Lyon and Marseille the
 * arrondissement of that postal code; the only commune of that postal code; else the commune of
 * exactly that name. Undefined when nothing matches.
 */
async function communeOfPlace(
  db: Db | Knex.Transaction,
  codePostal: unknown,
  commune: unknown,
): Promise<Commune | undefined> {
  const cp = typeof codePostal === 'string' ? codePostal.trim() : '';
  const name = typeof commune === 'string' ? commune : '';
  const key = communeSearchKey(name);
  const byPostal = /^\d[\dAB]\d{3}$/.test(cp) ? await findCommunesByPostalCode(db as Db, cp) : [];
  const named = key ? byPostal.find((c) => communeSearchKey(c.nom) === key) : undefined;
  if (named) return named;
  const district = byPostal.find((c) => isArrondissement(c.insee) && (!key || communeSearchKey(c.nom).startsWith(key)));
  if (district) return district;
  if (byPostal.length === 1) return byPostal[0];
  const nearly = key
    ? byPostal.find((c) => communeSearchKey(c.nom).includes(key) || key.includes(communeSearchKey(c.nom)))
    : undefined;
  if (nearly) return nearly;
  if (!key) return undefined;
  const byName = (await searchCommunesByName(db as Db, name, 6)).filter((c) => communeSearchKey(c.nom) === key);
  return byName[0];
}

/**
 * What to write besides a place's typed fields when its commune or postal code is set: the
 * commune's INSEE code and, when the place has no coordinates of its own, the commune's centre
 * (location_precision 'commune', shown as approximate).
 */
export async function communeFill(
  db: Db | Knex.Transaction,
  place: { code_postal: unknown; commune: unknown; latitude: unknown; longitude: unknown },
): Promise<{ code_insee?: string; latitude?: number; longitude?: number; location_precision?: 'commune' }> {
  const found = await communeOfPlace(db, place.code_postal, place.commune);
  if (!found) return {};
  const fill: { code_insee?: string; latitude?: number; longitude?: number; location_precision?: 'commune' } = {
    code_insee: found.insee,
  };
  if (
    place.latitude === null ||
    place.latitude === undefined ||
    place.longitude === null ||
    place.longitude === undefined
  ) {
    Object.assign(fill, {
      latitude: found.latitude,
      longitude: found.longitude,
      location_precision: 'commune' as const,
    });
  }
  return fill;
}
