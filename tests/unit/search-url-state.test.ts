import { describe, expect, it } from 'vitest';
import {
  areaParams,
  bboxString,
  formatMapView,
  formValuesFromParams,
  geolocationParams,
  parseBbox,
  parseMapView,
  searchParamsFromForm,
  searchUrl,
  withMapView,
} from '../../client/url-state.js';

describe('search state in the URL (client, pure)', () => {
  it('when a map view is written and read back, then it is the same (5 decimals)', () => {
    const text = formatMapView({ zoom: 12.4, lat: 43.404512345, lon: 5.0501 });
    expect(text).toBe('12/43.40451/5.0501');
    expect(parseMapView(text)).toEqual({ zoom: 12, lat: 43.40451, lon: 5.0501 });
    expect(parseMapView('abc')).toBeNull();
    expect(parseMapView('25/0/0')).toBeNull();
  });

  it('when bounds cross the world edge or come reversed, then the bbox is clamped and ordered', () => {
    expect(bboxString({ west: -200, south: 43.1234567, east: 5, north: 100 })).toBe('-180,43.12346,5,90');
    expect(bboxString({ west: 5, south: 44, east: 4, north: 43 })).toBe('4,43,5,44');
    expect(parseBbox('4,43,5,44')).toEqual({ west: 4, south: 43, east: 5, north: 44 });
    expect(parseBbox('5,43,4,44')).toBeNull();
    expect(parseBbox('1,2,3')).toBeNull();
  });

  it('when the form is read, then empty values are dropped and repeated filters kept', () => {
    const params = searchParamsFromForm(
      [
        ['ou', ' Martigues '],
        ['radius_km', '30'],
        ['services', 'A'],
        ['services', 'B'],
        ['jour', ''],
        ['_csrf', 'x'],
      ],
      'Martigues',
    );
    expect(params.toString()).toBe('ou=Martigues&radius_km=30&services=A&services=B');
  });

  it('when the visitor typed another place, then the old point, area and map position are forgotten', () => {
    const entries: [string, string][] = [
      ['ou', 'Aubagne'],
      ['lat', '43.4'],
      ['lon', '5.05'],
      ['bbox', '1,2,3,4'],
      ['carte', '12/43/5'],
      ['page', 'abc'],
    ];
    const params = searchParamsFromForm(entries, 'Martigues');
    expect(params.toString()).toBe('ou=Aubagne');
    const same = searchParamsFromForm(
      [
        ['ou', 'Martigues'],
        ['lat', '43.4'],
        ['lon', '5.05'],
      ],
      'Martigues',
    );
    expect(same.get('lat')).toBe('43.4');
  });

  it('when the visitor shares its position, then it replaces the typed place and the area', () => {
    const params = geolocationParams(
      new URLSearchParams('ou=Martigues&bbox=1,2,3,4&open_now=true&page=x'),
      43.123456789,
      5.987654321,
    );
    expect(params.toString()).toBe('open_now=true&lat=43.12346&lon=5.98765');
  });

  it('when the visitor searches this area, then bbox, centre and map position are set and filters kept', () => {
    const params = areaParams(
      new URLSearchParams('ou=Martigues&labels=netpublic&page=x'),
      { west: 5, south: 43, east: 5.2, north: 43.5 },
      { zoom: 11, lat: 43.25, lon: 5.1 },
    );
    expect(params.get('ou')).toBeNull();
    expect(params.get('page')).toBeNull();
    expect(params.get('labels')).toBe('netpublic');
    expect(params.get('bbox')).toBe('5,43,5.2,43.5');
    expect(params.get('carte')).toBe('11/43.25/5.1');
    expect(searchUrl(params)).toMatch(/^\/\?labels=netpublic&bbox=/);
    expect(searchUrl(new URLSearchParams())).toBe('/');
  });

  it('when the map moves, then only carte changes; and a URL puts the form back', () => {
    const params = withMapView(new URLSearchParams('ou=Martigues&carte=5/46/2'), { zoom: 9, lat: 43, lon: 5 });
    expect(params.toString()).toBe('ou=Martigues&carte=9%2F43%2F5');
    const values = formValuesFromParams(new URLSearchParams('ou=Saint-Denis, 93&services=A,B&services=C'));
    expect(values.get('ou')).toEqual(['Saint-Denis, 93']);
    expect(values.get('services')).toEqual(['A', 'B', 'C']);
  });
});

describe('the area a map shows (client, pure)', () => {
  it('when most places are in metropolitan France, then a few overseas ones do not zoom out to the world', async () => {
    const { boundsToFit } = await import('../../client/bounds.js');
    const metro = Array.from({ length: 9 }, (_, i) => ({ lat: 43 + i * 0.5, lon: 1 + i * 0.5 }));
    expect(boundsToFit([...metro, { lat: -21.1, lon: 55.5 }])).toEqual({ west: 1, south: 43, east: 5, north: 47 });
    expect(
      boundsToFit([
        { lat: -21.1, lon: 55.5 },
        { lat: 16.2, lon: -61.5 },
      ]),
    ).toEqual({ west: -61.5, south: -21.1, east: 55.5, north: 16.2 });
    expect(boundsToFit([])).toBeNull();
  });
});
