import type { Db } from '../../db/knex.js';
import type { Place } from '../places.types.js';
import { createListInterner } from '../../shared/interned-lists.js';

/** What a result list shows of a place: the summary's fields only, not the 38 columns of a place. */
export type DisplayedPlace = Pick<
  Place,
  | 'id'
  | 'nom'
  | 'adresse'
  | 'complementAdresse'
  | 'codePostal'
  | 'commune'
  | 'codeInsee'
  | 'latitude'
  | 'longitude'
  | 'locationPrecision'
  | 'services'
  | 'fraisACharge'
  | 'modalitesAccompagnement'
  | 'horaires'
> & { labelSlugs: string[] };

const VISIBLE_LINK = `pl.verification_status = 'verified' AND (pl.until IS NULL OR pl.until >= current_date)`;

// Aliased to the object's own keys: rows arrive in their final shape, no renaming per key and row.
const DISPLAY_SELECT = `SELECT p.id, p.nom, p.adresse, p.complement_adresse AS "complementAdresse",
  p.code_postal AS "codePostal", p.commune, p.code_insee AS "codeInsee", p.latitude, p.longitude,
  p.location_precision AS "locationPrecision", p.services, p.frais_a_charge AS "fraisACharge",
  p.modalites_accompagnement AS "modalitesAccompagnement", p.horaires,
  ARRAY(SELECT l.slug FROM place_labels pl JOIN labels l ON l.id = pl.label_id
        WHERE pl.place_id = p.id AND ${VISIBLE_LINK} ORDER BY l.name) AS "labelSlugs"
FROM places p WHERE p.id = ANY(?::bigint[])`;

/** Distinct lists of values across the rows (163 at 1M places): a bound far above. */
const sharedList = createListInterner(20_000);

/**
 * The rows to show for ids chosen by the index, with their visible labels; a deleted place is absent.
 * Their lists (services, fees, support modes, labels) are shared between rows, and frozen.
 */
export async function displayedPlacesByIds(db: Db, ids: number[]): Promise<DisplayedPlace[]> {
  if (ids.length === 0) return [];
  const result = await db.raw<{ rows: DisplayedPlace[] }>(DISPLAY_SELECT, [ids]);
  for (const row of result.rows) {
    row.services = sharedList(row.services);
    row.fraisACharge = sharedList(row.fraisACharge);
    row.modalitesAccompagnement = sharedList(row.modalitesAccompagnement);
    row.labelSlugs = sharedList(row.labelSlugs);
  }
  return result.rows;
}
