import { openingStateAt, type OpeningState } from '../shared/opening-hours.js';
import { fromParisWallTime } from '../shared/paris-time.js';
import { stateFromWeek } from './index/week-states.js';
import type { WeeklyHours } from './index/weekly-hours.js';

// Rules with astronomical times change state at any second, not only on the minute.
const NOT_ON_THE_MINUTE = /\b(sunrise|sunset|dawn|dusk)\b/i;
const RULES_KEPT = 10_000;
/**
 * A rule with no change in the library's week ahead (always open, closed for weeks) is asked again
 * hourly: a change just past that week comes into view ("ouvre le …") within the hour.
 */
const NO_CHANGE_KEPT_MS = 3_600_000;

/**
 * "Open now, and until when" for a list of results: a million places share a few thousand
 * distinct opening_hours rules, and a rule's state holds until its next change. Each rule is asked
 * the library once per change of its state (a few times a day), not once per row of every request,
 * nor once a minute: parsing a rule costs ~0.5 ms, and the 4,000 rules of a million places cannot
 * all stay parsed (~30 kB each). With `weekOf` (the in-memory index's compiled weeks), the rules
 * a week answers (most) are not asked to the library at all: only calendar rules, and the others
 * when a public holiday comes before their next change.
 *
 * `present` turns a state into what the caller shows (the API's `open_now` and `next_change`): made
 * once per state kept, not again for each row of each answer.
 */
export function createOpeningStates<T>(
  present: (state: OpeningState) => T,
  weekOf?: (horaires: string) => WeeklyHours | undefined,
) {
  const byRule = new Map<string, { shown: T; from: number; until: number }>();
  return (horaires: string | null, now: Date): T => {
    if (!horaires) return present(openingStateAt(horaires, now));
    const at = now.getTime();
    const kept = byRule.get(horaires);
    // A clock set back (tests) is not "later": asked again.
    if (kept && at >= kept.from && at < kept.until) return kept.shown;
    // Never kept (below), so tested only here: not once per row of every answer.
    if (NOT_ON_THE_MINUTE.test(horaires)) return present(openingStateAt(horaires, now));
    // The state at the minute's start holds all through it, and on until its next change.
    const from = Math.floor(at / 60_000) * 60_000;
    const week = weekOf?.(horaires);
    const state = (week && stateFromWeek(week, new Date(from))) ?? openingStateAt(horaires, new Date(from));
    const until = state.nextChange ? fromParisWallTime(state.nextChange).getTime() : from + NO_CHANGE_KEPT_MS;
    if (byRule.size >= RULES_KEPT && !kept) byRule.clear();
    const shown = present(state);
    byRule.set(horaires, { shown, from, until });
    return shown;
  };
}
