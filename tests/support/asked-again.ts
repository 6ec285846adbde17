/**
 * `ask` once, then again, in a moment when the in-memory index applied no change: other test files
 * write to the shared database, and a change during the pair (the first ask included) would file
 * the first answer under another version than the second looks for. Such a pair is asked again.
 * `eachAttempt` runs before each pair (set the clock), `beforeAgain` between its two asks (reset a
 * counter of queries, move the clock).
 */
export async function askedAgain<T>(
  index: { version: number },
  ask: () => Promise<T>,
  hooks: { eachAttempt?: () => void; beforeAgain?: () => void } = {},
): Promise<{ before: T; again: T }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    hooks.eachAttempt?.();
    const start = index.version;
    const before = await ask();
    const version = index.version;
    hooks.beforeAgain?.();
    const again = await ask();
    if (start === version && index.version === version) return { before, again };
  }
  throw new Error('Aucun moment sans écriture dans la base partagée.');
}
