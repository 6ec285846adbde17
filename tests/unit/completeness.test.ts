import { describe, expect, it } from 'vitest';
import { completeness, freshness } from '../../server/editing/completeness.js';
import type { Place } from '../../server/places/places.types.js';

const NOW = new Date('2026-11-28T12:00:00Z');

/** A place with nothing a visitor needs filled in. */
function emptyPlace(overrides: Partial<Place> = {}): Place {
  return {
    id: 1,
    source: 'test',
    sourceId: '1',
    pivot: '',
    nom: 'Lieu',
    commune: 'Martigues',
    codePostal: '13500',
    codeInsee: '13056',
    adresse: '1 rue',
    complementAdresse: null,
    latitude: null,
    longitude: null,
    locationPrecision: null,
    typologie: [],
    telephone: null,
    courriels: [],
    siteWeb: [],
    horaires: null,
    presentationResume: null,
    presentationDetail: null,
    itinerance: [],
    structureParente: null,
    dateMaj: '2026-01-01',
    services: [],
    publicsSpecifiquementAdresses: [],
    priseEnChargeSpecifique: [],
    fraisACharge: [],
    autresFormationsLabels: [],
    modalitesAcces: [],
    modalitesAccompagnement: [],
    ficheAccesLibre: null,
    priseRdv: null,
    status: 'published',
    importIssues: [],
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    verifiedAt: null,
    ...overrides,
  };
}

const FULL: Partial<Place> = {
  latitude: 43.4,
  longitude: 5.05,
  horaires: 'Mo-Fr 09:00-12:00',
  telephone: '+33442000000',
  siteWeb: ['https://exemple.fr'],
  presentationResume: 'Aide au numérique',
  services: ['Aide aux démarches administratives'],
  publicsSpecifiquementAdresses: ['Seniors'],
  modalitesAcces: ['Se présenter'],
  modalitesAccompagnement: ['Seul'],
  fraisACharge: ['Gratuit'],
};

describe('completeness score of Mon espace', () => {
  it('when nothing is filled in, then the score is 0 and the ten criteria are listed with their section', () => {
    const result = completeness(emptyPlace());
    expect(result.score).toBe(0);
    expect(result.missing).toHaveLength(10);
    expect(result.missing[0]).toEqual({ label: 'Position sur la carte', section: 'general' });
    expect(result.missing.map((m) => m.section)).toEqual([
      'general',
      'horaires',
      'contacts',
      'contacts',
      'description',
      'services',
      'services',
      'modalites',
      'modalites',
      'modalites',
    ]);
  });

  it('when everything is filled in, then the score is 100 and nothing is missing', () => {
    expect(completeness(emptyPlace(FULL))).toEqual({ score: 100, missing: [] });
  });

  it('each criterion is worth ten points', () => {
    expect(completeness(emptyPlace({ horaires: 'Mo 09:00-12:00' })).score).toBe(10);
    expect(
      completeness(emptyPlace({ horaires: 'Mo 09:00-12:00', latitude: 45, longitude: 5, presentationResume: 'Oui' }))
        .score,
    ).toBe(30);
    const oneMissing = completeness(emptyPlace({ ...FULL, fraisACharge: [] }));
    expect(oneMissing).toEqual({ score: 90, missing: [{ label: 'Frais à charge', section: 'modalites' }] });
  });

  it('when either alternative of a criterion is given, then it counts', () => {
    const labels = (p: Place) => completeness(p).missing.map((m) => m.label);
    // Phone or e-mail.
    expect(labels(emptyPlace({ courriels: ['a@b.fr'] }))).not.toContain('Téléphone ou e-mail');
    expect(labels(emptyPlace({ telephone: '+33100000000' }))).not.toContain('Téléphone ou e-mail');
    // Website or appointment link.
    expect(labels(emptyPlace({ priseRdv: 'https://rdv.exemple.fr' }))).not.toContain('Site web ou lien de rendez-vous');
    expect(labels(emptyPlace({ siteWeb: ['https://exemple.fr'] }))).not.toContain('Site web ou lien de rendez-vous');
    // Specific publics or specific support.
    expect(labels(emptyPlace({ priseEnChargeSpecifique: ['Surdité'] }))).not.toContain(
      'Publics ou prises en charge spécifiques',
    );
    // Empty strings are not filled in.
    expect(labels(emptyPlace({ horaires: '', presentationResume: '', telephone: '' }))).toEqual(
      expect.arrayContaining(['Horaires', 'Résumé', 'Téléphone ou e-mail']),
    );
  });

  it("a position at the commune's centre still counts as a position", () => {
    expect(
      completeness(emptyPlace({ latitude: 43.4, longitude: 5.05, locationPrecision: 'commune' })).missing.map(
        (m) => m.label,
      ),
    ).not.toContain('Position sur la carte');
  });
});

describe('freshness of a listing', () => {
  it('takes the later of the last confirmation and the last change, and is stale after 180 days', () => {
    const updatedAt = new Date('2026-01-01T12:00:00Z');
    const verifiedAt = new Date('2026-11-18T12:00:00Z');
    expect(freshness(emptyPlace({ updatedAt, verifiedAt }), NOW)).toEqual({
      lastCheckedAt: verifiedAt,
      days: 10,
      stale: false,
    });
    expect(freshness(emptyPlace({ updatedAt, verifiedAt: null }), NOW)).toMatchObject({
      lastCheckedAt: updatedAt,
      stale: true,
    });
    const edge = new Date(NOW.getTime() - 180 * 86_400_000);
    expect(freshness(emptyPlace({ updatedAt: edge }), NOW)).toMatchObject({ days: 180, stale: false });
    expect(freshness(emptyPlace({ updatedAt: new Date(edge.getTime() - 86_400_000) }), NOW)).toMatchObject({
      days: 181,
      stale: true,
    });
  });
});
