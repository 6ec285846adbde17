import { decidedByWeek, isOpenInWeek, type WeeklyHours } from './weekly-hours.js';

/** What `WeekRuleStates.at` says of a rule: closed, open, or ask the library (a calendar rule, or a holiday). */
export const CLOSED = 0;
export const OPEN = 1;
export const ASK = 2;

/**
 * A few hundred stretches, each kind of day (ordinary, public holiday): ~4 kB each at 4,000 rules.
 * Past this bound the kept states are forgotten and made again.
 */
const MAX_KEPT = 512;

/**
 * Every rule's state through each stretch of the week. Between two consecutive starts or ends of
 * any rule's intervals, every rule the intervals decide is open or closed throughout (as the tree's
 * open items in query-plan.ts): a stretch's states are made once, at the first "open at" search
 * that falls in it, then read by every search of the stretch — one read a place instead of its
 * rule's intervals scanned at each search (4,000 rules at 1M places: ~400 µs an instant).
 * Rules added after it was made are not in it (`at(...)[rule]` is undefined): the caller asks them.
 */
export class WeekRuleStates {
  /** Sorted distinct minutes of the week where some rule opens or closes. */
  private readonly edges: Int32Array;
  private readonly kept = new Map<number, Uint8Array>();
  private readonly weeks: readonly WeeklyHours[];

  constructor(weeks: readonly WeeklyHours[]) {
    this.weeks = weeks.slice();
    const edges = new Set<number>();
    for (const week of weeks) for (const minute of week.intervals) edges.add(minute);
    this.edges = Int32Array.from(edges).sort();
  }

  /** Each rule's state (CLOSED, OPEN, ASK) at this minute of the week, on an ordinary day or a public holiday. */
  at(minute: number, holiday: boolean): Uint8Array {
    const key = 2 * stretchOf(this.edges, minute) + (holiday ? 1 : 0);
    const known = this.kept.get(key);
    if (known) return known;
    const states = new Uint8Array(this.weeks.length);
    this.weeks.forEach((week, rule) => {
      if (!decidedByWeek(week, holiday)) states[rule] = ASK;
      else states[rule] = isOpenInWeek(week, minute) ? OPEN : CLOSED;
    });
    if (this.kept.size >= MAX_KEPT) this.kept.clear();
    this.kept.set(key, states);
    return states;
  }
}

/**
 * The stretch of the week a minute falls in: how many of the sorted `edges` (minutes where some
 * rule opens or closes) are at or before it, an interval being [start, end).
 */
export function stretchOf(edges: Int32Array, minute: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (edges[middle] <= minute) low = middle + 1;
    else high = middle;
  }
  return low;
}
