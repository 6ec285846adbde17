import { FRAIS, MODALITES_ACCOMPAGNEMENT, PRISES_EN_CHARGE, PUBLICS, SERVICES } from '../places/standard.js';
import { LABEL_KIND_NAMES } from '../labels/labels.schemas.js';
import type { Label } from '../labels/labels.read.js';

/** The standard's nine services, grouped in plain words as the national map groups needs. */
export const SERVICE_GROUPS: { legend: string; services: (typeof SERVICES)[number][] }[] = [
  {
    legend: 'Démarches et emploi',
    services: ['Aide aux démarches administratives', 'Insertion professionnelle via le numérique'],
  },
  {
    legend: 'Apprendre et comprendre le numérique',
    services: [
      'Maîtrise des outils numériques du quotidien',
      'Utilisation sécurisée du numérique',
      'Compréhension du monde numérique',
      'Parentalité et éducation avec le numérique',
      'Loisirs et créations numériques',
    ],
  },
  {
    legend: 'S’équiper et se connecter',
    services: ['Accès internet et matériel informatique', 'Acquisition de matériel informatique à prix solidaire'],
  },
];

const option = (name: string, value: string, selected: readonly string[] | undefined, label: string = value) => ({
  name,
  value,
  label,
  id: `${name}-${value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`,
  checked: selected?.includes(value) ?? false,
});

export interface FormState {
  ou?: string;
  lat?: number;
  lon?: number;
  radius_km?: number;
  bbox?: string;
  services?: string[];
  publics?: string[];
  prise_en_charge?: string[];
  frais?: string[];
  modalites_accompagnement?: string[];
  labels?: string[];
  open_now?: boolean;
  jour?: string;
  heure?: string;
  carte?: string;
}

/** Every control of the search form, with what is chosen (for the first render and a re-render after an error). */
export function formView(state: FormState, labels: Label[], radiusChoices: readonly number[], defaultRadius: number) {
  const radius = state.radius_km ?? defaultRadius;
  const kinds = new Map<string, Label[]>();
  // Only labels that have places are worth a filter; one already chosen in the URL stays, to be unticked.
  for (const label of labels) {
    if (label.placeCount > 0 || state.labels?.includes(label.slug))
      kinds.set(label.kind, [...(kinds.get(label.kind) ?? []), label]);
  }
  const activeFilters =
    (state.services?.length ?? 0) +
    (state.publics?.length ?? 0) +
    (state.prise_en_charge?.length ?? 0) +
    (state.frais?.length ?? 0) +
    (state.modalites_accompagnement?.length ?? 0) +
    (state.labels?.length ?? 0) +
    (state.jour ? 1 : 0);
  return {
    ou: state.ou ?? '',
    lat: state.lat,
    lon: state.lon,
    bbox: state.bbox,
    carte: state.carte,
    openNow: state.open_now ?? false,
    jour: state.jour ?? '',
    heure: state.heure ?? '',
    activeFilters,
    // A radius the API accepts but the list does not offer (a shared link with radius_km=7) is shown
    // as chosen, so the next filter change keeps it. `defaultRadius` is what a URL without radius means.
    radiusOptions: [...new Set([...radiusChoices, radius])]
      .sort((a, b) => a - b)
      .map((km) => ({ value: km, selected: km === radius })),
    defaultRadius,
    serviceGroups: SERVICE_GROUPS.map((group, index) => ({
      legend: group.legend,
      id: `services-groupe-${index + 1}`,
      options: group.services.map((s) => option('services', s, state.services)),
    })),
    publics: PUBLICS.map((v) => option('publics', v, state.publics)),
    priseEnCharge: PRISES_EN_CHARGE.map((v) => option('prise_en_charge', v, state.prise_en_charge)),
    frais: FRAIS.map((v) => option('frais', v, state.frais)),
    modalites: MODALITES_ACCOMPAGNEMENT.map((v) =>
      option('modalites_accompagnement', v, state.modalites_accompagnement),
    ),
    labelGroups: [...kinds.entries()]
      .map(([kind, list]) => ({
        legend: (LABEL_KIND_NAMES as Partial<Record<string, string>>)[kind] ?? kind,
        options: list.map((l) =>
          option('labels', l.slug, state.labels, `${l.name} (${l.placeCount.toLocaleString('fr-FR')})`),
        ),
      }))
      .filter((group) => group.options.length > 0),
  };
}
