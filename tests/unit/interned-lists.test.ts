import { describe, expect, it } from 'vitest';
import { createListInterner } from '../../server/shared/interned-lists.js';

describe('interned lists', () => {
  it('when equal lists come from different rows, then every row gets the first one, frozen', () => {
    const shared = createListInterner(10);
    const first = shared(['Gratuit', 'Payant']);
    expect(shared(['Gratuit', 'Payant'])).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => first.push('autre')).toThrow(TypeError);
    expect(shared(['Payant', 'Gratuit'])).not.toBe(first);
  });

  it('when lists differ only by empty strings, then none is taken for another', () => {
    const shared = createListInterner(10);
    const none = shared([]);
    const oneEmpty = shared(['']);
    expect(oneEmpty).toEqual(['']);
    expect(shared([])).toBe(none);
    expect(shared(['', ''])).toEqual(['', '']);
    expect(shared(['a', ''])).not.toBe(shared(['a']));
  });

  it('when more distinct lists come than the bound, then the others are kept as they come, unfrozen', () => {
    const shared = createListInterner(2);
    shared(['a']);
    shared(['b']);
    const third = shared(['c']);
    expect(Object.isFrozen(third)).toBe(false);
    expect(shared(['c'])).not.toBe(third);
    expect(shared(['a'])).toEqual(['a']);
  });
});
