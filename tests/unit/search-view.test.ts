import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../server/places/standard.js';
import { cardOf, markerOf } from '../../server/places/place-cards.js';
import { formView, SERVICE_GROUPS } from '../../server/search/search.view.js';
import type { PlaceSummary } from '../../server/places/places.responses.js';

const summary: PlaceSummary = {
  id: 7,
  nom: 'EPN du Port',
  adresse: '1 quai',
  complement_adresse: null,
  code_postal: '13500',
  commune: 'Martigues',
  code_insee: '13056',
  latitude: 43.4,
  longitude: 5.05,
  location_precision: 'exact',
  labels: ['netpublic', 'inconnu'],
  services: [
    'Aide aux démarches administratives',
    'Loisirs et créations numériques',
    'Compréhension du monde numérique',
    'Utilisation sécurisée du numérique',
  ],
  frais_a_charge: [],
  modalites_accompagnement: [],
  horaires: 'Mo-Fr 09:00-17:00',
  open_now: true,
  next_change: '2026-12-01T17:00',
  distance_km: 2.4,
  url: '/lieux/7-epn-du-port',
};

describe('search view models (pure)', () => {
  it('when the nine services are grouped, then each appears exactly once', () => {
    const grouped = SERVICE_GROUPS.flatMap((g) => g.services);
    expect([...grouped].sort()).toEqual([...SERVICES].sort());
  });

  it('when a place becomes a card, then it has its address, distance, wording, 3 main services and label names', () => {
    const card = cardOf(summary, new Map([['netpublic', 'NetPublic']]), '2026-12-01');
    expect(card).toMatchObject({
      address: '1 quai, 13500 Martigues',
      distance: 2.4,
      open: { state: 'open', text: 'Ouvert · ferme à 17:00' },
      moreServices: 1,
      labels: ['NetPublic', 'inconnu'],
    });
    expect(card.services).toHaveLength(3);
    expect(markerOf(card)).toEqual({
      id: 7,
      nom: 'EPN du Port',
      url: '/lieux/7-epn-du-port',
      lat: 43.4,
      lon: 5.05,
      open: 'Ouvert · ferme à 17:00',
    });
    expect(markerOf({ ...card, lat: null, lon: null })).toBeNull();
  });

  it('when the form is rebuilt, then chosen values are checked and ids are unique', () => {
    const view = formView(
      { services: ['Aide aux démarches administratives'], frais: ['Gratuit'], radius_km: 10, jour: '2026-12-05' },
      [],
      [5, 10, 30],
      30,
    );
    const all = [
      ...view.serviceGroups.flatMap((g) => g.options),
      ...view.publics,
      ...view.priseEnCharge,
      ...view.frais,
      ...view.modalites,
    ];
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    expect(all.filter((o) => o.checked).map((o) => o.value)).toEqual(['Aide aux démarches administratives', 'Gratuit']);
    expect(view.radiusOptions.find((o) => o.selected)?.value).toBe(10);
    expect(view.activeFilters).toBe(3);
  });

  const unlistedRadius =
    'when the URL has a radius the list lacks, then it is added as the chosen option; ' +
    'labels without places are left out unless chosen';
  it(unlistedRadius, () => {
    const label = (slug: string, placeCount: number) =>
      ({ slug, name: slug.toUpperCase(), kind: 'local', placeCount }) as unknown as Parameters<
        typeof formView
      >[1][number];
    const view = formView(
      { radius_km: 7, labels: ['chosen'] },
      [label('full', 712), label('empty', 0), label('chosen', 0)],
      [5, 10, 30],
      30,
    );
    expect(view.radiusOptions).toEqual([
      { value: 5, selected: false },
      { value: 7, selected: true },
      { value: 10, selected: false },
      { value: 30, selected: false },
    ]);
    expect(view.defaultRadius).toBe(30);
    expect(view.labelGroups.flatMap((g) => g.options.map((o) => o.label))).toEqual(['FULL (712)', 'CHOSEN (0)']);
  });
});
