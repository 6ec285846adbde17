import { RESUME_MAX_LENGTH } from '../places/standard.js';
import type { Place } from '../places/places.types.js';
import type { FormErrors } from '../accounts/forms.js';
import { DAY_NAMES, DAYS, EXCEPTIONS, SLOTS, closureField, gridToForm, openingHoursToGrid, slotField, type HoursGrid } from './hours-grid.js';
import type { Revision } from './place-edits.repository.js';
import { CHOICES, FIELD_LABELS, displayValue, formValueOf, valueOf, type EditableField, type Section } from './sections.js';

type Kind = 'text' | 'textarea' | 'checkboxes' | 'number' | 'url' | 'tel' | 'lines';

const KINDS: Partial<Record<EditableField, Kind>> = {
  latitude: 'number', longitude: 'number', presentation_resume: 'textarea', presentation_detail: 'textarea',
  prise_rdv: 'url', fiche_acces_libre: 'url', telephone: 'tel', courriels: 'lines', site_web: 'lines',
};

const HINTS: Partial<Record<EditableField, string>> = {
  latitude: 'Degrés décimaux, par exemple 43.4053. Placez l’épingle sur la carte pour la remplir.',
  longitude: 'Degrés décimaux, par exemple 5.0475.',
  telephone: 'Par exemple 04 42 00 00 00 ou +33442000000.',
  courriels: 'Une adresse par ligne.',
  site_web: 'Une adresse par ligne, commençant par https://',
  presentation_resume: `Au plus ${RESUME_MAX_LENGTH} caractères : ce que le lieu propose, en une ou deux phrases.`,
};

/** The fields of a section as the template shows them, from the place or from what was posted. */
export function sectionFields(section: Section, values: Record<string, unknown>, errors: FormErrors = {}) {
  return section.fields.map((name) => {
    const kind: Kind = CHOICES[name] ? 'checkboxes' : (KINDS[name] ?? 'text');
    const value = values[name];
    const selected = Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [];
    return {
      name,
      label: FIELD_LABELS[name],
      hint: HINTS[name],
      error: errors[name],
      value: Array.isArray(value) && kind !== 'checkboxes' ? value.join('\n') : (value ?? ''),
      maxlength: name === 'presentation_resume' ? RESUME_MAX_LENGTH : undefined,
      isText: kind === 'text', isTextarea: kind === 'textarea' || kind === 'lines', isNumber: kind === 'number', isUrl: kind === 'url', isTel: kind === 'tel',
      isCheckboxes: kind === 'checkboxes',
      options: (CHOICES[name] ?? []).map((option, i) => ({ value: option, id: `${name}-${i}`, checked: selected.includes(option) })),
    };
  });
}

export const placeFormValues = (place: Place, section: Section) =>
  Object.fromEntries(section.fields.map((field) => [field, formValueOf(field, valueOf(place, field))]));

/** The grid rows of the hours form, filled from the grid's form fields. */
export function hoursGridRows(fields: Record<string, unknown>, errors: FormErrors = {}) {
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  return {
    days: DAYS.map((day) => ({
      day,
      name: DAY_NAMES[day],
      slots: Array.from({ length: SLOTS }, (_, i) => {
        const from = slotField(day, i, 'from');
        const to = slotField(day, i, 'to');
        return { index: i + 1, fromName: from, toName: to, from: text(from), to: text(to), error: errors[from] };
      }),
      errors: Array.from({ length: SLOTS }, (_, i) => errors[slotField(day, i, 'from')]).filter(Boolean),
    })),
    phClosed: fields.ph_closed === true || fields.ph_closed === 'on',
    closures: Array.from({ length: EXCEPTIONS }, (_, i) => {
      const from = closureField(i, 'from');
      const to = closureField(i, 'to');
      return { index: i + 1, fromName: from, toName: to, from: text(from), to: text(to), error: errors[from] };
    }),
  };
}

export function gridFieldsFromPlace(horaires: string | null): { fields: Record<string, unknown>; fitsGrid: boolean } {
  const grid: HoursGrid | null = openingHoursToGrid(horaires);
  return grid ? { fields: gridToForm(grid), fitsGrid: true } : { fields: {}, fitsGrid: false };
}

const ROLE_WORDS = { mediator: 'l’équipe du lieu', moderator: 'la modération', admin: 'la modération', system: 'EPN Finder' } as const;
const KIND_WORDS = { edit: 'Modification', revert: 'Retour à une version antérieure', verify: 'Informations confirmées', labels: 'Labels', create: 'Création' } as const;

export function revisionView(revision: Revision, options: { canRevert?: boolean } = {}) {
  return {
    id: revision.id,
    version: revision.version,
    at: revision.createdAt,
    who: revision.userEmail ?? 'compte supprimé',
    by: ROLE_WORDS[revision.authorRole],
    kind: KIND_WORDS[revision.kind],
    isVerify: revision.kind === 'verify',
    revertsRevisionId: revision.revertsRevisionId,
    canRevert: options.canRevert && (revision.kind === 'edit' || revision.kind === 'revert' || revision.kind === 'create'),
    changes: Object.entries(revision.changes).map(([field, change]) => ({
      field: FIELD_LABELS[field as EditableField] ?? field,
      old: field === 'verified_at' ? (change.old ? new Date(change.old as string).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }) : '—') : displayValue(change.old),
      new: field === 'verified_at' ? new Date(change.new as string).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }) : displayValue(change.new),
    })),
  };
}
