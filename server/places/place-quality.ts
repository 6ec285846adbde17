import { checkOpeningHours } from '../shared/opening-hours.js';
import type { Place } from './places.types.js';

/**
 * How good a place's record is, 0–100: what a visitor needs is there (completeness), the hours can be
 * read, there is a description and a way to get in touch, and someone confirmed it lately (freshness).
 * One pure function: the place-writing service stores its score in `places.quality` on every write,
 * the moderators' dashboard lists what it says is missing, and the API filters on it (`min_quality`).
 */

/** The fields the score reads: a stored place, or a row about to be inserted (no `verifiedAt` yet). */
export type QualityInput = Pick<
  Place,
  | 'latitude'
  | 'horaires'
  | 'telephone'
  | 'courriels'
  | 'siteWeb'
  | 'priseRdv'
  | 'presentationResume'
  | 'presentationDetail'
  | 'services'
  | 'publicsSpecifiquementAdresses'
  | 'priseEnChargeSpecifique'
  | 'modalitesAcces'
  | 'modalitesAccompagnement'
  | 'fraisACharge'
  | 'dateMaj'
> & { verifiedAt?: Date | null };

/** Something missing, the editing section where it is filled in, and what it costs. */
export interface QualityGap {
  label: string;
  section: string;
  points: number;
}

/**
 * Ten things a visitor needs, in the spirit of the national map's former score; also the mediators'
 * completeness (server/editing/completeness.ts shows these to the person who runs the place).
 */
const COMPLETENESS_CRITERIA: { label: string; section: string; ok: (p: QualityInput) => boolean }[] = [
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

/** The mediators' completeness: the share of the ten criteria met, and the ones that are not. */
export function completeness(place: QualityInput) {
  const missing = COMPLETENESS_CRITERIA.filter((c) => !c.ok(place)).map(({ label, section }) => ({ label, section }));
  const met = COMPLETENESS_CRITERIA.length - missing.length;
  return { score: Math.round((met / COMPLETENESS_CRITERIA.length) * 100), missing };
}

// The weights add up to 100. Completeness weighs half; the rest rewards what makes a visit succeed.
const QUALITY_WEIGHTS = {
  perCriterion: 5,
  readableHours: 15,
  description: 10,
  phone: 5,
  email: 5,
  freshness: 15,
} as const;

const DAY_MS = 86_400_000;

// Bulk loads score a million rows whose hours repeat a few thousand strings: parsing each once is enough.
const readableHoursMemo = new Map<string, boolean>();
function readableHours(horaires: string): boolean {
  let readable = readableHoursMemo.get(horaires);
  if (readable === undefined) {
    if (readableHoursMemo.size >= 5000) readableHoursMemo.clear();
    readable = checkOpeningHours(horaires).valid;
    readableHoursMemo.set(horaires, readable);
  }
  return readable;
}

/** The latest of the source's update date and a mediator's confirmation, in whole days before `now`. */
function daysSinceConfirmed(place: Pick<QualityInput, 'dateMaj' | 'verifiedAt'>, now: Date): number {
  const updated = new Date(`${place.dateMaj}T12:00:00Z`).getTime();
  const latest = Math.max(Number.isNaN(updated) ? 0 : updated, place.verifiedAt?.getTime() ?? 0);
  return Math.max(0, Math.floor((now.getTime() - latest) / DAY_MS));
}

/** Full points within six months, then fewer, none after two years. */
function freshnessGap(days: number): QualityGap | null {
  const full = QUALITY_WEIGHTS.freshness;
  if (days <= 183) return null;
  if (days <= 365) return { label: 'Informations non confirmées depuis plus de 6 mois', section: 'general', points: 7 };
  if (days <= 730) return { label: 'Informations non confirmées depuis plus d’un an', section: 'general', points: 12 };
  return { label: 'Informations non confirmées depuis plus de 2 ans', section: 'general', points: full };
}

/** The score (0–100) and what is missing, worst first. */
export function placeQuality(place: QualityInput, now: Date): { score: number; gaps: QualityGap[] } {
  const gaps: QualityGap[] = COMPLETENESS_CRITERIA.filter((c) => !c.ok(place)).map(({ label, section }) => ({
    label,
    section,
    points: QUALITY_WEIGHTS.perCriterion,
  }));
  const hoursGap = gaps.find((gap) => gap.section === 'horaires');
  if (hoursGap) hoursGap.points += QUALITY_WEIGHTS.readableHours;
  else if (place.horaires && !readableHours(place.horaires))
    gaps.push({ label: 'Horaires illisibles', section: 'horaires', points: QUALITY_WEIGHTS.readableHours });
  if (!place.presentationDetail)
    gaps.push({ label: 'Présentation détaillée', section: 'description', points: QUALITY_WEIGHTS.description });
  // With neither, "Téléphone ou e-mail" above already says so; with one, the other is named.
  const contactGap = gaps.find((gap) => gap.label === 'Téléphone ou e-mail');
  if (contactGap) contactGap.points += QUALITY_WEIGHTS.phone + QUALITY_WEIGHTS.email;
  else if (!place.telephone) gaps.push({ label: 'Téléphone', section: 'contacts', points: QUALITY_WEIGHTS.phone });
  else if (place.courriels.length === 0)
    gaps.push({ label: 'E-mail', section: 'contacts', points: QUALITY_WEIGHTS.email });
  const stale = freshnessGap(daysSinceConfirmed(place, now));
  if (stale) gaps.push(stale);
  gaps.sort((a, b) => b.points - a.points);
  const lost = gaps.reduce((sum, gap) => sum + gap.points, 0);
  return { score: Math.max(0, 100 - lost), gaps };
}

/** The score bands of the dashboard, worst first. */
export const QUALITY_BANDS = [
  { key: 'faible', label: 'Faible (moins de 40)', min: 0, max: 39 },
  { key: 'moyenne', label: 'Moyenne (40 à 69)', min: 40, max: 69 },
  { key: 'bonne', label: 'Bonne (70 à 89)', min: 70, max: 89 },
  { key: 'excellente', label: 'Excellente (90 et plus)', min: 90, max: 100 },
] as const;
