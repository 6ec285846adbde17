import { openingStateAt, type OpeningState } from '../shared/opening-hours.js';

// Rules with astronomical times change state at any second, not only on the minute.
const NOT_ON_THE_MINUTE = /\b(sunrise|sunset|dawn|dusk)\b/i;
const RULES_KEPT = 10_000;

/**
 * "Open now, and until when" for a list of results: a million places share a few thousand
 * distinct opening_hours rules, and a rule written in minutes has the same state all through a
 * minute. Each rule is asked once per minute, not once per row of every request.
 */
export function createOpeningStates() {
  let minute = -1;
  const byRule = new Map<string, OpeningState>();
  return (horaires: string | null, now: Date): OpeningState => {
    if (!horaires || NOT_ON_THE_MINUTE.test(horaires)) return openingStateAt(horaires, now);
    const thisMinute = Math.floor(now.getTime() / 60_000);
    if (thisMinute !== minute || byRule.size >= RULES_KEPT) {
      minute = thisMinute;
      byRule.clear();
    }
    let state = byRule.get(horaires);
    if (!state) {
      // The state at the minute's start holds all through it (its next change is later).
      state = openingStateAt(horaires, new Date(thisMinute * 60_000));
      byRule.set(horaires, state);
    }
    return state;
  };
}
