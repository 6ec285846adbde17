/**
 * One shared copy of each distinct list of strings, frozen (a change would reach every holder:
 * freezing makes it throw instead), up to `maxEntries` distinct lists; past that, lists are kept as
 * they come. Rows read again and again (the index's display rows: 50,000 of them) repeat a few
 * hundred lists of the standard's values: each row's own copy of its services, fees, support
 * modes and labels was two thirds of its memory (1,050 → 380 bytes a row, 163 distinct lists at 1M).
 */
export function createListInterner(maxEntries: number): (list: string[]) => string[] {
  const kept = new Map<string, string[]>();
  return (list) => {
    // NUL never occurs in PostgreSQL text; the length tells [] from [''].
    const key = `${list.length}\u0000${list.join('\u0000')}`;
    const known = kept.get(key);
    if (known !== undefined) return known;
    if (kept.size >= maxEntries) return list;
    kept.set(key, Object.freeze(list) as string[]);
    return list;
  };
}
