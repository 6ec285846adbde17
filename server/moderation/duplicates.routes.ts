import { Router, type Response } from 'express';
import { z } from 'zod';
import { requireUser, signedInUser } from '../accounts/auth.middleware.js';
import { positiveInt } from '../accounts/accounts.schemas.js';
import { parseOrThrow } from '../http/validation.js';
import { MERGE_FIELDS, type DuplicatesService, type FieldChoice } from '../places/duplicates.service.js';

const pairParams = z.object({ a: positiveInt(), b: positiveInt() });
const mergeParams = z.object({ id: positiveInt() });
const listQuery = z.object({
  departement: z
    .string()
    .regex(/^(\d{2,3}|2[AB])$/, 'Département attendu : 2 ou 3 caractères (ex. 13, 2A, 974).')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  message: z.string().max(20).optional(),
  fusion: positiveInt().optional(),
});
const choice = z.enum(['a', 'b', 'les-deux'], 'Choisissez la valeur à garder.');
const mergeBody = z.object({
  garder: z.enum(['a', 'b'], 'Choisissez le lieu qui reste.'),
  version_a: positiveInt('Version du formulaire manquante : rechargez la page.'),
  version_b: positiveInt('Version du formulaire manquante : rechargez la page.'),
  ...Object.fromEntries(MERGE_FIELDS.map((field) => [`champ_${field.name}`, choice.optional()])),
});

const DONE: Record<string, string> = {
  fusion: 'Lieux fusionnés : l’adresse du lieu fusionné mène désormais au lieu conservé.',
  annulee: 'Fusion annulée : les deux lieux sont de nouveau séparés.',
  distincts: 'C’est noté : ces deux lieux ne seront plus proposés comme doublons.',
  separee: 'Fusion faite à l’import annulée : la ligne importée est de nouveau un lieu à part.',
};

/**
 * Duplicates (issue 9): candidate pairs best first, both places side by side, the merge form,
 * "distinct", "annuler la fusion", and the separation of a row the import merged into a place. Who
 * may do this is decided once, in the duplicates service; these routes only ask for someone signed
 * in (anonymous visitors go to the sign-in page).
 */
export function duplicatesRoutes(deps: { duplicates: DuplicatesService }) {
  const { duplicates } = deps;
  const router = Router();
  const me = (res: Response) => signedInUser(res);

  router.get('/moderation/doublons', requireUser, async (req, res) => {
    const query = parseOrThrow(listQuery, req.query);
    const view = await duplicates.candidates(me(res), { departement: query.departement });
    res.render('pages/moderation/duplicates', {
      pageTitle: 'Doublons',
      nav: 'moderation',
      notice: query.message ? DONE[query.message] : undefined,
      undoMergeId: query.message === 'fusion' ? query.fusion : undefined,
      departement: query.departement,
      ...view,
    });
  });

  router.get('/moderation/doublons/:a/:b', requireUser, async (req, res) => {
    const { a, b } = parseOrThrow(pairParams, req.params);
    const view = await duplicates.pair(me(res), a, b);
    res.render('pages/moderation/duplicate-pair', {
      pageTitle: `Doublon ? ${view.a.nom} et ${view.b.nom}`,
      nav: 'moderation',
      ...view,
      fields: view.fields.map((field) => ({
        ...field,
        choices: [
          { value: 'a', label: `Valeur du lieu A`, checked: field.defaultChoice === 'a' },
          { value: 'b', label: `Valeur du lieu B`, checked: field.defaultChoice === 'b' },
          ...(field.list ? [{ value: 'les-deux', label: 'Les deux', checked: false }] : []),
        ],
      })),
    });
  });

  router.post('/moderation/doublons/:a/:b/fusion', requireUser, async (req, res) => {
    const { a, b } = parseOrThrow(pairParams, req.params);
    const body = parseOrThrow(mergeBody, req.body) as z.output<typeof mergeBody> & Record<string, FieldChoice>;
    const choices = Object.fromEntries(
      MERGE_FIELDS.flatMap((field) => {
        const value = body[`champ_${field.name}`] as FieldChoice | undefined;
        return value ? [[field.name, value]] : [];
      }),
    );
    const { mergeId } = await duplicates.merge(me(res), a, b, {
      keep: body.garder,
      versionA: body.version_a,
      versionB: body.version_b,
      choices,
    });
    res.redirect(303, `/moderation/doublons?message=fusion&fusion=${mergeId}`);
  });

  router.post('/moderation/doublons/:a/:b/distincts', requireUser, async (req, res) => {
    const { a, b } = parseOrThrow(pairParams, req.params);
    await duplicates.dismiss(me(res), a, b);
    res.redirect(303, '/moderation/doublons?message=distincts');
  });

  router.post('/moderation/fusions-import/:id/separer', requireUser, async (req, res) => {
    const { id } = parseOrThrow(mergeParams, req.params);
    await duplicates.separate(me(res), id);
    res.redirect(303, '/moderation/doublons?message=separee');
  });

  router.post('/moderation/fusions/:id/annuler', requireUser, async (req, res) => {
    const { id } = parseOrThrow(mergeParams, req.params);
    await duplicates.undo(me(res), id);
    res.redirect(303, '/moderation/doublons?message=annulee');
  });

  return router;
}
