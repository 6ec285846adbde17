/**
 * The weekly opening-hours grid ⇄ an OSM `opening_hours` string. Pure functions shared by the
 * server (the form works without JavaScript) and client/hours-grid.ts (live preview of the string).
 *
 * The grid: for each day up to SLOTS time ranges (closed day = no range), "closed on public
 * holidays", and closed date ranges (exceptions such as holidays or works).
 */
export const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export type Day = (typeof DAYS)[number];
export const DAY_NAMES: Record<Day, string> = {
  Mo: 'Lundi',
  Tu: 'Mardi',
  We: 'Mercredi',
  Th: 'Jeudi',
  Fr: 'Vendredi',
  Sa: 'Samedi',
  Su: 'Dimanche',
};
export const SLOTS = 3;
export const EXCEPTIONS = 3;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Slot {
  from: string;
  to: string;
}

export interface HoursGrid {
  days: Record<Day, Slot[]>;
  publicHolidaysClosed: boolean;
  /** Closed date ranges, ISO dates (to ≥ from). */
  closures: { from: string; to: string }[];
}

export const emptyGrid = (): HoursGrid => ({
  days: { Mo: [], Tu: [], We: [], Th: [], Fr: [], Sa: [], Su: [] },
  publicHolidaysClosed: false,
  closures: [],
});

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const normaliseTime = (value: string) => {
  const match = /^(\d{1,2})[:hH](\d{2})?$/.exec(value.trim()) as [string, string, string | undefined] | null;
  if (!match) return value.trim();
  return `${match[1].padStart(2, '0')}:${match[2] ?? '00'}`;
};

export type GridErrors = Record<string, string>;
export type FormFields = Record<string, unknown>;

const str = (value: unknown) =>
  typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '';

/** Field names of the grid form: h_Mo_1_from, h_Mo_1_to … ph_closed, exc_1_from, exc_1_to … */
export const slotField = (day: Day, index: number, end: 'from' | 'to') => `h_${day}_${index + 1}_${end}`;
export const closureField = (index: number, end: 'from' | 'to') => `exc_${index + 1}_${end}`;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

/**
 * Why an ISO date (AAAA-MM-JJ) cannot be a closure day, in French; undefined when it is a real day.
 * Checked by a round trip through (year, month, day): Date.parse("2026-02-30") rolls over to 2 March.
 */
export function dateProblem(iso: string): string | undefined {
  const match = ISO_DATE.exec(iso);
  if (!match) return `date invalide « ${iso} » (format AAAA-MM-JJ, par exemple 2026-12-24).`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return `le ${match[3]}/${match[2]}/${match[1]} n’existe pas.`;
  }
  if (year < FIRST_YEAR || year > LAST_YEAR) return `année ${year} hors de la période ${FIRST_YEAR}–${LAST_YEAR}.`;
  return undefined;
}

/** Reads the grid from posted form fields; errors are keyed by field name, in French. */
export function gridFromForm(fields: FormFields): { grid: HoursGrid; errors: GridErrors } {
  const grid = emptyGrid();
  const errors: GridErrors = {};
  for (const day of DAYS) {
    let previousEnd = -1;
    for (let i = 0; i < SLOTS; i += 1) {
      const fromName = slotField(day, i, 'from');
      const from = normaliseTime(str(fields[fromName]));
      const to = normaliseTime(str(fields[slotField(day, i, 'to')]));
      if (!from && !to) continue;
      const where = `${DAY_NAMES[day]}, plage ${i + 1}`;
      if (!from || !to) {
        errors[fromName] = `${where} : indiquez l’heure d’ouverture et l’heure de fermeture.`;
        continue;
      }
      if (!TIME.test(from) || !TIME.test(to)) {
        errors[fromName] = `${where} : heure invalide (format HH:MM, par exemple 09:30).`;
        continue;
      }
      if (minutesOf(to) <= minutesOf(from)) {
        errors[fromName] = `${where} : la fermeture doit être après l’ouverture.`;
        continue;
      }
      if (minutesOf(from) < previousEnd) {
        errors[fromName] = `${where} : cette plage chevauche la précédente ; classez les plages dans l’ordre.`;
        continue;
      }
      previousEnd = minutesOf(to);
      grid.days[day].push({ from, to });
    }
  }
  grid.publicHolidaysClosed = fields.ph_closed === true || ['on', 'true', '1'].includes(str(fields.ph_closed));
  for (let i = 0; i < EXCEPTIONS; i += 1) {
    const fromName = closureField(i, 'from');
    const from = str(fields[fromName]).trim();
    const to = str(fields[closureField(i, 'to')]).trim() || from;
    if (!from) continue;
    const wrong = [from, to].map(dateProblem).find(Boolean);
    if (wrong) {
      errors[fromName] = `Fermeture exceptionnelle ${i + 1} : ${wrong}`;
      continue;
    }
    if (to < from) {
      errors[fromName] = `Fermeture exceptionnelle ${i + 1} : la date de fin doit suivre la date de début.`;
      continue;
    }
    grid.closures.push({ from, to });
  }
  return { grid, errors };
}

