import type { Knex } from 'knex';
import type { CurrentUser } from '../accounts/accounts.types.js';
import type { Db } from '../db/knex.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { candidateHits, dismissPair, isDismissed, pairMeasures } from './duplicates.repository.js';
import { scoreCandidates } from './duplicates.js';
import { recentImportMerges } from './import-merges.repository.js';
import { recentMerges } from './place-merges.repository.js';
import type { PlaceWrites } from './place-writes.service.js';
import { placePath } from './places.mapping.js';
import { findPlacesByIds, labelLinksOfPlaces } from './places.repository.js';
import type { Place } from './places.types.js';
import type { Clock } from '../shared/clock.js';

/** Moving the blog's links to a place (owned by server/articles/, wired in server/app.ts). */
export interface ArticleLinkMover {
  /** Links of `fromId` now point to `toId`; returns the articles whose link moved. */
  move(trx: Knex.Transaction, fromId: number, toId: number): Promise<number[]>;
  /** Puts those articles' links back from `fromId` to `toId`. */
  moveBack(trx: Knex.Transaction, articleIds: number[], fromId: number, toId: number): Promise<void>;
}

/** The fields a moderator chooses one by one when merging, in `places` columns ('position' is lat + lon). */
export const MERGE_FIELDS: { name: string; label: string; columns: string[]; list?: boolean }[] = [
  { name: 'nom', label: 'Nom', columns: ['nom'] },
  { name: 'pivot', label: 'SIRET ou RNA', columns: ['pivot'] },
  { name: 'adresse', label: 'Adresse', columns: ['adresse'] },
  { name: 'complement_adresse', label: 'Complément d’adresse', columns: ['complement_adresse'] },
  { name: 'code_postal', label: 'Code postal', columns: ['code_postal'] },
  { name: 'commune', label: 'Commune', columns: ['commune'] },
  { name: 'position', label: 'Position sur la carte', columns: ['latitude', 'longitude'] },
  { name: 'telephone', label: 'Téléphone', columns: ['telephone'] },
  { name: 'courriels', label: 'E-mails', columns: ['courriels'], list: true },
  { name: 'site_web', label: 'Sites web', columns: ['site_web'], list: true },
  { name: 'prise_rdv', label: 'Lien de rendez-vous', columns: ['prise_rdv'] },
  { name: 'horaires', label: 'Horaires', columns: ['horaires'] },
  { name: 'presentation_resume', label: 'Résumé', columns: ['presentation_resume'] },
  { name: 'presentation_detail', label: 'Présentation détaillée', columns: ['presentation_detail'] },
  { name: 'services', label: 'Services', columns: ['services'], list: true },
  {
    name: 'publics_specifiquement_adresses',
    label: 'Publics',
    columns: ['publics_specifiquement_adresses'],
    list: true,
  },
  {
    name: 'prise_en_charge_specifique',
    label: 'Prises en charge',
    columns: ['prise_en_charge_specifique'],
    list: true,
  },
  { name: 'modalites_acces', label: 'Modalités d’accès', columns: ['modalites_acces'], list: true },
  { name: 'modalites_accompagnement', label: 'Accompagnement', columns: ['modalites_accompagnement'], list: true },
  { name: 'frais_a_charge', label: 'Frais', columns: ['frais_a_charge'], list: true },
  { name: 'structure_parente', label: 'Structure parente', columns: ['structure_parente'] },
];

export type FieldChoice = 'a' | 'b' | 'les-deux';

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const valueOf = (place: Place, column: string): unknown =>
  (place as unknown as Record<string, unknown>)[camel(column)] ?? null;
