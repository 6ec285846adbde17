// Haute-Vienne « acteurs du numérique » (local format of the Limoges Métropole map, one row per service of a
// place) → rows in the v1 field names, one per place, for createConverter().toV1.
// Used by scripts/derive-seeds.ts; the rules are listed in seeds/SOURCES.md.
import type { RawRow } from './places.js';

const fold = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const str = (value: unknown) =>
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a raw cell: printed as the source has it
  value === null || value === undefined ? '' : String(value).replace(/\s+/g, ' ').replace(/\( /g, '(').trim();
const unique = (values: string[]) => [...new Set(values.filter(Boolean))];

// `service` (local vocabulary) → v1 services; values with no clear v1 counterpart are left out
// ("Autre accompagnement", "Compétences numérique avancées (développement, communication…)", "Dépannage, conseils").
const SERVICES: [RegExp, string[]][] = [
  [/^Accès à Internet/, ['Accès internet et matériel informatique']],
  [/^Accès à du matériel/, ['Accès internet et matériel informatique']],
  [/^Accès à une imprimante/, ['Accès internet et matériel informatique']],
  [/^Autre matériel/, ['Accès internet et matériel informatique']],
  [/^Découverte de l'ordinateur/, ['Maîtrise des outils numériques du quotidien']],
  [/^Découverte d'internet/, ['Maîtrise des outils numériques du quotidien']],
  [/^Découverte des logiciels bureautiques/, ['Maîtrise des outils numériques du quotidien']],
  [/^Aide aux démarches administratives/, ['Aide aux démarches administratives']],
  [/^Aide à la recherche d'emploi/, ['Insertion professionnelle via le numérique']],
  [/^Initiation à la culture numérique/, ['Compréhension du monde numérique', 'Utilisation sécurisée du numérique']],
  [/^Pratiques d'activités numériques récréatives/, ['Loisirs et créations numériques']],
  [/^Don, prêt matériel/, ['Acquisition de matériel informatique à prix solidaire']],
];
// `statut_org` → data·inclusion structure code (typologie); "CCAS / CIAS", "Opérateur de service public (CAF,
// CARSAT, CPAM…)", "Organisme privé non associatif", "Autre collectivité territoriale" name no single code.
const TYPOLOGIE: Record<string, string> = { Association: 'ASSO', Mairie: 'MUNI', 'Médiathèque/bibliothèque': 'BIB' };
const PUBLICS: [RegExp, string][] = [
  [/jeunes|moins de 35 ans/i, 'Jeunes'],
  [/parents/i, 'Familles et/ou enfants'],
  [/senior/i, 'Seniors'],
];

const HAUTE_VIENNE_SOURCE = 'haute-vienne';

export interface HauteVienneReport {
  rows: number;
  withoutAddress: number;
  places: number;
  unmappedServices: Map<string, number>;
}

/** Groups the service rows of one place (same name and address) and maps them to the v1 names. */
export function hauteVienneToV1Rows(rows: RawRow[]): { rows: RawRow[]; report: HauteVienneReport } {
  const report: HauteVienneReport = { rows: rows.length, withoutAddress: 0, places: 0, unmappedServices: new Map() };
  const groups = new Map<string, RawRow[]>();
  for (const row of rows) {
    // A row without an address (101 rows: online or "on request" services, coordinates of the commune) is not a place.
    if (!str(row.adresse) || !str(row.commune)) {
      report.withoutAddress += 1;
      continue;
    }
    const key = `${fold(str(row.nom_org))}\u0000${fold(str(row.adresse))}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const out: RawRow[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    const all = (field: string) => unique(group.map((row) => str(row[field])));
    const labels = all('label').join(', ');
    const services: string[] = [];
    for (const service of all('service')) {
      const match = SERVICES.find(([pattern]) => pattern.test(service));
      if (match) services.push(...match[1]);
      else report.unmappedServices.set(service, (report.unmappedServices.get(service) ?? 0) + 1);
    }
    const accompagnement: string[] = [];
    for (const row of group) {
      if (str(row.assistance) === 'Oui' || str(row.format) === 'Assistance ponctuelle')
        accompagnement.push('Accompagnement individuel');
      if (str(row.format) === 'Organisation de parcours de formation courte')
        accompagnement.push('Dans un atelier collectif');
      if (str(row.assistance) === 'Non' && str(row.categorie) === 'Accès au matériel et à Internet')
        accompagnement.push('En autonomie');
    }
    // The free-text hours, conditions and audiences are not in the standard's formats: they go, per service, into
    // presentation_detail so that nothing the producer wrote is lost.
    const detail = unique(
      group.map((row) => {
        const facts = [
          str(row.condition) && str(row.condition),
          str(row.horaires) && str(row.horaires) !== str(row.condition) && `horaires : ${str(row.horaires)}`,
          str(row.public) && `public : ${str(row.public)}`,
        ].filter(Boolean);
        const comment = str(row.commentaires);
        return `${str(row.service)}${facts.length ? ` (${facts.join(' ; ')})` : ''}${comment ? ` : ${comment}` : ''}`;
      }),
    );
    const latitude = Number(first.latitude);
    const longitude = Number(first.longitude);
    const hasPoint = Number.isFinite(latitude) && Number.isFinite(longitude) && latitude !== 0 && longitude !== 0;
    out.push({
      id: String(Math.min(...group.map((row) => Number(row.objectid)))),
      source: HAUTE_VIENNE_SOURCE,
      nom: str(first.nom_org),
      adresse: str(first.adresse),
      commune: str(first.commune),
      code_postal: str(first.code_postal),
      ...(hasPoint ? { latitude, longitude } : {}),
      telephone: all('tel_fixe').at(0) ?? all('tel_mobile').at(0) ?? '',
      courriels: unique(all('mail').flatMap((mail) => mail.split(/[\s,;/]+/))),
      // "www.savb.fr", "limoges.fr": a web address written without its scheme gets https://.
      site_web: all('site').map((site) =>
        /^(www\.)?[\w-]+(\.[\w-]+)+(\/\S*)?$/i.test(site) ? `https://${site}` : site,
      ),
      typologie: unique([
        ...all('statut_org').map((statut) => TYPOLOGIE[statut] ?? ''),
        labels.includes('Espace public numérique') ? 'EPN' : '',
      ]),
      services: unique(services),
      modalites_accompagnement: unique(accompagnement),
      modalites_acces: all('condition').includes('Accès libre') ? ['Se présenter'] : [],
      publics_specifiquement_adresses: unique(
        all('public').flatMap((publicText) => PUBLICS.filter(([p]) => p.test(publicText)).map(([, v]) => v)),
      ),
      dispositif_programmes_nationaux: labels.includes('France Services') ? ['France Services'] : [],
      presentation_detail: detail.join('\n'),
      labels: /cyberbase/i.test(labels) ? ['cyber-base'] : [],
    });
  }
  report.places = out.length;
  return { rows: out, report };
}
