import type { DisplayedPlace } from '../../server/places/index/place-display.repository.js';

/** A display row as the index's display reads give it (a library in Lyon), with `changes` over it. */
export const displayRow = (id: number, changes: Partial<DisplayedPlace> = {}): DisplayedPlace => ({
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
