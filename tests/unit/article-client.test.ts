import { describe, expect, it } from 'vitest';
import { nearbyUrl } from '../../client/article.js';

describe('the article page’s "use my position" link', () => {
  it('when a position is found, then the typed place is dropped and lat/lon lead to the nearby section', () => {
    const url = new URL(
      nearbyUrl('http://x.test/articles/a?ou=Martigues&code_postal=13500#haut', 43.123456, 5.0543219),
    );
    expect(url.pathname).toBe('/articles/a');
    expect(url.searchParams.get('ou')).toBeNull();
    expect(url.searchParams.get('code_postal')).toBeNull();
    expect(url.searchParams.get('lat')).toBe('43.12346');
    expect(url.searchParams.get('lon')).toBe('5.05432');
    expect(url.hash).toBe('#pres-de-chez-vous');
  });
});
