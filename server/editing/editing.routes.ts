import { Router, type Response } from 'express';
import { z } from 'zod';
import { requireUser, signedInUser } from '../accounts/auth.middleware.js';
import { errorSummary, parseForm, type FormErrors } from '../shared/forms.js';
import { positiveInt } from '../accounts/accounts.schemas.js';
import { NotFoundError } from '../http/errors.js';
import { parseOrThrow } from '../http/validation.js';
import { placePath } from '../places/places.mapping.js';
import type { Clock } from '../shared/clock.js';
import { isModerator, type EditingService } from './editing.service.js';
import { createSectionRenderer, pick, placeHeader } from './section-forms.js';
import { gridFieldsFromPlace, placeFormValues, revisionView, sectionFields } from './editing.views.js';
import { gridFromForm, gridToOpeningHours } from '../../common/hours-grid.js';
import { normaliseOpeningHours } from '../shared/opening-hours.js';
import { FIELD_LABELS, SECTIONS, displayValue, sectionBySlug, valueOf } from './sections.js';

const idParams = z.object({ id: positiveInt() });
const revisionParams = z.object({ id: positiveInt(), revision: positiveInt() });
const versionBody = z.object({
  version: positiveInt('Version du formulaire manquante ou invalide : rechargez la page.'),
});
const idList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
  z.array(positiveInt('Label inconnu.')).max(100),
);
const labelsBody = z.object({ add: idList, remove: idList });
const claimBody = z.object({
  message: z
    .string()
    .trim()
    .max(1000, 'Message trop long (1000 caractères au plus).')
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v)),
});

const MESSAGES: Record<string, { text: string; kind?: string }> = {
  enregistre: { text: 'Modifications enregistrées : elles sont en ligne.', kind: 'success' },
  inchange: { text: 'Aucune modification à enregistrer.' },
  verifie: { text: 'Merci ! La fiche est marquée à jour aujourd’hui.', kind: 'success' },
  retabli: { text: 'La version choisie est rétablie (une nouvelle version a été créée).', kind: 'success' },
  'labels-demandes': { text: 'Demande envoyée : un modérateur vérifiera ces labels avant leur publication.' },
  'labels-appliques': { text: 'Labels mis à jour.', kind: 'success' },
  'gestion-acceptee': {
    text: 'Votre adresse correspond à celle du lieu : vous pouvez le gérer dès maintenant.',
    kind: 'success',
  },
  'demande-envoyee': { text: 'Demande envoyée : un modérateur va la vérifier. Vous serez prévenu·e par e-mail.' },
  'deja-gestionnaire': { text: 'Vous gérez déjà ce lieu.' },
  'proposition-envoyee': { text: 'Merci ! Le lieu sera publié après vérification par la modération.', kind: 'success' },
  'verification-envoyee': { text: 'Un nouveau lien de confirmation vient d’être envoyé.' },
};
const messageOf = (value: unknown) => (typeof value === 'string' ? MESSAGES[value] : undefined);

/** A moderator's revoke form sent back (server/moderation/moderation.routes.ts): which one, and why. */
const REVOKE_PROBLEMS: Record<string, string> = {
  'motif-manquant': 'Indiquez le motif du retrait : il est envoyé à la personne concernée.',
  'motif-trop-long': 'Motif trop long (1000 caractères au plus).',
};
function revokeProblemOf(query: Record<string, unknown>) {
  const id = Number(query.retrait);
  const message = typeof query.probleme === 'string' ? REVOKE_PROBLEMS[query.probleme] : undefined;
  return Number.isSafeInteger(id) && id > 0 && message ? { id, message } : undefined;
}

