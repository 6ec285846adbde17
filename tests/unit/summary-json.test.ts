import { describe, expect, it } from 'vitest';
import type { DisplayedPlace } from '../../server/places/index/place-display.repository.js';
import { withAbsoluteUrls } from '../../server/places/places.mapping.js';
import type { PlaceSummary } from '../../server/places/places.responses.js';
import { placesListJson, summaryOf, summaryOfDisplayed } from '../../server/places/summary-json.js';
import { seededRandom } from '../support/seeded-random.js';

const row = (id: number, changes: Partial<DisplayedPlace> = {}): DisplayedPlace => ({
  id,
  nom: `Médiathèque ${id}`,
  adresse: '1 rue de la Paix',
  complementAdresse: null,
  codePostal: '69001',
  commune: 'Lyon',
  codeInsee: '69381',
  latitude: 45.76,
  longitude: 4.83,
  locationPrecision: 'exact',
  services: ['Prendre en main un ordinateur'],
  fraisACharge: ['Gratuit'],
  modalitesAccompagnement: ['Seul'],
  horaires: 'Mo-Fr 09:00-18:00',
  labelSlugs: ['france-services'],
  ...changes,
});

const open = { open_now: true, next_change: '2026-12-07T18:00' };
const closed = { open_now: false, next_change: null };
const list = (items: PlaceSummary[], nextCursor: string | null = 'abc') => ({
  items,
  next_cursor: nextCursor,
  total: items.length,
  total_is_lower_bound: false,
});

describe('a list of places in JSON', () => {
  it('when summaries come from display rows, then the JSON is JSON.stringify’s, character for character', () => {
    const items = [summaryOfDisplayed(row(1), open, 0.1234567), summaryOfDisplayed(row(2), closed, 12)];
    const answer = withAbsoluteUrls(list(items), 'https://epn.example/');
    expect(placesListJson(answer)).toBe(JSON.stringify(answer));
    expect(JSON.parse(placesListJson(answer)).items[0]).toMatchObject({
      id: 1,
      distance_km: 0.123,
      url: 'https://epn.example/lieux/1-mediatheque-1',
    });
  });

  it('when a row is shown again with another open state and distance, then only those change', () => {
    const place = row(3);
    const first = summaryOfDisplayed(place, open, 1);
    const again = summaryOfDisplayed(place, closed);
    expect(JSON.parse(placesListJson(list([first])))).toEqual(JSON.parse(JSON.stringify(list([first]))));
    const json = placesListJson(list([again], null));
    expect(json).toBe(JSON.stringify(list([again], null)));
    expect(JSON.parse(json).items[0]).not.toHaveProperty('distance_km');
    expect(JSON.parse(json).items[0].open_now).toBe(false);
  });

  it('when a name holds quotes, escapes and the very text of the next key, then the JSON is still exact', () => {
    const tricky = row(4, {
      nom: 'Espace "numérique" ,"open_now":true \\ \u2028 fin',
      complementAdresse: '</script><script>',
      labelSlugs: [],
      horaires: null,
      latitude: null,
      longitude: null,
      locationPrecision: null,
    });
    const items = [summaryOfDisplayed(tricky, closed), summaryOfDisplayed(tricky, open, 3)];
    expect(placesListJson(list(items))).toBe(JSON.stringify(list(items)));
  });

  it('when a summary was made field by field, or changed afterwards, then it is serialised whole', () => {
    const sqlRow = summaryOf(row(5), ['cyber-base'], open, 2);
    const changed = { ...summaryOfDisplayed(row(6), open), extra: 'ajouté' } as PlaceSummary;
    const items = [sqlRow, changed];
    expect(placesListJson(list(items))).toBe(JSON.stringify(list(items)));
    expect(placesListJson({ items: [] })).toBe('{"items":[]}');
  });

  it('when random rows are shown many times in random lists, then every list is JSON.stringify’s', () => {
    const random = seededRandom(11);
    const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
    const rows = Array.from({ length: 50 }, (_, i) =>
      row(i + 10, {
        nom: pick(['Mairie', 'Tiers-lieu « Le Lien »', 'Café "numérique"', 'Cyber\\base', 'É']),
        codeInsee: pick(['69381', null]),
        labelSlugs: pick([[], ['france-services'], ['netpublic', 'cyber-base']]),
        horaires: pick([null, 'Mo 09:00-12:00', '24/7']),
      }),
    );
    for (let round = 0; round < 200; round++) {
      const items = Array.from({ length: 1 + Math.floor(random() * 20) }, () =>
        summaryOfDisplayed(pick(rows), pick([open, closed]), random() < 0.5 ? undefined : random() * 30),
      );
      const answer = withAbsoluteUrls(list(items, pick([null, 'curseur'])), 'http://localhost:3000');
      expect(placesListJson(answer)).toBe(JSON.stringify(answer));
    }
  });
});
