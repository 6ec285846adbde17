import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../server/http/errors.js';
import { decodeCursor, encodeCursor } from '../../server/places/cursor.js';
import { chordMetresForKm, haversineKm } from '../../server/places/geo.js';
import { slugify } from '../../server/shared/text.js';

describe('distances', () => {
  it('when measuring Paris to Marseille, then it is about 661 km', () => {
    expect(haversineKm({ lat: 48.8566, lon: 2.3522 }, { lat: 43.2965, lon: 5.3698 })).toBeCloseTo(660.5, 0);
  });

  it('when converting a radius to a chord, then short chords are almost the arc (scaled to earthdistance’s sphere)', () => {
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
