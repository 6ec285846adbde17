import { WeekRuleStates } from './week-rule-states.js';
import { compileWeeklyHours, type WeeklyHours } from './weekly-hours.js';

/** The week of a text filed before it is compiled (see defer): no search reads it meanwhile. */
const NEVER_OPEN = new Int32Array(0);

/**
 * The distinct opening_hours texts of the places, each compiled once into a week whatever the
 * number of places sharing it; a place holds the index of its week (-1: no readable hours).
 */
export class WeekTable {
  readonly weeks: WeeklyHours[] = [];
  private readonly indexOf = new Map<string, number>();
  /** Indexes filed uncompiled and not handed over yet; null when texts are compiled on the spot. */
  private deferred: number[] | null = null;
  private readonly uncompiled = new Set<number>();
  private readonly unreadable = new Set<number>();
  /** The rules' states by stretch of the week, made again after any rule is added or compiled. */
  private states: WeekRuleStates | undefined;

  /** The index of this text's week, compiled now unless deferred; -1 when none or unreadable. */
  intern(text: string | null): number {
    if (text === null) return -1;
    let index = this.indexOf.get(text);
    if (index === undefined) {
      if (this.deferred) {
        index = this.weeks.push({ intervals: NEVER_OPEN, kind: 'weekly', text, someUnknown: false }) - 1;
        this.deferred.push(index);
        this.uncompiled.add(index);
      } else {
        const week = compileWeeklyHours(text);
        index = week ? this.weeks.push(week) - 1 : -1;
      }
      this.indexOf.set(text, index);
      this.states = undefined;
    }
    return index;
  }

  /**
   * Every rule's state at this minute of the week (see WeekRuleStates), by index: CLOSED, OPEN or
   * ASK (the library decides). Made once per stretch of the week while no rule is added.
   */
  openStates(minute: number, holiday: boolean): Uint8Array {
    this.states ??= new WeekRuleStates(this.weeks);
    return this.states.at(minute, holiday);
  }

  /** This text's compiled week, if a place holds it; undefined when none, unreadable or not compiled yet. */
  weekOf(text: string): WeeklyHours | undefined {
    const index = this.indexOf.get(text);
    if (index === undefined || index < 0 || this.uncompiled.has(index) || this.unreadable.has(index)) return undefined;
    return this.weeks[index];
  }

  /**
   * From now on (a full load, before the store answers any search), a new text gets its index but
   * is not compiled: ~0.7 ms a text in the opening_hours library, 3 s of a 1M start-up on the main
   * thread. `take` hands the texts over to be compiled apart, `settle` puts their weeks in place,
   * `settleAll` ends the deferral.
   */
  defer() {
    this.deferred ??= [];
  }

  /** The texts filed uncompiled since the last call, with their indexes. */
  take(): { indexes: number[]; texts: string[] } {
    const indexes = this.deferred ?? [];
    if (this.deferred) this.deferred = [];
    return { indexes, texts: indexes.map((index) => this.weeks[index].text) };
  }

  /** The compiled weeks of texts taken (null: unreadable), in the order taken. */
  settle(indexes: number[], weeks: (WeeklyHours | null)[]) {
    indexes.forEach((index, i) => {
      if (!this.uncompiled.delete(index)) return;
      const week = weeks[i];
      if (week) this.weeks[index] = week;
      else this.unreadable.add(index);
    });
    this.states = undefined;
  }

  /**
   * Ends the deferral: a text still uncompiled is compiled here. Returns the indexes found
   * unreadable, which places must no longer hold (the store gives them -1); their texts now map to -1.
   */
  settleAll(): ReadonlySet<number> {
    const left = [...this.uncompiled];
    this.settle(
      left,
      left.map((index) => compileWeeklyHours(this.weeks[index].text)),
    );
    this.deferred = null;
    const unreadable = new Set(this.unreadable);
    for (const index of unreadable) this.indexOf.set(this.weeks[index].text, -1);
    this.unreadable.clear();
    return unreadable;
  }
}
