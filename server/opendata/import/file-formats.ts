/**
 * Which format a file is in, told from its columns (never from its name), and how its rows read in
 * the standard's field names. Unknown columns are not guessed into a format: they need a mapping.
 */
import { applyMapping, type FileMapping } from './file-mapping.js';
import { dayColumnsOf, openingHoursOfRow } from './half-day-hours.js';
import { STANDARD_FIELDS, textOf } from './standard-record.js';

export type FileFormat =
  'standard-v1' | 'standard-v0.1' | 'data-inclusion-v0' | 'data-inclusion-v1' | 'horaires-par-jour' | 'correspondance';

export const FORMAT_LABELS: Record<FileFormat, string> = {
  'standard-v1': 'standard « Lieux de médiation numérique » v1',
  'standard-v0.1': 'standard « Lieux de médiation numérique » v0.1',
  'data-inclusion-v0': 'data·inclusion, structures v0',
  'data-inclusion-v1': 'data·inclusion, structures v1',
  'horaires-par-jour': 'liste avec une colonne d’horaires par jour (France Services…)',
  correspondance: 'format local, lu avec le fichier de correspondance',
};

/** Adapter from a row of the file to a row in the standard's names; `notes` are what it had to leave aside. */
type RowAdapter = (row: Record<string, unknown>) => {
  row: Record<string, unknown>;
  notes: { field: string; value: unknown; rule: string }[];
};

const has = (columns: Set<string>, ...names: string[]) => names.some((name) => columns.has(name));
const fold = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** Column names other files use for the standard's fields: the guesses of the upload form and of day-column files. */
const SYNONYMS: Partial<Record<(typeof STANDARD_FIELDS)[number], string[]>> = {
  id: ['id', 'identifiant', 'id_fs', 'objectid', 'code'],
  pivot: ['pivot', 'siret', 'rna', 'siren'],
  nom: ['nom', 'lib_fs', 'nom_structure', 'nom_org', 'nom_du_lieu', 'name', 'libelle', 'raison_sociale'],
  adresse: ['adresse', 'adresse_postale', 'address', 'voie', 'rue'],
  complement_adresse: ['complement_adresse', 'complement'],
  code_postal: ['code_postal', 'cp', 'postcode', 'codepostal'],
  commune: ['commune', 'lib_com', 'ville', 'city', 'localite'],
  code_insee: ['code_insee', 'insee_com', 'insee', 'citycode'],
  latitude: ['latitude', 'lat', 'y'],
  longitude: ['longitude', 'lon', 'lng', 'long', 'x'],
  telephone: ['telephone', 'tel', 'tel_fixe', 'phone', 'telephone_fixe'],
  courriels: ['courriels', 'courriel', 'mail', 'email', 'e_mail', 'adresse_mail'],
  site_web: ['site_web', 'site', 'site_internet', 'url', 'web'],
  presentation_resume: ['presentation_resume', 'resume', 'description_courte'],
  presentation_detail: ['presentation_detail', 'description', 'commentaire', 'detail'],
  date_maj: ['date_maj', 'date_mise_a_jour', 'mise_a_jour', 'updated_at'],
  typologie: ['typologie', 'type'],
};

/** For each standard field, the file's column that looks like it (exact name, then a synonym). */
export function guessColumns(columns: string[]): Partial<Record<(typeof STANDARD_FIELDS)[number], string>> {
  const byFolded = new Map(columns.map((column) => [fold(column), column]));
  const guesses: Partial<Record<(typeof STANDARD_FIELDS)[number], string>> = {};
  for (const field of STANDARD_FIELDS) {
    const names = [field, ...(SYNONYMS[field] ?? [])];
    const column = names.map((name) => byFolded.get(name)).find((found) => found !== undefined);
    if (column) guesses[field] = column;
  }
  return guesses;
}

