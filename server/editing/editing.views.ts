import { RESUME_MAX_LENGTH } from '../places/standard.js';
import type { Place } from '../places/places.types.js';
import type { FormErrors } from '../shared/forms.js';
import {
  DAY_NAMES,
  DAYS,
  EXCEPTIONS,
  SLOTS,
  closureField,
  gridToForm,
  openingHoursToGrid,
  slotField,
  type HoursGrid,
} from '../../common/hours-grid.js';
import type { Revision } from '../places/places.read.js';
import {
  CHOICES,
  FIELD_LABELS,
  displayValue,
  fieldLabel,
  formValueOf,
  sameValue,
  valueOf,
  type EditableField,
  type Section,
} from './sections.js';

type Kind = 'text' | 'textarea' | 'checkboxes' | 'number' | 'url' | 'tel' | 'lines';

const KINDS: Partial<Record<EditableField, Kind>> = {
  latitude: 'number',
  longitude: 'number',
  presentation_resume: 'textarea',
  presentation_detail: 'textarea',
  prise_rdv: 'url',
  fiche_acces_libre: 'url',
  telephone: 'tel',
  courriels: 'lines',
  site_web: 'lines',
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
export function sectionFields(
  section: Section,
  values: Record<string, unknown>,
  errors: FormErrors = {},
  notes: Record<string, FieldNote> = {},
) {
  return section.fields.map((name) => {
    const kind: Kind = CHOICES[name] ? 'checkboxes' : (KINDS[name] ?? 'text');
    const value = values[name];
    const selected = Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [];
    return {
      name,
      label: FIELD_LABELS[name],
      hint: HINTS[name],
      error: errors[name],
      note: notes[name],
      value: Array.isArray(value) && kind !== 'checkboxes' ? value.join('\n') : (value ?? ''),
      maxlength: name === 'presentation_resume' ? RESUME_MAX_LENGTH : undefined,
      isText: kind === 'text',
      isTextarea: kind === 'textarea' || kind === 'lines',
      isNumber: kind === 'number',
      isUrl: kind === 'url',
      isTel: kind === 'tel',
      isCheckboxes: kind === 'checkboxes',
      options: (CHOICES[name] ?? []).map((option, i) => ({
        value: option,
        id: `${name}-${i}`,
        checked: selected.includes(option),
      })),
    };
  });
}

export const placeFormValues = (place: Place, section: Section) =>
  Object.fromEntries(section.fields.map((field) => [field, formValueOf(field, valueOf(place, field))]));

/** The grid rows of the hours form, filled from the grid's form fields. */
export function hoursGridRows(fields: Record<string, unknown>, errors: FormErrors = {}) {
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '');
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

const ROLE_WORDS = {
  mediator: 'l’équipe du lieu',
  moderator: 'la modération',
  admin: 'la modération',
  system: 'EPN Finder',
} as const;
const KIND_WORDS = {
  edit: 'Modification',
  revert: 'Retour à une version antérieure',
  verify: 'Informations confirmées',
  labels: 'Labels',
  create: 'Création',
} as const;

const STATUS_FIELDS: Partial<Record<string, string>> = { status: 'Statut', motif: 'Motif' };
const STATUS_WORDS: Record<string, string> = { published: 'En ligne', hidden: 'Masqué' };

export function revisionView(revision: Revision, options: { canRevert?: boolean } = {}) {
  return {
    id: revision.id,
    version: revision.version,
    at: revision.createdAt,
    who: revision.userEmail ?? 'compte supprimé',
    by: ROLE_WORDS[revision.authorRole],
    kind:
      revision.section === 'statut'
        ? 'status' in revision.changes && revision.changes.status.new === 'hidden'
          ? 'Lieu masqué'
          : 'Lieu republié'
        : KIND_WORDS[revision.kind],
    isVerify: revision.kind === 'verify',
    revertsRevisionId: revision.revertsRevisionId,
    canRevert:
      options.canRevert &&
      revision.section !== 'statut' &&
      (revision.kind === 'edit' || revision.kind === 'revert' || revision.kind === 'create'),
    changes: Object.entries(revision.changes).map(([field, change]) => ({
      field: STATUS_FIELDS[field] ?? fieldLabel(field),
      old:
        field === 'status'
          ? (STATUS_WORDS[String(change.old)] ?? '—')
          : field === 'verified_at'
            ? change.old
              ? new Date(change.old as string).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })
              : '—'
            : displayValue(change.old),
      new:
        field === 'status'
          ? (STATUS_WORDS[String(change.new)] ?? '—')
          : field === 'verified_at'
            ? new Date(change.new as string).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })
            : displayValue(change.new),
    })),
  };
}

