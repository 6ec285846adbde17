import { describe, expect, it } from 'vitest';
import { openStateText, whenText } from '../../server/shared/open-state.js';

describe('the open-now wording', () => {
  const today = '2026-12-01'; // a Tuesday

  it('when a place is open and closes today, then "Ouvert · ferme à 17:00"', () => {
    expect(openStateText(true, '2026-12-01T17:00', today)).toEqual({ state: 'open', text: 'Ouvert · ferme à 17:00' });
  });

  it('when a place is closed and opens next Monday, then the day is named', () => {
    expect(openStateText(false, '2026-12-07T09:00', today).text).toBe('Fermé · ouvre lundi à 09:00');
  });

  it('when it opens tomorrow, then "demain"', () => {
    expect(openStateText(false, '2026-12-02T09:30', today).text).toBe('Fermé · ouvre demain à 09:30');
  });

  it('when it opens later today, then only the time', () => {
    expect(openStateText(false, '2026-12-01T14:00', today).text).toBe('Fermé · ouvre à 14:00');
  });

  it('when the hours are unknown, then "Horaires non renseignés"', () => {
    expect(openStateText(null, null, today)).toEqual({ state: 'unknown', text: 'Horaires non renseignés' });
  });

  it('when there is no change within a week, then just open or closed', () => {
    expect(openStateText(true, null, today).text).toBe('Ouvert');
    expect(openStateText(false, null, today).text).toBe('Fermé');
  });

  it('when the change is more than a week away, then the date is given', () => {
    expect(whenText('2026-12-10T09:00', today)).toBe('le 10/12 à 09:00');
  });

  it('when the change crosses a month end, then days are still counted right', () => {
    expect(whenText('2027-01-01T09:00', '2026-12-31')).toBe('demain à 09:00');
  });
});
