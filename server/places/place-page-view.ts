import { openStateText } from '../shared/open-state.js';
import { openIntervals } from '../shared/opening-hours.js';
import {
  dayMonth,
  fromParisWallTime,
  hourMinute,
  isoDay,
  isoMinute,
  parisToday,
  parisWallTime,
  type WallTime,
} from '../shared/paris-time.js';
import { placePath } from './places.mapping.js';
import type { Place, PlaceLabelLink } from './places.types.js';

/** What a place page shows, as plain values for its template (server/views/pages/places/show.hbs). */
/**
 * Only http(s) addresses become links: imported data may hold anything, and a `javascript:` URL in
 * site_web, prise_rdv or fiche_acces_libre would run on click (issue 11, stored XSS).
 */
const isWebAddress = (url: string | null | undefined): url is string =>
  typeof url === 'string' && /^https?:\/\//i.test(url.trim());

const DAY_LABELS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];

/**
 * The opening hours of the next 7 days (Paris time), today first and marked: the days a visitor can
 * still go, so "ouvre lundi à 09:00" is always about a day in the table. Null when unknown.
 */
export function weekTable(horaires: string | null, now: Date) {
  if (!horaires) return null;
  const today = parisWallTime(now);
  const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
  const dayAt = (offset: number) => {
    const d = new Date(todayUtc + offset * 86_400_000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: (d.getUTCDay() + 6) % 7,
    }; // Monday = 0
  };
  const days = Array.from({ length: 7 }, (_, i) => dayAt(i));
  const from = fromParisWallTime({ ...days[0], hour: 0, minute: 0, second: 0 });
  const to = fromParisWallTime({ ...dayAt(7), hour: 0, minute: 0, second: 0 });
  const intervals = openIntervals(horaires, from, to);
  if (!intervals) return null;
  return days.map((day, i) => {
    const key = isoDay(day);
    const slots = intervals
      .filter((interval) => isoDay(interval.from) === key)
      .map(
        (interval) =>
          `${hourMinute(interval.from)} – ${isoDay(interval.to) === key ? hourMinute(interval.to) : '24:00'}`,
      );
    return {
      name: DAY_LABELS[day.weekday],
      date: dayMonth(day),
      today: i === 0,
      hours: slots.length ? slots.join(', ') : 'Fermé',
      closed: slots.length === 0,
    };
  });
}

/** "+33479885936" → "04 79 88 59 36" (metropolitan numbers read the French way). */
export function phoneDisplay(phone: string): string {
  const match = /^\+33(\d{9})$/.exec(phone);
  if (!match) return phone;
  return `0${match[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ');
}

const YEAR_MS = 365 * 86_400_000;

/** Everything the place page shows, ready for the template. */
export function placeView(
  place: Place,
  labels: PlaceLabelLink[],
  state: { open: boolean | null; nextChange: WallTime | null },
  now: Date,
) {
  const today = parisToday(now);
  const next = state.nextChange ? isoMinute(state.nextChange) : null;
  // A position that is only the commune's centre is no place to be guided to: the address search is.
  const approximate = place.locationPrecision === 'commune';
  const point =
    place.latitude !== null && place.longitude !== null && !approximate
      ? { lat: place.latitude, lon: place.longitude }
      : null;
  const addressLine = [place.adresse, place.complementAdresse, `${place.codePostal} ${place.commune}`]
    .filter(Boolean)
    .join(', ');
  const checkedOn = place.verifiedAt ?? new Date(`${place.dateMaj}T12:00:00Z`);
  return {
    id: place.id,
    nom: place.nom,
    path: placePath(place),
    adresse: place.adresse,
    complementAdresse: place.complementAdresse,
    codePostal: place.codePostal,
    commune: place.commune,
    addressLine,
    lat: place.latitude,
    lon: place.longitude,
    approximate,
    directions: point
      ? `https://www.openstreetmap.org/directions?route=%3B${point.lat}%2C${point.lon}`
      : `https://www.openstreetmap.org/search?query=${encodeURIComponent(addressLine)}`,
    geoLink: point
      ? `geo:${point.lat},${point.lon}?q=${point.lat},${point.lon}(${encodeURIComponent(place.nom)})`
      : null,
    telephone: place.telephone ? { href: `tel:${place.telephone}`, text: phoneDisplay(place.telephone) } : null,
    courriels: place.courriels,
    sites: place.siteWeb
      .filter(isWebAddress)
      .map((url) => ({ url, text: url.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '') })),
    priseRdv: isWebAddress(place.priseRdv) ? place.priseRdv : null,
    ficheAccesLibre: isWebAddress(place.ficheAccesLibre) ? place.ficheAccesLibre : null,
    open: openStateText(state.open, next, today),
    week: weekTable(place.horaires, now),
    horaires: place.horaires,
    services: place.services,
    publics: place.publicsSpecifiquementAdresses,
    priseEnCharge: place.priseEnChargeSpecifique,
    modalitesAcces: place.modalitesAcces,
    modalitesAccompagnement: place.modalitesAccompagnement,
    frais: place.fraisACharge,
    itinerant: place.itinerance.includes('Itinérant'),
    labels: labels.map((l) => ({ slug: l.slug, name: l.name })),
    autresLabels: place.autresFormationsLabels,
    structureParente: place.structureParente,
    resume: place.presentationResume,
    detail: place.presentationDetail,
    dateMaj: place.dateMaj,
    verifiedAt: place.verifiedAt,
    stale: now.getTime() - checkedOn.getTime() > YEAR_MS,
  };
}
