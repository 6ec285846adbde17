import type { Place } from '../places/places.types.js';

/**
 * A completeness score in the spirit of the national map's former one: ten things a visitor needs,
 * ten points each. What is missing is listed so that the mediator knows what to fill in.
 */
const CRITERIA: { label: string; section: string; ok: (p: Place) => boolean }[] = [
  { label: 'Position sur la carte', section: 'general', ok: (p) => p.latitude !== null },
  { label: 'Horaires', section: 'horaires', ok: (p) => Boolean(p.horaires) },
  { label: 'Téléphone ou e-mail', section: 'contacts', ok: (p) => Boolean(p.telephone) || p.courriels.length > 0 },
  {
    label: 'Site web ou lien de rendez-vous',
    section: 'contacts',
    ok: (p) => p.siteWeb.length > 0 || Boolean(p.priseRdv),
  },
  { label: 'Résumé', section: 'description', ok: (p) => Boolean(p.presentationResume) },
  { label: 'Services proposés', section: 'services', ok: (p) => p.services.length > 0 },
  {
    label: 'Publics ou prises en charge spécifiques',
    section: 'services',
    ok: (p) => p.publicsSpecifiquementAdresses.length > 0 || p.priseEnChargeSpecifique.length > 0,
  },
  { label: 'Modalités d’accès', section: 'modalites', ok: (p) => p.modalitesAcces.length > 0 },
  { label: 'Modalités d’accompagnement', section: 'modalites', ok: (p) => p.modalitesAccompagnement.length > 0 },
  { label: 'Frais à charge', section: 'modalites', ok: (p) => p.fraisACharge.length > 0 },
];

export function completeness(place: Place) {
  const missing = CRITERIA.filter((c) => !c.ok(place)).map(({ label, section }) => ({ label, section }));
  return { score: Math.round(((CRITERIA.length - missing.length) / CRITERIA.length) * 100), missing };
}

const STALE_DAYS = 180;

/** How fresh the listing is: the last confirmation or change, whichever is later. */
export function freshness(place: Place, now: Date) {
  const last = [place.verifiedAt, place.updatedAt]
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => b.getTime() - a.getTime())
    .at(0);
  const days = last ? Math.floor((now.getTime() - last.getTime()) / 86_400_000) : null;
  return { lastCheckedAt: last ?? null, days, stale: days === null || days > STALE_DAYS };
}