/** The grid's fields as the form shows them (strings). */
export function gridToForm(grid: HoursGrid): Record<string, string | boolean> {
  const fields: Record<string, string | boolean> = {};
  for (const day of DAYS) {
    grid.days[day].forEach((slot, i) => {
      fields[slotField(day, i, 'from')] = slot.from;
      fields[slotField(day, i, 'to')] = slot.to;
    });
  }
  fields.ph_closed = grid.publicHolidaysClosed;
  grid.closures.forEach((closure, i) => {
    fields[closureField(i, 'from')] = closure.from;
    fields[closureField(i, 'to')] = closure.to;
  });
  return fields;
}

const osmDate = (iso: string) =>
  `${iso.slice(0, 4)} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${String(Number(iso.slice(8, 10))).padStart(2, '0')}`;

/** Days with the same ranges are grouped; consecutive days become a span (Mo-We,Fr). */
function daySelector(days: Day[]): string {
  const indexes = days.map((d) => DAYS.indexOf(d)).sort((a, b) => a - b);
  const parts: string[] = [];
  let start = indexes[0];
  let previous = indexes[0];
  for (const index of [...indexes.slice(1), Infinity]) {
    if (index === previous + 1) {
      previous = index;
      continue;
    }
    parts.push(
      start === previous
        ? DAYS[start]
        : previous === start + 1
          ? `${DAYS[start]},${DAYS[previous]}`
          : `${DAYS[start]}-${DAYS[previous]}`,
    );
    start = index;
    previous = index;
  }
  return parts.join(',');
}

/** The OSM string for a grid; null when nothing at all is open (hours unknown). */
export function gridToOpeningHours(grid: HoursGrid): string | null {
  const groups = new Map<string, Day[]>();
  for (const day of DAYS) {
    if (!grid.days[day].length) continue;
    const key = grid.days[day].map((s) => `${s.from}-${s.to}`).join(',');
    groups.set(key, [...(groups.get(key) ?? []), day]);
  }
  const rules = [...groups.entries()].map(([times, days]) => `${daySelector(days)} ${times}`);
  if (!rules.length) return null;
  if (grid.publicHolidaysClosed) rules.push('PH off');
  for (const closure of grid.closures) {
    rules.push(
      closure.from === closure.to
        ? `${osmDate(closure.from)} off`
        : `${osmDate(closure.from)}-${osmDate(closure.to)} off`,
    );
  }
  return rules.join('; ');
}

const DAY_RE = '(?:Mo|Tu|We|Th|Fr|Sa|Su)';
const DAYS_RE = `${DAY_RE}(?:-${DAY_RE})?(?:,${DAY_RE}(?:-${DAY_RE})?)*`;
const SPAN_RE = '\\d\\d:\\d\\d-\\d\\d:\\d\\d';
const RULE = new RegExp(`^(${DAYS_RE}) ((?:${SPAN_RE})(?:,${SPAN_RE})*)$`);
const DATE_RE = '(\\d{4}) ([A-Z][a-z]{2}) (\\d{1,2})';
const CLOSURE = new RegExp(`^${DATE_RE}(?:-${DATE_RE})? (?:off|closed)$`);

function expandDays(selector: string): Day[] {
  const days: Day[] = [];
  for (const part of selector.split(',')) {
    const [a, b] = part.split('-') as [Day, Day | undefined];
    const from = DAYS.indexOf(a);
    const to = b ? DAYS.indexOf(b) : from;
    for (let i = from; ; i = (i + 1) % 7) {
      days.push(DAYS[i]);
      if (i === to) break;
    }
  }
  return days;
}

const isoFrom = (year: string, month: string, day: string) => {
  const m = MONTHS.indexOf(month);
  return m < 0 ? null : `${year}-${String(m + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
};

/** Reads a string back into the grid when it only uses what the grid can show; null otherwise. */
export function openingHoursToGrid(value: string | null | undefined): HoursGrid | null {
  const grid = emptyGrid();
  if (!value?.trim()) return grid;
  for (const raw of value.split(';')) {
    const rule = raw.trim().replace(/\s+/g, ' ');
    if (!rule) continue;
    if (rule === 'PH off' || rule === 'PH closed') {
      grid.publicHolidaysClosed = true;
      continue;
    }
    const closure = CLOSURE.exec(rule);
    if (closure) {
      const from = isoFrom(closure[1], closure[2], closure[3]);
      const to = closure[4] ? isoFrom(closure[4], closure[5], closure[6]) : from;
      if (!from || !to || grid.closures.length >= EXCEPTIONS) return null;
      grid.closures.push({ from, to });
      continue;
    }
    const match = RULE.exec(rule);
    if (!match) return null;
    const slots = match[2].split(',').map((range) => ({ from: range.slice(0, 5), to: range.slice(6, 11) }));
    if (slots.length > SLOTS) return null;
    for (const day of expandDays(match[1])) grid.days[day] = slots;
  }
  return grid;
}
