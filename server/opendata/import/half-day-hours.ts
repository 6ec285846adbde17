/**
 * Opening hours given as one cell per day or half-day ("09:00 - 12:00 / 13:30 - 17:00",
 * "8h30-12h", "Fermé"), as in the France Services list, turned into OSM `opening_hours`
 * ("Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00").
 */
export const DAYS = [
  { osm: 'Mo', names: ['lundi', 'lun'] },
  { osm: 'Tu', names: ['mardi', 'mar'] },
  { osm: 'We', names: ['mercredi', 'mer'] },
  { osm: 'Th', names: ['jeudi', 'jeu'] },
  { osm: 'Fr', names: ['vendredi', 'ven'] },
  { osm: 'Sa', names: ['samedi', 'sam'] },
  { osm: 'Su', names: ['dimanche', 'dim'] },
] as const;

const RANGE = /(\d{1,2})\s*(?:[h:H.]\s*(\d{2})?)?\s*(?:-|–|à)\s*(\d{1,2})\s*(?:[h:H.]\s*(\d{2})?)?/g;
const CLOSED = /^(ferm[ée]e?s?|closed|-|non|\/)$/i;

const pad = (value: string | undefined) => (value ?? '00').padStart(2, '0');

/**
 * The time ranges of one cell: [] when closed or empty, undefined when the cell says something
 * else ("sur rendez-vous"): the caller reports it rather than guessing.
 */
function timeRangesOfCell(cell: unknown): string[] | undefined {
  const text = typeof cell === 'string' ? cell.trim() : typeof cell === 'number' ? String(cell) : '';
  if (text === '' || CLOSED.test(text)) return [];
  const ranges: string[] = [];
  for (const match of text.matchAll(RANGE)) {
    const [, h1, m1, h2, m2] = match as unknown as [string, string, string | undefined, string, string | undefined];
    if (Number(h1) > 24 || Number(h2) > 24 || Number(m1 ?? 0) > 59 || Number(m2 ?? 0) > 59) return undefined;
    ranges.push(`${pad(h1)}:${pad(m1)}-${pad(h2)}:${pad(m2)}`);
  }
  return ranges.length ? ranges : undefined;
}

/** Days in order with their ranges → "Mo-We 09:00-12:00; Fr 14:00-17:00" (consecutive equal days grouped). */
function openingHoursOfDays(rangesByDay: (string[] | undefined)[]): string | undefined {
  const parts: string[] = [];
  let start = 0;
  while (start < DAYS.length) {
    const ranges = (rangesByDay[start] ?? []).join(',');
    let end = start;
    while (end + 1 < DAYS.length && (rangesByDay[end + 1] ?? []).join(',') === ranges) end += 1;
    if (ranges) {
      const days =
        start === end ? DAYS[start].osm : `${DAYS[start].osm}${end === start + 1 ? ',' : '-'}${DAYS[end].osm}`;
      parts.push(`${days} ${ranges}`);
    }
    start = end + 1;
  }
  return parts.length ? parts.join('; ') : undefined;
}

const fold = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();

/**
 * Which columns hold which day: "h_lundi", "lundi", "Lundi matin", "lundi_apres_midi"…
 * Returns, per day, the columns in order (morning before afternoon), or undefined when fewer
 * than five days have a column.
 */
export function dayColumnsOf(columns: string[]): string[][] | undefined {
  const byDay = DAYS.map((day) =>
    columns
      .filter((column) => {
        const words = fold(column).split(' ');
        return words.some((word) => (day.names as readonly string[]).includes(word));
      })
      .sort((a, b) => Number(/apr|pm|soir/.test(fold(a))) - Number(/apr|pm|soir/.test(fold(b)))),
  );
  return byDay.filter((cols) => cols.length > 0).length >= 5 ? byDay : undefined;
}

/** A row's hours from its day columns; `invalid` lists the cells that could not be read. */
export function openingHoursOfRow(
  row: Record<string, unknown>,
  dayColumns: string[][],
): { horaires?: string; invalid: { column: string; value: unknown }[] } {
  const invalid: { column: string; value: unknown }[] = [];
  const rangesByDay = dayColumns.map((columns) =>
    columns.flatMap((column) => {
      const ranges = timeRangesOfCell(row[column]);
      if (ranges === undefined) invalid.push({ column, value: row[column] });
      return ranges ?? [];
    }),
  );
  return { horaires: invalid.length ? undefined : openingHoursOfDays(rangesByDay), invalid };
}
