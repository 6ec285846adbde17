import type { Db } from '../db/knex.js';
import type { Clock } from '../shared/clock.js';
import { placePath } from './places.mapping.js';
import { QUALITY_BANDS, placeQuality } from './place-quality.js';
import { qualityByDepartement, worstPlaces, type QualityPosition } from './place-quality.repository.js';

const QUALITY_PAGE_SIZE = 50;

/** "12.345" ↔ { quality: 12, id: 345 }: where the next page of the dashboard starts. */
const encodeQualityPosition = (p: QualityPosition) => `${p.quality}.${p.id}`;
export function decodeQualityPosition(text: string | undefined): QualityPosition | undefined {
  const match = text ? /^(\d{1,3})\.(\d{1,15})$/.exec(text) : null;
  return match ? { quality: Number(match[1]), id: Number(match[2]) } : undefined;
}

/** The moderators' data-quality dashboard: the worst places first, and counts per département and band. */
export function createQualityDashboard(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function dashboard(filter: { departement?: string; after?: QualityPosition }) {
    const now = clock.now();
    const [rows, departements] = await Promise.all([
      worstPlaces(db, { ...filter, limit: QUALITY_PAGE_SIZE + 1 }),
      qualityByDepartement(db),
    ]);
    const page = rows.slice(0, QUALITY_PAGE_SIZE);
    const last = page.at(-1);
    const scope = filter.departement ? departements.filter((d) => d.departement === filter.departement) : departements;
    return {
      places: page.map((place) => ({
        id: place.id,
        nom: place.nom,
        commune: place.commune,
        departement: place.departement,
        path: placePath(place),
        quality: place.quality,
        // What the score misses, said from the record as it is now (the stored score is from its last write).
        gaps: placeQuality(place, now).gaps,
      })),
      next: rows.length > QUALITY_PAGE_SIZE && last ? encodeQualityPosition(last) : null,
      bands: QUALITY_BANDS.map((band) => ({
        ...band,
        places: scope.reduce((sum, d) => sum + (d.bands[band.key] ?? 0), 0),
      })),
      departements: departements.map((d) => ({
        ...d,
        selected: d.departement === filter.departement,
        bands: QUALITY_BANDS.map((band) => d.bands[band.key] ?? 0),
      })),
      total: scope.reduce((sum, d) => sum + d.places, 0),
    };
  }

  return { dashboard };
}

export type QualityDashboard = ReturnType<typeof createQualityDashboard>;