/** "Mon espace", claims, section edit forms, history and revert, label requests, new places. */
export function editingRoutes(deps: {
  editing: EditingService;
  clock: Clock;
  map?: { tilesUrl: string; attribution: string };
}) {
  const { editing, clock } = deps;
  const router = Router();
  const user = (res: Response) => signedInUser(res);

  router.get('/mon-espace', requireUser, async (req, res) => {
    const data = await editing.dashboard(user(res));
    res.render('pages/editing/dashboard', {
      pageTitle: 'Mon espace',
      nav: 'account',
      message: messageOf(req.query.message),
      ...data,
      isModerator: isModerator(user(res)),
    });
  });

  // ---------- Claim a place ----------

  router.get('/mon-espace/lieux/:id/demande', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const place = await editing.getPlace(id);
    const claim = await editing.claimOf(id, user(res).id);
    res.render('pages/editing/claim', {
      pageTitle: `Gérer ${place.nom}`,
      place,
      placeUrl: placePath(place),
      claim,
      nav: 'account',
    });
  });

  router.post('/mon-espace/lieux/:id/demande', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const { message } = parseOrThrow(claimBody, req.body);
    const before = await editing.claimOf(id, user(res).id);
    const result = await editing.claim(user(res), id, message);
    if (before?.status === 'approved') return res.redirect(303, `/mon-espace/lieux/${id}?message=deja-gestionnaire`);
    if (result.status === 'approved') return res.redirect(303, `/mon-espace/lieux/${id}?message=gestion-acceptee`);
    res.redirect(303, '/mon-espace?message=demande-envoyee');
  });

  // ---------- Propose a new place ----------

  const renderProposal = (res: Response, status: number, values: Record<string, unknown>, errors: FormErrors = {}) =>
    res.status(status).render('pages/editing/propose', {
      pageTitle: 'Proposer un nouveau lieu',
      nav: 'account',
      fields: PROPOSAL_SECTIONS.flatMap((s) => sectionFields(s, values, errors)),
      errorList: errorSummary(errors),
      // The same pin as the general section's page; without one, the commune's centre is used on acceptance.
      scripts: ['/static/build/place-pin.js'],
      stylesheets: ['/static/build/place-pin.css'],
      map: deps.map,
    });

  router.get('/mon-espace/nouveau-lieu', requireUser, (_req, res) => renderProposal(res, 200, {}));

  router.post('/mon-espace/nouveau-lieu', requireUser, async (req, res) => {
    // No body at all (or one of a type no parser reads) leaves req.body undefined: an empty form.
    const body = (req.body ?? {}) as Record<string, unknown>;
    let errors: FormErrors = {};
    const record: Record<string, unknown> = {};
    for (const section of PROPOSAL_SECTIONS) {
      const parsed = parseForm(section.schema, pick(body, section.fields));
      if (parsed.ok) Object.assign(record, parsed.data);
      else errors = { ...errors, ...parsed.errors };
    }
    if (Object.keys(errors).length) return renderProposal(res, 400, body, errors);
    await editing.propose(user(res), record);
    res.redirect(303, '/mon-espace?message=proposition-envoyee');
  });

  // ---------- One place: overview, confirm, history, revert, labels ----------

  router.get('/mon-espace/lieux/:id', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const place = await editing.placeToManage(user(res), id);
    res.render('pages/editing/place', {
      pageTitle: `Gérer ${place.nom}`,
      nav: 'account',
      ...placeHeader(place, clock.now()),
      message: messageOf(req.query.message),
      sections: SECTIONS.map((s) => ({
        slug: s.slug,
        title: s.title,
        values: s.fields.map((f) => ({ label: FIELD_LABELS[f], value: displayValue(valueOf(place, f)) })),
      })),
      managers: await editing.managersOfPlace(id),
      isModerator: isModerator(user(res)),
      revokeProblem: revokeProblemOf(req.query),
    });
  });

  router.post('/mon-espace/lieux/:id/verifier', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    await editing.confirmUpToDate(user(res), id);
    res.redirect(303, `/mon-espace/lieux/${id}?message=verifie`);
  });

  router.get('/mon-espace/lieux/:id/historique', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const { place, revisions } = await editing.history(user(res), id);
    res.render('pages/editing/history', {
      pageTitle: `Historique — ${place.nom}`,
      nav: 'account',
      ...placeHeader(place, clock.now()),
      revisions: revisions.map((r, i) => revisionView(r, { canRevert: i > 0 })),
      isModerator: isModerator(user(res)),
      placeHidden: place.status === 'hidden',
      notice:
        req.query.message === 'masque'
          ? 'Lieu masqué : il n’apparaît plus sur le site.'
          : req.query.message === 'republie'
            ? 'Lieu republié : il est de nouveau en ligne.'
            : undefined,
    });
  });

  router.post('/mon-espace/lieux/:id/historique/:revision/retablir', requireUser, async (req, res) => {
    const { id, revision } = parseOrThrow(revisionParams, req.params);
    const { version } = parseOrThrow(versionBody, req.body);
    const result = await editing.revert(user(res), id, revision, version);
    if (result.status === 'conflict') return renderConflict(res, result, null, {});
    res.redirect(303, `/mon-espace/lieux/${id}?message=${result.status === 'saved' ? 'retabli' : 'inchange'}`);
  });

  router.get('/mon-espace/lieux/:id/labels', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const view = await editing.labelsView(user(res), id);
    const current = view.links.filter((l) => l.status === 'verified');
    const currentIds = new Set(current.map((l) => l.labelId));
    const pendingIds = new Set(view.requests.map((r) => r.labelId));
    res.render('pages/editing/labels', {
      pageTitle: `Labels — ${view.place.nom}`,
      nav: 'account',
      ...placeHeader(view.place, clock.now()),
      current: current.map((l) => ({ ...l, pending: pendingIds.has(l.labelId) })),
      available: view.labels.filter((l) => !currentIds.has(l.id) && !pendingIds.has(l.id)),
      requests: view.requests,
      isModerator: isModerator(user(res)),
    });
  });

  router.post('/mon-espace/lieux/:id/labels', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const change = parseOrThrow(labelsBody, req.body);
    const result = await editing.changeLabels(user(res), id, change);
    res.redirect(303, `/mon-espace/lieux/${id}?message=${result.applied ? 'labels-appliques' : 'labels-demandes'}`);
  });

  const { renderSection, renderConflict } = createSectionRenderer(deps);

  router.get('/mon-espace/lieux/:id/:section', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const section = sectionBySlug(String(req.params.section));
    if (!section) throw new NotFoundError();
    const place = await editing.placeToManage(user(res), id);
    if (section.slug === 'horaires') {
      const { fields, fitsGrid } = gridFieldsFromPlace(place.horaires);
      return renderSection(res, 200, place, section, {
        values: fields,
        version: place.version,
        raw: place.horaires ?? '',
        fitsGrid,
      });
    }
    renderSection(res, 200, place, section, { values: placeFormValues(place, section), version: place.version });
  });

  router.post('/mon-espace/lieux/:id/:section', requireUser, async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params);
    const section = sectionBySlug(String(req.params.section));
    if (!section) throw new NotFoundError();
    const { version } = parseOrThrow(versionBody, req.body);
    // Who may save is decided by editing.saveFields; a form sent back with its errors shows the
    // place, so it is read (and the right to manage it decided) only then.
    const place = () => editing.placeToManage(user(res), id);
    const body = req.body as Record<string, unknown>;
    let input: Record<string, unknown> = pick(body, section.fields);
    let raw: string | undefined;
    if (section.slug === 'horaires') {
      raw = typeof body.horaires_brut === 'string' ? body.horaires_brut : '';
      if (body.mode === 'brut') {
        input = { horaires: raw.trim() ? normaliseOpeningHours(raw) : '' };
      } else {
        const { grid, errors } = gridFromForm(body);
        if (Object.keys(errors).length)
          return renderSection(res, 400, await place(), section, { values: body, errors, version, raw });
        input = { horaires: gridToOpeningHours(grid) ?? '' };
        raw = (input.horaires as string) || raw;
      }
    }
    const parsed = parseForm(section.schema, input);
    if (!parsed.ok)
      return renderSection(res, 400, await place(), section, {
        values: section.slug === 'horaires' ? body : body,
        errors: parsed.errors,
        version,
        raw,
        fitsGrid: body.mode !== 'brut',
      });
    const result = await editing.saveFields(user(res), id, version, parsed.data, {
      kind: 'edit',
      section: section.slug,
    });
    if (result.status === 'conflict') {
      return renderConflict(res, result, section, parsed.data, { raw, body });
    }
    res.redirect(303, `/mon-espace/lieux/${id}?message=${result.status === 'saved' ? 'enregistre' : 'inchange'}`);
  });

  return router;
}

const PROPOSAL_SECTIONS = SECTIONS.filter((s) => ['general', 'contacts', 'description'].includes(s.slug));
