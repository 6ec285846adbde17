import { describe, expect, it } from 'vitest';
import { placeQuality, type QualityInput } from '../../server/places/place-quality.js';

const NOW = new Date('2026-12-01T10:00:00Z');

const EMPTY: QualityInput = {
  latitude: null,
  horaires: null,
  telephone: null,
  courriels: [],
  siteWeb: [],
  priseRdv: null,
  presentationResume: null,
  presentationDetail: null,
  services: [],
  publicsSpecifiquementAdresses: [],
  priseEnChargeSpecifique: [],
  modalitesAcces: [],
  modalitesAccompagnement: [],
  fraisACharge: [],
  dateMaj: '2026-11-01',
  verifiedAt: null,
};

const COMPLETE: QualityInput = {
  ...EMPTY,
  latitude: 43.4,
  horaires: 'Mo-Fr 09:00-12:00',
  telephone: '+33442000000',
  courriels: ['contact@exemple.fr'],
  siteWeb: ['https://exemple.fr'],
  presentationResume: 'Aide au numérique',
  presentationDetail: 'Un espace ouvert à tous, avec six ordinateurs.',
  services: ['Aide aux démarches administratives'],
  publicsSpecifiquementAdresses: ['Seniors'],
  modalitesAcces: ['Se présenter'],
  modalitesAccompagnement: ['Accompagnement individuel'],
  fraisACharge: ['Gratuit'],
};

const labels = (place: QualityInput) => placeQuality(place, NOW).gaps.map((gap) => gap.label);

describe('the quality score of a place', () => {
  it('when everything is filled in and confirmed this month, then 100 and nothing missing', () => {
    expect(placeQuality(COMPLETE, NOW)).toEqual({ score: 100, gaps: [] });
  });

  it('when nothing but the address is known, then only freshness scores (15)', () => {
    const { score, gaps } = placeQuality(EMPTY, NOW);
    expect(score).toBe(15);
    expect(gaps[0]).toEqual({ label: 'Horaires', section: 'horaires', points: 20 });
    expect(gaps.map((g) => g.label)).toContain('Présentation détaillée');
  });

  it('when the hours are written but unreadable, then "Horaires illisibles" costs 15 points', () => {
    const { score, gaps } = placeQuality({ ...COMPLETE, horaires: 'le matin sauf quand il pleut' }, NOW);
    expect(score).toBe(85);
    expect(gaps).toEqual([{ label: 'Horaires illisibles', section: 'horaires', points: 15 }]);
  });

  it('when the hours are missing, then they cost their criterion and their readability (20)', () => {
    expect(placeQuality({ ...COMPLETE, horaires: null }, NOW).score).toBe(80);
  });

  it('when only the phone is given, then the e-mail is named as missing; with neither, one line for both', () => {
    expect(labels({ ...COMPLETE, courriels: [] })).toEqual(['E-mail']);
    expect(placeQuality({ ...COMPLETE, courriels: [] }, NOW).score).toBe(95);
    expect(labels({ ...COMPLETE, courriels: [], telephone: null })).toEqual(['Téléphone ou e-mail']);
    expect(placeQuality({ ...COMPLETE, courriels: [], telephone: null }, NOW).score).toBe(85);
  });

  it('when the source dates from 8 months, 18 months or 3 years ago, then freshness loses 7, 12 or 15 points', () => {
    expect(placeQuality({ ...COMPLETE, dateMaj: '2026-04-01' }, NOW).score).toBe(93);
    expect(placeQuality({ ...COMPLETE, dateMaj: '2025-06-01' }, NOW).score).toBe(88);
    expect(placeQuality({ ...COMPLETE, dateMaj: '2023-06-01' }, NOW).score).toBe(85);
  });

  it('when a mediator confirmed an old record lately, then it counts as fresh', () => {
    const confirmed = { ...COMPLETE, dateMaj: '2023-06-01', verifiedAt: new Date('2026-11-20T08:00:00Z') };
    expect(placeQuality(confirmed, NOW).score).toBe(100);
  });

  it('when several things are missing, then the costliest come first and the score never goes below 0', () => {
    const { score, gaps } = placeQuality({ ...EMPTY, dateMaj: '2020-01-01' }, NOW);
    expect(score).toBe(0);
    const points = gaps.map((g) => g.points);
    expect(points).toEqual([...points].sort((a, b) => b - a));
  });
});
