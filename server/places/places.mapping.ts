import { absoluteAddresses } from '../shared/absolute-address.js';
import { slugify } from '../shared/text.js';
import type { Place, PlaceLabelLink } from './places.types.js';

/** The one mapping between the application's places and the national standard's field names. */
export function placePath(place: Pick<Place, 'id' | 'nom'>): string {
  return `/lieux/${place.id}-${slugify(place.nom) || 'lieu'}`;
}

/** The API gives absolute page addresses (other sites link to them); pages keep paths. */
export function withAbsoluteUrls<T extends { items: { url: string }[] }>(page: T, baseUrl: string): T {
  const absolute = absoluteAddresses(baseUrl);
  return { ...page, items: page.items.map((item) => ({ ...item, url: absolute(item.url) })) };
}

export function toStandardRecord(place: Place, labels: PlaceLabelLink[]) {
  const valuesOf = (field: string) =>
    labels.flatMap((l) => (l.standardField === field && l.standardValue !== null ? [l.standardValue] : []));
  return {
    id: String(place.id),
    pivot: place.pivot,
    nom: place.nom,
    commune: place.commune,
    code_postal: place.codePostal,
    code_insee: place.codeInsee,
    adresse: place.adresse,
    complement_adresse: place.complementAdresse,
    latitude: place.latitude,
    longitude: place.longitude,
    typologie: place.typologie,
    telephone: place.telephone,
    courriels: place.courriels,
    site_web: place.siteWeb,
    horaires: place.horaires,
    presentation_resume: place.presentationResume,
    presentation_detail: place.presentationDetail,
    source: place.source,
    itinerance: place.itinerance,
    structure_parente: place.structureParente,
    date_maj: place.dateMaj,
    services: place.services,
    publics_specifiquement_adresses: place.publicsSpecifiquementAdresses,
    prise_en_charge_specifique: place.priseEnChargeSpecifique,
    frais_a_charge: place.fraisACharge,
    dispositif_programmes_nationaux: valuesOf('dispositif_programmes_nationaux'),
    formations_labels: valuesOf('formations_labels'),
    autres_formations_labels: place.autresFormationsLabels,
    modalites_acces: place.modalitesAcces,
    modalites_accompagnement: place.modalitesAccompagnement,
    fiche_acces_libre: place.ficheAccesLibre,
    prise_rdv: place.priseRdv,
  };
}