function dataInclusionAdapter(version: 'v0' | 'v1', defaultSource: string): RowAdapter {
  return (row) => {
    const standard: Record<string, unknown> = {
      ...row,
      pivot: row.siret ?? row.rna,
      courriels: row.courriel,
      horaires: row.horaires_ouverture ?? row.horaires_accueil,
      autres_formations_labels: row.labels_autres,
      dispositif_programmes_nationaux: row.labels_nationaux ?? row.reseaux_porteurs,
      fiche_acces_libre: row.accessibilite ?? row.accessibilite_lieu,
      source: row.source ?? defaultSource,
    };
    delete standard.labels_nationaux;
    delete standard.courriel;
    if (version === 'v1') {
      standard.presentation_detail = row.description;
      standard.presentation_resume = row.presentation_resume;
    }
    return { row: standard, notes: [] };
  };
}

function dayColumnsAdapter(columns: string[], dayColumns: string[][], defaultSource: string): RowAdapter {
  const guesses = guessColumns(columns);
  const isFranceServices = columns.includes('lib_fs') || columns.includes('id_fs');
  return (row) => {
    const standard: Record<string, unknown> = {};
    for (const [field, column] of Object.entries(guesses)) standard[field] = row[column];
    const hours = openingHoursOfRow(row, dayColumns);
    standard.horaires = hours.horaires;
    const notes = hours.invalid.map((cell) => ({
      field: 'horaires',
      value: cell.value,
      rule: `horaires illisibles (colonne ${cell.column}) : horaires laissés vides`,
    }));
    const itinerant = textOf(row.itinerance);
    if (itinerant) standard.itinerance = /^oui$/i.test(itinerant) ? 'Itinérant' : 'Fixe';
    if (isFranceServices) standard.dispositif_programmes_nationaux = 'France Services';
    standard.source ??= defaultSource;
    return { row: standard, notes };
  };
}

export interface DetectedFormat {
  format: FileFormat;
  adapt: RowAdapter;
}

/**
 * The format of a file with these columns, or undefined when it is none of the known ones and no
 * mapping is given. A mapping, when given, always wins.
 */
export function detectFormat(
  columnList: string[],
  options: { mapping?: FileMapping; source: string },
): DetectedFormat | undefined {
  const columns = new Set(columnList);
  if (options.mapping) {
    const mapping = options.mapping;
    return {
      format: 'correspondance',
      adapt: (row) => ({ row: { source: options.source, ...applyMapping(mapping, row, columnList) }, notes: [] }),
    };
  }
  const asIs: RowAdapter = (row) => ({ row: { ...row, source: textOf(row.source) ?? options.source }, notes: [] });
  // Not a single row nor column (an empty JSON list): an empty file of the standard, with nothing to write.
  if (columnList.length === 0) return { format: 'standard-v1', adapt: asIs };
  const placeColumns = has(columns, 'nom') && has(columns, 'adresse', 'code_postal', 'commune');
  if (
    placeColumns &&
    has(columns, 'siret', 'horaires_ouverture', 'thematiques', 'horaires_accueil', 'reseaux_porteurs')
  ) {
    const version = has(columns, 'horaires_accueil', 'reseaux_porteurs', 'description') ? 'v1' : 'v0';
    return { format: `data-inclusion-${version}`, adapt: dataInclusionAdapter(version, options.source) };
  }
  if (
    placeColumns &&
    has(columns, 'labels_nationaux', 'conditions_acces', 'conditions_access', 'publics_accueillis', 'courriel')
  )
    return { format: 'standard-v0.1', adapt: asIs };
  if (
    placeColumns &&
    has(
      columns,
      'courriels',
      'services',
      'dispositif_programmes_nationaux',
      'frais_a_charge',
      'modalites_acces',
      'modalites_accompagnement',
      'publics_specifiquement_adresses',
      'pivot',
    )
  )
    return { format: 'standard-v1', adapt: asIs };
  // A file of the standard's own columns only (the required ones and a few more) is the standard too.
  const extensions = ['labels', 'location_precision'];
  if (
    placeColumns &&
    columnList.every((c) => (STANDARD_FIELDS as readonly string[]).includes(c) || extensions.includes(c))
  )
    return { format: 'standard-v1', adapt: asIs };
  const dayColumns = dayColumnsOf(columnList);
  const guesses = guessColumns(columnList);
  if (dayColumns && guesses.nom && (guesses.adresse || guesses.commune))
    return { format: 'horaires-par-jour', adapt: dayColumnsAdapter(columnList, dayColumns, options.source) };
  return undefined;
}
