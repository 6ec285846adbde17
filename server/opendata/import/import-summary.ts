import { stringify } from 'csv-stringify/sync';
import { FORMAT_LABELS } from './file-formats.js';
import type { ImportFileReport, UnknownFileFormatError } from './import-file.service.js';

const ENCODING_LABELS = { 'utf-8': 'UTF-8', 'windows-1252': 'Windows-1252 (Latin-1)' } as const;
const OUTCOME_LABELS = {
  created: 'créé',
  updated: 'mis à jour',
  unchanged: 'inchangé',
  merged: 'fusionné',
  rejected: 'rejeté',
} as const;

/** The `--json` object: exactly the fields the command documents. */
export function jsonSummary(report: ImportFileReport) {
  return {
    file: report.file,
    format: report.format,
    encoding: report.encoding,
    read: report.read,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    merged: report.merged,
    rejected: report.rejected,
    rejections: report.rejections.map((r) => ({ row: r.row, field: r.field, value: r.value, rule: r.rule })),
  };
}

const shown = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** The readable summary (French), `limit` examples per list. */
export function describeImport(report: ImportFileReport, limit = 10): string {
  const lines = [
    `${report.file} : ${FORMAT_LABELS[report.format]}, encodage ${ENCODING_LABELS[report.encoding]}.`,
    `${report.read} lignes lues : ${report.created} créées, ${report.updated} mises à jour, ` +
      `${report.unchanged} inchangées, ${report.merged} fusionnées avec un lieu existant, ${report.rejected} rejetées.`,
  ];
  if (report.dryRun) lines.push('Essai à blanc (--dry-run) : rien n’a été enregistré.');
  if (report.placedAtCommune)
    lines.push(`${report.placedAtCommune} lieux sans coordonnées placés au centre de leur commune.`);
  const list = (title: string, items: { row: number; field: string; value: unknown; rule: string }[]) => {
    if (!items.length) return;
    lines.push(`${title} (${items.length}) :`);
    for (const item of items.slice(0, limit))
      lines.push(`  ligne ${item.row}, ${item.field} = ${shown(item.value)} : ${item.rule}`);
    if (items.length > limit) lines.push(`  … et ${items.length - limit} autres (--report pour tout voir).`);
  };
  list('Rejets', report.rejections);
  list('Réparations', report.repairs);
  list('Valeurs mises de côté (gardées dans import_issues)', report.setAside);
  return lines.join('\n');
}

/** `--report out.csv`: one line per row of the file, with its outcome. */
export function outcomesCsv(report: ImportFileReport): string {
  return stringify(
    report.outcomes.map((o) => [
      o.row,
      o.source ?? '',
      o.sourceId ?? '',
      OUTCOME_LABELS[o.outcome],
      o.placeId ?? '',
      o.detail,
    ]),
    { header: true, columns: ['ligne', 'source', 'id', 'resultat', 'lieu', 'detail'] },
  );
}

/** Exit code 2's message: what the file holds, what is missing, how to write a mapping. */
export function describeUnknownFormat(error: UnknownFileFormatError): string {
  const example = {
    source: 'mon-reseau',
    fields: {
      nom: error.guesses.nom,
      adresse: { column: 'Adresse complète', transform: 'address' },
      code_postal: { column: 'Adresse complète', transform: 'address' },
      commune: { column: 'Adresse complète', transform: 'address' },
      services: {
        column: 'Services',
        separator: ',',
        values: { 'Accès libre': 'Accès internet et matériel informatique' },
      },
      horaires: { transform: 'half-day-hours' },
      latitude: { transform: 'coordinates', columns: ['lat', 'lon'] },
      longitude: { transform: 'coordinates', columns: ['lat', 'lon'] },
      date_maj: { column: 'Mise à jour', transform: 'date', format: 'jj/mm/aaaa' },
    },
  };
  return [
    'Format de fichier inconnu : ni le standard « Lieux de médiation numérique » (v1 ou v0.1), ni data·inclusion,',
    'ni une liste avec une colonne d’horaires par jour. Rien n’a été enregistré.',
    `Colonnes trouvées (${error.columns.length}) : ${error.columns.join(', ') || '(aucune)'}`,
    `Champs du standard introuvables : ${error.fieldsNotFound.join(', ') || '(aucun)'}`,
    'Décrivez le fichier dans une correspondance et relancez avec --mapping correspondance.json, par exemple :',
    JSON.stringify(example, null, 2),
    'Transformations : separator (liste), values (remplacer des valeurs), half-day-hours (colonnes par jour ou',
    'demi-journée), coordinates (deux colonnes ou une cellule « lat,lon »),',
    'address (« adresse - code postal commune »),',
    'date (format jj/mm/aaaa, mm/jj/aaaa ou aaaa-mm-jj). Voir docs/opendata.md.',
  ].join('\n');
}
