import type { Response } from 'express';
import { errorSummary, type FormErrors } from '../shared/forms.js';
import { placePath } from '../places/places.mapping.js';
import type { Place } from '../places/places.types.js';
import type { Clock } from '../shared/clock.js';
import { completeness, freshness } from './completeness.js';
import type { SaveResult } from './editing.service.js';
import {
  conflictView,
  gridFieldsFromPlace,
  hoursGridRows,
  mergeConflict,
  revisionView,
  sectionFields,
  type FieldNote,
} from './editing.views.js';
import { SECTIONS, formValueOf, type Section } from './sections.js';

/** The fields of a form that belong to a section (the rest of the body is ignored). */
export function pick(body: Record<string, unknown>, fields: string[]) {
  return Object.fromEntries(fields.map((f) => [f, body[f]]));
}

/** The place's name, links, completeness and freshness, above every management page. */
export function placeHeader(place: Place, now: Date) {
  return { place, placeUrl: placePath(place), completeness: completeness(place), freshness: freshness(place, now) };
}

/** The section forms of a place's management pages: shown, shown back with errors, or in conflict. */
export function createSectionRenderer(deps: { clock: Clock; map?: { tilesUrl: string; attribution: string } }) {
  const { clock } = deps;

  function renderSection(
    res: Response,
    status: number,
    place: Place,
    section: Section,
    view: {
      values: Record<string, unknown>;
      errors?: FormErrors;
      version: number;
      conflict?: unknown;
      raw?: string;
      fitsGrid?: boolean;
      notes?: Record<string, FieldNote>;
    },
  ) {
    const errors = view.errors ?? {};
    const common = {
      pageTitle: `${section.title} — ${place.nom}`,
      nav: 'account',
      ...placeHeader(place, clock.now()),
      section,
      sectionsNav: SECTIONS.map((s) => ({ slug: s.slug, title: s.title, current: s.slug === section.slug })),
      version: view.version,
      errorList: errorSummary(errors),
      conflict: view.conflict,
    };
    if (section.slug === 'horaires') {
      return res.status(status).render('pages/editing/hours', {
        ...common,
        scripts: ['/static/build/hours-grid.js'],
        grid: hoursGridRows(view.values, errors),
        raw: view.raw ?? '',
        rawError: errors.horaires,
        hoursNote: view.notes?.horaires,
        fitsGrid: view.fitsGrid !== false,
      });
    }
    const pin =
      section.slug === 'general'
        ? { scripts: ['/static/build/place-pin.js'], stylesheets: ['/static/build/place-pin.css'], map: deps.map }
        : {};
    res.status(status).render('pages/editing/section', {
      ...common,
      ...pin,
      fields: sectionFields(section, view.values, errors, view.notes),
    });
  }

  /**
   * A stale save (409). For a section form: each field I did not change takes the value online now,
   * each field only I changed keeps what I typed, and fields we both changed keep mine and are
   * flagged for a choice (a three-way comparison with the version my form was read at).
   */
  function renderConflict(
    res: Response,
    result: Extract<SaveResult, { status: 'conflict' }>,
    section: Section | null,
    mine: Record<string, unknown>,
    extra: { raw?: string; body?: Record<string, unknown> } = {},
  ) {
    const place = result.current;
    const revisions = result.revisions.map((r) => revisionView(r));
    if (!section) {
      return res.status(409).render('pages/editing/conflict', {
        pageTitle: 'Conflit de modification',
        ...placeHeader(place, clock.now()),
        conflict: { rows: [], revisions },
        version: place.version,
      });
    }
    const merges = mergeConflict(section.fields, place, result.revisions, mine);
    const { rows, notes, clashes } = conflictView(merges);
    const conflict = { rows, revisions, clashes };
    const body = extra.body ?? {};
    if (section.slug === 'horaires') {
      if (merges[0]?.keepMine)
        return renderSection(res, 409, place, section, {
          values: body,
          version: place.version,
          conflict,
          raw: extra.raw,
          notes,
        });
      const { fields, fitsGrid } = gridFieldsFromPlace(place.horaires);
      return renderSection(res, 409, place, section, {
        values: fields,
        version: place.version,
        conflict,
        raw: place.horaires ?? '',
        fitsGrid,
        notes,
      });
    }
    const values = Object.fromEntries(
      merges.map((m) => [m.field, m.keepMine ? body[m.field] : formValueOf(m.field, m.theirs)]),
    );
    renderSection(res, 409, place, section, { values, version: place.version, conflict, notes });
  }

  return { renderSection, renderConflict };
}