// ---------- Conflicts: a three-way comparison ----------

/**
 * What happened to one field between the version my form was read at (base) and my save:
 * - unchanged: nobody changed it;
 * - theirs: only the other person changed it → the form takes their value;
 * - mine: only I changed it → the form keeps mine;
 * - same: we both made the same change;
 * - clash: we both changed it differently → the form keeps mine and the field asks for a choice.
 */
type MergeState = 'unchanged' | 'theirs' | 'mine' | 'same' | 'clash';

export interface FieldMerge {
  field: EditableField;
  base: unknown;
  theirs: unknown;
  mine: unknown;
  state: MergeState;
  keepMine: boolean;
}

export interface FieldNote {
  clash: boolean;
  text: string;
  theirs: string;
}

/** Lists are compared as sets (checkbox order is the form's, not the stored one). */
const sameForMerge = (a: unknown, b: unknown) => {
  const norm = (v: unknown) =>
    Array.isArray(v) ? (v as unknown[]).map(String).sort() : v === '' || v === undefined ? null : v;
  return sameValue(norm(a), norm(b));
};

/**
 * Three-way merge of a stale save. `revisionsSince` are the edits after my form's version
 * (any order): the oldest `old` of each field is its value when my form was read. A field no
 * revision touched is still as I read it.
 */
export function mergeConflict(
  fields: EditableField[],
  current: Place,
  revisionsSince: Revision[],
  mine: Record<string, unknown>,
): FieldMerge[] {
  const base: Partial<Record<EditableField, unknown>> = {};
  // Newest first, each revision overwriting: what remains is the oldest revision's `old`.
  const newestFirst = [...revisionsSince].sort((a, b) => b.id - a.id);
  for (const field of fields) base[field] = valueOf(current, field);
  for (const revision of newestFirst) {
    for (const [field, change] of Object.entries(revision.changes)) {
      if ((fields as string[]).includes(field)) base[field as EditableField] = change.old;
    }
  }
  return fields.map((field) => {
    const theirs = valueOf(current, field);
    const iChanged = !sameForMerge(mine[field], base[field]);
    const theyChanged = !sameForMerge(theirs, base[field]);
    const state: MergeState = !iChanged
      ? theyChanged
        ? 'theirs'
        : 'unchanged'
      : !theyChanged
        ? 'mine'
        : sameForMerge(mine[field], theirs)
          ? 'same'
          : 'clash';
    return {
      field,
      base: base[field],
      theirs,
      mine: mine[field],
      state,
      keepMine: state === 'mine' || state === 'clash',
    };
  });
}

const MERGE_WORDS: Record<MergeState, string> = {
  unchanged: 'inchangé',
  theirs: 'modifié par l’autre personne : sa valeur est reprise',
  mine: 'modifié par vous seulement : votre saisie est gardée',
  same: 'même modification des deux côtés',
  clash: 'modifié des deux côtés : à vous de choisir',
};

/** The conflict table (fields someone changed) and the notes shown next to the form's fields. */
export function conflictView(merges: FieldMerge[]) {
  const rows = merges
    .filter((m) => m.state !== 'unchanged')
    .map((m) => ({
      label: FIELD_LABELS[m.field],
      base: displayValue(m.base),
      theirs: displayValue(m.theirs),
      mine: displayValue(m.mine),
      state: MERGE_WORDS[m.state],
      clash: m.state === 'clash',
      differs: m.state === 'clash',
    }));
  const notes: Record<string, FieldNote> = {};
  for (const m of merges) {
    if (m.state === 'clash') {
      notes[m.field] = {
        clash: true,
        theirs: displayValue(m.theirs),
        text:
          'Modifié aussi par l’autre personne. ' +
          'Votre saisie est gardée ci-dessous ; sa valeur, en ligne maintenant :',
      };
    } else if (m.state === 'theirs') {
      notes[m.field] = {
        clash: false,
        theirs: displayValue(m.theirs),
        text: 'Modifié entre-temps par l’autre personne ; sa valeur est reprise ci-dessous :',
      };
    }
  }
  return { rows, notes, clashes: rows.filter((r) => r.clash).length };
}