function display(value: unknown): string {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
const isEmpty = (value: unknown) => display(value) === '—';

const CANDIDATES_PER_RULE = 200;
const PAGE_SIZE = 50;

export function createDuplicatesService(deps: {
  db: Db;
  clock: Clock;
  placeWrites: PlaceWrites;
  articleLinks: ArticleLinkMover;
}) {
  const { db, clock, placeWrites, articleLinks } = deps;

  /** Authorization, decided here once: merging and dismissing are the moderators' and admins' work. */
  function authorOf(actor: CurrentUser | undefined) {
    if (!actor || (actor.role !== 'moderator' && actor.role !== 'admin'))
      throw new ForbiddenError('Seuls les modérateurs peuvent traiter les doublons.');
    return { userId: actor.id, role: actor.role };
  }

  async function bothPlaces(aId: number, bId: number) {
    if (aId === bId) throw new NotFoundError('Un lieu n’est pas le doublon de lui-même.');
    const places = await findPlacesByIds(db, [aId, bId]);
    const a = places.get(aId);
    const b = places.get(bId);
    if (!a || !b) throw new NotFoundError('Ce lieu n’existe pas.');
    return { a, b };
  }

  const brief = (place: Place) => ({ id: place.id, nom: place.nom, commune: place.commune, path: placePath(place) });

  async function candidates(actor: CurrentUser | undefined, filter: { departement?: string } = {}) {
    authorOf(actor);
    const scored = scoreCandidates(await candidateHits(db, { limit: CANDIDATES_PER_RULE, ...filter })).slice(
      0,
      PAGE_SIZE,
    );
    const places = await findPlacesByIds(
      db,
      scored.flatMap((c) => [c.aId, c.bId]),
    );
    const [merges, importMerges] = await Promise.all([recentMerges(db, 20), recentImportMerges(db, 20)]);
    const pairs = scored.flatMap((c) => {
      const [a, b] = [places.get(c.aId), places.get(c.bId)];
      return a && b ? [{ ...c, a: brief(a), b: brief(b) }] : [];
    });
    return {
      pairs,
      merges: merges.map((m) => ({ ...m, undoable: m.undoneAt === null })),
      importMerges: importMerges.map((m) => ({ ...m, placePath: placePath({ id: m.placeId, nom: m.placeNom }) })),
    };
  }

  /** Both places side by side, field by field, with the default choice (the kept place's value unless empty). */
  async function pair(actor: CurrentUser | undefined, aId: number, bId: number) {
    authorOf(actor);
    const { a, b } = await bothPlaces(aId, bId);
    const [measures, labels, dismissed] = await Promise.all([
      pairMeasures(db, aId, bId),
      labelLinksOfPlaces(db, [aId, bId]),
      isDismissed(db, [aId, bId]),
    ]);
    const labelNames = (id: number) => labels.filter((l) => l.placeId === id).map((l) => l.name);
    return {
      a: { ...brief(a), version: a.version, status: a.status, labels: labelNames(aId) },
      b: { ...brief(b), version: b.version, status: b.status, labels: labelNames(bId) },
      dismissed,
      similarity: Math.round(measures.similarity * 100),
      distanceM: measures.distanceM === null ? null : Math.round(measures.distanceM),
      fields: MERGE_FIELDS.map((field) => {
        const aValue = field.columns.map((c) => valueOf(a, c));
        const bValue = field.columns.map((c) => valueOf(b, c));
        const text = (values: unknown[]) => (values.every(isEmpty) ? '—' : values.map(display).join(', '));
        return {
          ...field,
          a: text(aValue),
          b: text(bValue),
          same: JSON.stringify(aValue) === JSON.stringify(bValue),
          defaultChoice: aValue.every(isEmpty) && !bValue.every(isEmpty) ? 'b' : 'a',
        };
      }),
    };
  }

  /**
   * Merges the pair: `keep` names the place that stays; each field takes the value of the side chosen
   * (lists may take both). The article links move in the same transaction. Returns the merge's id.
   */
  async function merge(
    actor: CurrentUser | undefined,
    aId: number,
    bId: number,
    form: { keep: 'a' | 'b'; versionA: number; versionB: number; choices: Record<string, FieldChoice> },
  ): Promise<{ mergeId: number; keptId: number }> {
    const author = authorOf(actor);
    const { a, b } = await bothPlaces(aId, bId);
    const [kept, other] = form.keep === 'a' ? [a, b] : [b, a];
    const keptSide = form.keep;
    const values: Record<string, unknown> = {};
    for (const field of MERGE_FIELDS) {
      const choice = form.choices[field.name] ?? keptSide;
      if (choice === keptSide) continue;
      if (choice === 'les-deux') {
        if (!field.list)
          throw new ValidationError([{ field: field.name, message: 'Ce champ ne garde qu’une valeur.' }]);
        const union = [
          ...new Set([
            ...(valueOf(kept, field.columns[0]) as string[]),
            ...(valueOf(other, field.columns[0]) as string[]),
          ]),
        ];
        values[field.columns[0]] = union;
        continue;
      }
      for (const column of field.columns) values[column] = valueOf(other, column);
    }
    const mergeId = await db.transaction(async (trx) => {
      const articlesMoved = await articleLinks.move(trx, other.id, kept.id);
      return placeWrites.merge(
        kept.id,
        other.id,
        {
          keptVersion: form.keep === 'a' ? form.versionA : form.versionB,
          mergedVersion: form.keep === 'a' ? form.versionB : form.versionA,
          values,
          articlesMoved,
        },
        {
          author,
          trx,
          audit: {
            actorId: author.userId,
            action: 'place.merged',
            subjectType: 'place',
            subjectId: kept.id,
            details: { lieu_fusionne: other.id, nom: other.nom },
          },
        },
      );
    });
    return { mergeId, keptId: kept.id };
  }

  async function undo(actor: CurrentUser | undefined, mergeId: number) {
    const author = authorOf(actor);
    await db.transaction(async (trx) => {
      const record = await placeWrites.undoMerge(mergeId, {
        author,
        trx,
        audit: {
          actorId: author.userId,
          action: 'place.unmerged',
          subjectType: 'place',
          subjectId: mergeId,
          details: { fusion: mergeId },
        },
      });
      await articleLinks.moveBack(trx, record.articlesMoved, record.keptId, record.mergedId);
    });
  }

  /** A row the import merged into a place becomes the place it would have been (see import-merge-separation.ts). */
  async function separate(actor: CurrentUser | undefined, importMergeId: number) {
    const author = authorOf(actor);
    return placeWrites.separateImportMerge(importMergeId, { author });
  }

  /** "Ce sont deux lieux différents": the pair is never proposed again. */
  async function dismiss(actor: CurrentUser | undefined, aId: number, bId: number) {
    const author = authorOf(actor);
    await bothPlaces(aId, bId);
    await dismissPair(db, [aId, bId], author.userId, clock.now());
  }

  return { candidates, pair, merge, undo, separate, dismiss };
}

export type DuplicatesService = ReturnType<typeof createDuplicatesService>;
