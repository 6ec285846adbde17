import { describe, expect, it } from 'vitest';
import type { DisplayedPlace } from '../../server/places/index/place-display.repository.js';
import { withAbsoluteUrls } from '../../server/places/places.mapping.js';
import { placesListJson } from '../../server/places/places-list-json.js';
import { summaryOf, summaryOfDisplayed } from '../../server/places/place-summaries.js';
import type { PlacesList } from '../../server/places/places.responses.js';
import { absoluteAddresses } from '../../server/shared/absolute-address.js';
import { displayRow } from '../support/display-rows.js';

// Text that JSON escapes or writes in several UTF-8 bytes: quotes, a backslash, `’`, `Œ`, an emoji.
const row = (id: number, changes: Partial<DisplayedPlace> = {}): DisplayedPlace =>
  displayRow(id, {
    nom: `Médiathèque l’Œil ${id}`,
    adresse: '1 rue "de la Paix"\\bis',
    services: ['Prendre en main un ordinateur', 'Accéder à ses droits 🖥️'],
    modalitesAccompagnement: [],
    ...changes,
  });

const baseUrl = 'https://epn.example.fr/annuaire/';
const asToday = (list: PlacesList) => JSON.stringify(withAbsoluteUrls(list, baseUrl));
const asSent = (list: PlacesList) => placesListJson(list, absoluteAddresses(baseUrl)).toString('utf8');

describe('the JSON of a list of places', () => {
  it('when the places come from display rows, then the bytes are those of the list serialised whole', () => {
    const place = row(1);
    const list: PlacesList = {
      items: [
        summaryOfDisplayed(place, { open_now: true, next_change: '2026-12-07T18:00' }, 0.1234567),
        summaryOfDisplayed(row(2, { horaires: null, latitude: null, longitude: null, locationPrecision: null }), {
          open_now: null,
          next_change: null,
        }),
        // The same row again, another open state and distance: its fixed part is reused.
        summaryOfDisplayed(place, { open_now: false, next_change: null }, 12),
      ],
      next_cursor: 'abc',
      total: 3,
      total_is_lower_bound: false,
    };
    expect(asSent(list)).toBe(asToday(list));
    expect(JSON.parse(asSent(list)).items[0].url).toBe('https://epn.example.fr/lieux/1-mediatheque-l-oeil-1');
  });

  it('when a summary was made otherwise or copied with a change, then it is serialised field by field', () => {
    const fromRow = summaryOfDisplayed(row(3), { open_now: true, next_change: null }, 1);
    const list: PlacesList = {
      items: [
        { ...fromRow, nom: 'Renommé' },
        summaryOf(row(4), ['netpublic'], { open_now: false, next_change: '2026-12-08T09:00' }),
        fromRow,
      ],
      next_cursor: null,
      total: null,
      total_is_lower_bound: false,
    };
    expect(asSent(list)).toBe(asToday(list));
    expect(JSON.parse(asSent(list)).items[0].nom).toBe('Renommé');
  });

  it('when the list is empty, then it is an empty list with its count', () => {
    const list: PlacesList = { items: [], next_cursor: null, total: 0, total_is_lower_bound: false };
    expect(asSent(list)).toBe(asToday(list));
  });
});
