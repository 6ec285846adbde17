import type { ImportFileReport } from '../opendata/import/import-file.service.js';

const OUTCOME_LABELS = {
  created: 'Serait créé',
  updated: 'Mettrait à jour un lieu',
  unchanged: 'Inchangé (déjà importé)',
  merged: 'Serait fusionné avec un lieu existant',
  rejected: 'Rejeté',
} as const;

const text = (value: unknown): string => {
  if (Array.isArray(value)) return value.map(text).join(' | ');
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : JSON.stringify(value);
};

/** The preview's table: each row read, what would happen to it, and what was repaired or refused. */
export function previewRows(report: ImportFileReport) {
  const outcomes = new Map(report.outcomes.map((outcome) => [outcome.row, outcome]));
  const notes = (list: ImportFileReport['repairs'], row: number) =>
    list
      .filter((issue) => issue.row === row)
      .map((issue) => ({ field: issue.field, value: text(issue.value), rule: issue.rule }));
  return {
    format: report.format,
    rows: report.records.map(({ row, record }) => {
      const outcome = outcomes.get(row)?.outcome ?? 'rejected';
      return {
        row,
        outcome: OUTCOME_LABELS[outcome],
        rejected: outcome === 'rejected',
        nom: text(record.nom),
        adresse: [text(record.adresse), [text(record.code_postal), text(record.commune)].join(' ').trim()]
          .filter(Boolean)
          .join(', '),
        horaires: text(record.horaires),
        contact: [text(record.telephone), text(record.courriels), text(record.site_web)].filter(Boolean).join(' · '),
        rejections: notes(report.rejections, row),
        repairs: [...notes(report.repairs, row), ...notes(report.setAside, row)],
      };
    }),
  };
}
