import type { Db } from '../db/knex.js';
import { journalSubjects, type AuditRow } from './audit.repository.js';

/** What each audited decision is called in the journal. */
const AUDIT_ACTION_NAMES: Record<string, string> = {
  'claim.approved': 'Gestion d’un lieu accordée',
  'claim.rejected': 'Demande de gestion refusée',
  'claim.revoked': 'Gestion d’un lieu retirée',
  'proposal.accepted': 'Nouveau lieu publié',
  'proposal.rejected': 'Proposition de lieu refusée',
  'label_request.accepted': 'Demande de label acceptée',
  'label_request.rejected': 'Demande de label refusée',
  'labels.changed': 'Labels modifiés par la modération',
  'report.accepted': 'Signalement pris en compte',
  'report.rejected': 'Signalement classé sans suite',
  'user.role': 'Rôle d’un compte changé',
  'place.hidden': 'Lieu masqué',
  'place.published': 'Lieu republié',
  'place.merged': 'Doublons fusionnés',
  'place.unmerged': 'Fusion annulée',
  'place.import_merge_separated': 'Fusion faite à l’import annulée',
};

const CLAIM_METHODS: Record<string, string> = {
  email: 'adresse e-mail affichée sur la fiche',
  domain: 'même domaine que l’adresse du lieu',
};

const num = (value: unknown) =>
  typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)) ? Number(value) : undefined;

export interface AuditEntryView {
  id: number;
  at: Date;
  /** Who decided: an e-mail address, or how it happened without anyone. */
  actor: string;
  byPerson: boolean;
  action: string;
  place?: { nom: string; url: string | null };
  person?: { email: string; url: string };
  details: string[];
  reason: string | null;
}

/**
 * What the journal needs from the features whose decisions it lists. Passed in by the page that
 * shows the journal (moderation): the features write entries through server/audit/, so the
 * journal imports none of them.
 */
export interface JournalVocabulary {
  roleNames: Partial<Record<string, string>>;
  reportCategoryNames: Record<string, string>;
  placePath: (place: { id: number; nom: string }) => string;
}

/**
 * The journal as people read it: French names of decisions, the place and the person concerned
 * (with links), and the useful details. `viewerIsAdmin`: people link to the accounts page, else mailto.
 */
export async function auditEntriesView(
  db: Db,
  rows: AuditRow[],
  options: { viewerIsAdmin: boolean } & JournalVocabulary,
): Promise<AuditEntryView[]> {
  const { placePath } = options;
  const { viewerIsAdmin } = options;
  const roleName = (role: unknown) => (typeof role === 'string' ? (options.roleNames[role] ?? role) : '—');
  const placeIds = new Set<number>();
  const userIds = new Set<number>();
  const labelIds = new Set<number>();
  const labelSlugs = new Set<string>();
  for (const row of rows) {
    const d = row.details;
    const placeId = num(d.placeId) ?? (row.subjectType === 'place' ? num(row.subjectId) : undefined);
    if (placeId) placeIds.add(placeId);
    const userId = num(d.userId) ?? (row.subjectType === 'user' ? num(row.subjectId) : undefined);
    if (userId) userIds.add(userId);
    for (const id of [...((d.add as unknown[] | undefined) ?? []), ...((d.remove as unknown[] | undefined) ?? [])]) {
      const labelId = num(id);
      if (labelId) labelIds.add(labelId);
    }
    if (typeof d.label === 'string') labelSlugs.add(d.label);
  }
  const { places, users, labels } = await journalSubjects(db, {
    placeIds: [...placeIds],
    userIds: [...userIds],
    labelIds: [...labelIds],
    labelSlugs: [...labelSlugs],
  });
  const placeById = new Map(places.map((p: { id: number | string; nom: string }) => [Number(p.id), p.nom]));
  const hiddenIds = new Set(
    places.filter((p: { status?: string }) => p.status === 'hidden').map((p: { id: number | string }) => Number(p.id)),
  );
  const emailById = new Map(users.map((u: { id: number | string; email: string }) => [Number(u.id), u.email]));
  const labelById = new Map(labels.map((l: { id: number | string; name: string }) => [Number(l.id), l.name]));
  const labelBySlug = new Map(labels.map((l: { slug: string; name: string }) => [l.slug, l.name]));
  const labelNames = (ids: unknown) =>
    Array.isArray(ids) ? ids.map((id: unknown) => labelById.get(Number(id)) ?? `label n° ${Number(id)}`) : [];

  return rows.map((row) => {
    const d = row.details;
    const placeId = num(d.placeId) ?? (row.subjectType === 'place' ? num(row.subjectId) : undefined);
    const userId = num(d.userId) ?? (row.subjectType === 'user' ? num(row.subjectId) : undefined);
    const nom = placeId ? placeById.get(placeId) : undefined;
    const email = userId ? emailById.get(userId) : undefined;
    const details: string[] = [];
    if (row.action === 'claim.approved') {
      details.push(
        d.automatic ? `automatiquement : ${CLAIM_METHODS[String(d.method)] ?? 'adresse du lieu'}` : 'par la modération',
      );
    }
    if (row.action.startsWith('label_request.') && typeof d.label === 'string') {
      details.push(
        `${d.action === 'remove' ? 'retirer' : 'ajouter'} le label « ${labelBySlug.get(d.label) ?? d.label} »`,
      );
    }
    if (row.action === 'labels.changed') {
      const added = labelNames(d.add);
      const removed = labelNames(d.remove);
      if (added.length) details.push(`ajouté : ${added.join(', ')}`);
      if (removed.length) details.push(`retiré : ${removed.join(', ')}`);
    }
    if (row.action.startsWith('proposal.') && !nom && typeof d.nom === 'string')
      details.push(`lieu proposé : « ${d.nom} »`);
    if (row.action.startsWith('report.') && typeof d.category === 'string') {
      details.push(`signalement : ${options.reportCategoryNames[d.category] ?? d.category}`);
    }
    if (row.action === 'user.role') {
      details.push(
        d.via === 'cli' ? `${roleName(d.role)} (npm run admin:create)` : `${roleName(d.from)} → ${roleName(d.to)}`,
      );
    }
    return {
      id: row.id,
      at: row.createdAt,
      actor:
        row.actorEmail ??
        (row.actorId !== null ? 'compte supprimé' : d.via === 'cli' ? 'ligne de commande' : 'automatique'),
      byPerson: Boolean(row.actorEmail),
      action: AUDIT_ACTION_NAMES[row.action] ?? row.action,
      // A hidden place has no public page: its history, where it can be republished, instead.
      place: placeId
        ? hiddenIds.has(placeId)
          ? { nom: `${nom ?? ''} (masqué)`, url: `/mon-espace/lieux/${placeId}/historique` }
          : { nom: nom ?? `lieu n° ${placeId} (supprimé)`, url: nom ? placePath({ id: placeId, nom }) : null }
        : undefined,
      person: email
        ? { email, url: viewerIsAdmin ? `/admin/utilisateurs?q=${encodeURIComponent(email)}` : `mailto:${email}` }
        : undefined,
      details,
      reason: row.reason,
    };
  });
}
