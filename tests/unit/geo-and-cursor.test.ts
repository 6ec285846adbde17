import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../server/http/errors.js';
import { decodeCursor, encodeCursor } from '../../server/places/cursor.js';
import { chordMetresForKm, haversineKm } from '../../server/places/geo.js';
import { slugify } from '../../server/shared/text.js';

describe('distances', () => {
  it('when measuring Paris to Marseille, then it is about 661 km', () => {
    expect(haversineKm({ lat: 48.8566, lon: 2.3522 }, { lat: 43.2965, lon: 5.3698 })).toBeCloseTo(660.5, 0);
  });

  it('when a radius is converted to a chord, then short chords are almost the arc (on earthdistance’s sphere)', () => {
    expect(chordMetresForKm(30) / 30_000).toBeCloseTo(6378168 / 6371008.8, 4);
  });
});

describe('keyset cursor', () => {
  it('when a cursor is encoded, then it decodes to the same position', () => {
    const cursor = encodeCursor('distance', { key: 1234.5678, id: 42 });
    expect(decodeCursor(cursor, 'distance')).toEqual({ key: 1234.5678, id: 42 });
  });

  it('when a cursor is used with another sort, then it is refused', () => {
    const cursor = encodeCursor('name', { key: 'abeille', id: 3 });
    expect(() => decodeCursor(cursor, 'distance')).toThrow(ValidationError);
  });

  const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['distance', { m: 'distance', k: 'abc', i: 1 }],
    ['distance', { m: 'distance', k: -1, i: 1 }],
    ['relevance', { m: 'relevance', k: 1.5, i: 1 }],
    ['relevance', { m: 'relevance', k: '0.5', i: 1 }],
    ['name', { m: 'name', k: 7, i: 1 }],
    ['name', { m: 'name', k: 'a\u0000', i: 1 }],
    ['name', { m: 'name', k: 'a', i: 2 ** 53 }],
    ['name', { m: 'name', k: 'a', i: 0 }],
  ] as const)('when a hand-made %s cursor carries %j, then it is refused as a ValidationError', (mode, value) => {
    expect(() => decodeCursor(forge(value), mode)).toThrow(ValidationError);
  });

  it('when each mode gets the key type it sorts by, then it decodes', () => {
    expect(decodeCursor(encodeCursor('relevance', { key: 0.25, id: 9 }), 'relevance')).toEqual({ key: 0.25, id: 9 });
    expect(decodeCursor(encodeCursor('name', { key: 'médiathèque', id: 9 }), 'name')).toEqual({
      key: 'médiathèque',
      id: 9,
    });
  });
});

describe('slugs', () => {
  it.each([
    ['NetPublic', 'netpublic'],
    ['Cyber-base', 'cyber-base'],
    ["Point d'accès numérique CAF", 'point-d-acces-numerique-caf'],
    ['Formé à « DUPLEX » (illettrisme)', 'forme-a-duplex-illettrisme'],
    ['Saint-Étienne-de-Tinée', 'saint-etienne-de-tinee'],
  ])('when slugifying %s, then %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });
});
