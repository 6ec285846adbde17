/**
 * "Ouvert · ferme à 17:00", "Fermé · ouvre lundi à 09:00", "Horaires non renseignés": the one
 * wording of a place's opening state, from the service's `open_now` and `next_change`
 * (Paris wall time "YYYY-MM-DDTHH:MM"). Pure: no clock, no time zone — `today` is Paris's date.
 */
const DAY_NAMES = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'] as const;

export interface OpenStateText {
  /** 'open' | 'closed' | 'unknown', for a CSS class and an icon. */
  state: 'open' | 'closed' | 'unknown';
  text: string;
}

const dayNumber = (isoDate: string) => {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
};

/** "à 17:00", "demain à 09:00", "lundi à 09:00", "le 12/01 à 09:00" (more than a week away). */
export function whenText(nextChange: string, today: string): string {
  const [date, time = ''] = nextChange.split('T');
  const hhmm = time.slice(0, 5);
  const days = dayNumber(date) - dayNumber(today);
  if (days <= 0) return `à ${hhmm}`;
  if (days === 1) return `demain à ${hhmm}`;
  if (days < 7) return `${DAY_NAMES[new Date(dayNumber(date) * 86_400_000).getUTCDay()]} à ${hhmm}`;
  const [, m, d] = date.split('-');
  return `le ${d}/${m} à ${hhmm}`;
}

export function openStateText(openNow: boolean | null, nextChange: string | null, today: string): OpenStateText {
  if (openNow === null) return { state: 'unknown', text: 'Horaires non renseignés' };
  if (openNow) return { state: 'open', text: nextChange ? `Ouvert · ferme ${whenText(nextChange, today)}` : 'Ouvert' };
  return { state: 'closed', text: nextChange ? `Fermé · ouvre ${whenText(nextChange, today)}` : 'Fermé' };
}
