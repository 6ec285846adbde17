import { describe, expect, it } from 'vitest';
import { placePath } from '../../server/places/places.mapping.js';
import { summaryOf, summaryOfDisplayed } from '../../server/places/place-summaries.js';
import { displayRow as row } from '../support/display-rows.js';

const open = { open_now: true, next_change: '2026-12-07T18:00' };
const closed = { open_now: false, next_change: null };

describe('place summaries', () => {
  it('when a display row is summarised, then it is the summary of its fields and labels, in the API’s order', () => {
    const place = row(1);
    const summary = summaryOfDisplayed(place, open, 0.1234567);
    expect(summary).toEqual(summaryOf(place, place.labelSlugs, open, 0.1234567));
    expect(summary).toMatchObject({ url: '/lieux/1-mediatheque-1', distance_km: 0.123, labels: ['france-services'] });
    expect(Object.keys(summary)).toEqual([
      'id',
      'nom',
      'adresse',
      'complement_adresse',
      'code_postal',
      'commune',
      'code_insee',
      'latitude',
      'longitude',
      'location_precision',
      'labels',
      'services',
      'frais_a_charge',
      'modalites_accompagnement',
      'horaires',
      'open_now',
      'next_change',
      'url',
      'distance_km',
    ]);
  });

  it('when the same row is shown again, then only the open state and the distance change', () => {
    const place = row(2);
    const first = summaryOfDisplayed(place, open, 1);
    const again = summaryOfDisplayed(place, closed);
    expect(again).toEqual({ ...first, open_now: false, next_change: null, distance_km: undefined });
    expect(again).not.toHaveProperty('distance_km');
  });

  it('when a place is renamed, then the row read again gives the new page path', () => {
    expect(summaryOfDisplayed(row(3), open).url).toBe('/lieux/3-mediatheque-3');
    const renamed = row(3, { nom: 'Tiers-lieu « Le Lien » à Évry' });
    expect(summaryOfDisplayed(renamed, open).url).toBe(placePath(renamed));
    expect(summaryOfDisplayed(renamed, open).url).toBe('/lieux/3-tiers-lieu-le-lien-a-evry');
  });
});
