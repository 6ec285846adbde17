import { describe, expect, it } from 'vitest';
import { checkOpeningHours } from '../../server/shared/opening-hours.js';
import { gridFromForm, gridToForm, gridToOpeningHours, openingHoursToGrid } from '../../common/hours-grid.js';

describe('weekly opening-hours grid', () => {
  it('when days share their ranges, then they are grouped and the string is valid OSM', () => {
    const { grid, errors } = gridFromForm({
      h_Mo_1_from: '09:00',
      h_Mo_1_to: '12:00',
      h_Mo_2_from: '14:00',
      h_Mo_2_to: '17:30',
      h_Tu_1_from: '09:00',
      h_Tu_1_to: '12:00',
      h_Tu_2_from: '14:00',
      h_Tu_2_to: '17:30',
      h_We_1_from: '9h',
      h_We_1_to: '12h',
      h_Fr_1_from: '09:00',
      h_Fr_1_to: '12:00',
      h_Fr_2_from: '14:00',
      h_Fr_2_to: '17:30',
      ph_closed: 'on',
      exc_1_from: '2026-12-24',
      exc_1_to: '2026-12-31',
    });
    expect(errors).toEqual({});
    const osm = gridToOpeningHours(grid)!;
    expect(osm).toBe('Mo,Tu,Fr 09:00-12:00,14:00-17:30; We 09:00-12:00; PH off; 2026 Dec 24-2026 Dec 31 off');
    expect(checkOpeningHours(osm)).toEqual({ valid: true });
  });

  it('when three or more days follow each other, then they become a span', () => {
    const fields: Record<string, string> = {};
    for (const d of ['Mo', 'Tu', 'We', 'Th', 'Fr'])
      Object.assign(fields, { [`h_${d}_1_from`]: '10:00', [`h_${d}_1_to`]: '18:00' });
    expect(gridToOpeningHours(gridFromForm(fields).grid)).toBe('Mo-Fr 10:00-18:00');
  });

  it('when a range is backwards, incomplete or overlapping, then the field gets a French message', () => {
    const { errors } = gridFromForm({
      h_Mo_1_from: '12:00',
      h_Mo_1_to: '09:00',
      h_Tu_1_from: '09:00',
      h_We_1_from: '09:00',
      h_We_1_to: '13:00',
      h_We_2_from: '12:00',
      h_We_2_to: '15:00',
      h_Th_1_from: '25:00',
      h_Th_1_to: '26:00',
    });
    expect(errors.h_Mo_1_from).toContain('la fermeture doit être après l’ouverture');
    expect(errors.h_Tu_1_from).toContain('indiquez l’heure d’ouverture et l’heure de fermeture');
    expect(errors.h_We_2_from).toContain('chevauche');
    expect(errors.h_Th_1_from).toContain('heure invalide');
  });

  it('when nothing is open, then the hours are unknown (null)', () => {
    expect(gridToOpeningHours(gridFromForm({}).grid)).toBeNull();
  });

  it('when a string only uses what the grid shows, then it reads back into the same grid', () => {
    const osm = 'Mo-We,Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off; 2026 Dec 24 off';
    const grid = openingHoursToGrid(osm)!;
    expect(grid.days.Th).toEqual([]);
    expect(grid.days.We).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '14:00', to: '17:00' },
    ]);
    expect(gridToOpeningHours(gridFromForm(gridToForm(grid) as Record<string, string>).grid)).toBe(
      'Mo-We,Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off; 2026 Dec 24 off',
    );
  });

  it('when a string uses more than the grid can show, then it is left to the raw field', () => {
    expect(openingHoursToGrid('Mo-Fr 09:00-17:00; week 1-10 Sa 10:00-12:00')).toBeNull();
    expect(openingHoursToGrid('24/7')).toBeNull();
  });

  const impossibleDate =
    'when a closure date does not exist (30 February, 31 April, 29 February of a common year), ' +
    'then a French message names it and no string is built';
  it(impossibleDate, () => {
    for (const [date, shown] of [
      ['2026-02-30', '30/02/2026'],
      ['2026-04-31', '31/04/2026'],
      ['2026-02-29', '29/02/2026'],
      ['2026-13-01', '01/13/2026'],
    ]) {
      const { grid, errors } = gridFromForm({ h_Mo_1_from: '09:00', h_Mo_1_to: '12:00', exc_1_from: date });
      expect(errors.exc_1_from, date).toBe(`Fermeture exceptionnelle 1 : le ${shown} n’existe pas.`);
      expect(grid.closures).toEqual([]);
    }
    expect(gridFromForm({ exc_2_from: '2026-12-24', exc_2_to: '2026-02-30' }).errors.exc_2_from).toContain(
      'le 30/02/2026 n’existe pas',
    );
    expect(gridFromForm({ exc_1_from: '24/12/2026' }).errors.exc_1_from).toContain('format AAAA-MM-JJ');
    expect(gridFromForm({ exc_1_from: '1800-01-01' }).errors.exc_1_from).toContain('année 1800');
  });

  it('when a closure date is real, including 29 February of a leap year, then it is kept', () => {
    const { grid, errors } = gridFromForm({ h_Mo_1_from: '09:00', h_Mo_1_to: '12:00', exc_1_from: '2028-02-29' });
    expect(errors).toEqual({});
    expect(gridToOpeningHours(grid)).toBe('Mo 09:00-12:00; 2028 Feb 29 off');
  });
});
