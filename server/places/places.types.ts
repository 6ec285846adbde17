/** A place as the application handles it (camelCase), one-to-one with the `places` table. */
export interface Place {
  id: number;
  source: string;
  sourceId: string;
  pivot: string;
  nom: string;
  commune: string;
  codePostal: string;
  codeInsee: string | null;
  adresse: string;
  complementAdresse: string | null;
  latitude: number | null;
  longitude: number | null;
  /** 'commune' when the source gave no position and the commune's centre stands in. */
  locationPrecision: 'exact' | 'commune' | null;
  typologie: string[];
  telephone: string | null;
  courriels: string[];
  siteWeb: string[];
  horaires: string | null;
  presentationResume: string | null;
  presentationDetail: string | null;
  itinerance: string[];
  structureParente: string | null;
  dateMaj: string;
  services: string[];
  publicsSpecifiquementAdresses: string[];
  priseEnChargeSpecifique: string[];
  fraisACharge: string[];
  autresFormationsLabels: string[];
  modalitesAcces: string[];
  modalitesAccompagnement: string[];
  ficheAccesLibre: string | null;
  priseRdv: string | null;
  status: 'published' | 'hidden' | 'merged';
  importIssues: ImportIssue[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  verifiedAt: Date | null;
}

export interface ImportIssue {
  field: string;
  value: unknown;
  message: string;
}

export interface PlaceLabelLink {
  placeId: number;
  slug: string;
  name: string;
  kind: string;
  standardField: string | null;
  standardValue: string | null;
  since: string | null;
  until: string | null;
}
