import type { Db } from '../db/knex.js';
import { displayValue, FIELD_LABELS, fieldLabel, valueOf, type EditableField } from '../editing/sections.js';
import { claimsByStatus, labelRequestsFor, proposalsByStatus } from '../editing/stewardship.js';
import { findPlacesByIds, labelLinksOfPlaces } from '../places/places.read.js';
import { placePath } from '../places/places.mapping.js';
import { listReports } from '../reports/reports.moderation.js';
import { REPORT_CATEGORY_NAMES } from '../reports/reports.schemas.js';

/** What the moderator compares a report with: the fields the visitor questions, per category. */
const REPORT_FIELDS: Record<string, EditableField[]> = {
  horaires: ['horaires'],
  services: ['services', 'publics_specifiquement_adresses'],
  adresse: ['adresse', 'complement_adresse', 'code_postal', 'commune'],
  contacts: ['telephone', 'courriels', 'site_web'],
};

/** Everything waiting for a moderator, each item with what the decision needs shown beside it. */
export async function moderationQueue(db: Db) {
  const [claims, proposals, labelRequests, reports] = await Promise.all([
    claimsByStatus(db, 'pending'),
    proposalsByStatus(db, 'pending'),
    labelRequestsFor(db, { status: 'pending' }),
    listReports(db, { status: 'new' }),
  ]);
  // A constant number of queries whatever the queue's length: the places and label links of
  // every item are read at once (they were read one item at a time).
  const [places, links] = await Promise.all([
    findPlacesByIds(db, [...claims.map((c) => c.placeId), ...reports.map((r) => r.placeId)]),
    labelLinksOfPlaces(
      db,
      labelRequests.map((r) => r.placeId),
    ),
  ]);
  const claimItems = claims.map((claim) => {
    const place = places.get(claim.placeId);
    return { ...claim, placeUrl: place ? placePath(place) : null, placeEmails: place?.courriels ?? [] };
  });
  const labelItems = labelRequests.map((request) => {
    const current = links.filter((l) => l.placeId === request.placeId && l.status === 'verified').map((l) => l.name);
    const after =
      request.action === 'add'
        ? [...current, request.labelName].sort()
        : current.filter((n) => n !== request.labelName);
    return { ...request, before: displayValue(current), after: displayValue(after) };
  });
  const reportItems = reports.map((report) => {
    const place = places.get(report.placeId);
    const fields = REPORT_FIELDS[report.category] ?? [];
    return {
      ...report,
      categoryName: REPORT_CATEGORY_NAMES[report.category],
      placeNom: place?.nom ?? '—',
      // "Le lieu n'existe plus": the moderator can take it off the site from here.
      canHide: report.category === 'n-existe-plus' && place?.status === 'published',
      statusFieldId: `reason-statut-${report.id}`,
      placeUrl: place ? placePath(place) : null,
      // What the visitor questions, as it is online now (the moderator edits the place to change it).
      current: place
        ? fields.map((field) => ({ field: FIELD_LABELS[field], value: displayValue(valueOf(place, field)) }))
        : [],
    };
  });
  return {
    claims: claimItems,
    proposals: proposals.map((p) => ({
      ...p,
      diff: Object.entries(p.record)
        .filter(([, v]) => v !== null && !(Array.isArray(v) && !v.length))
        .map(([field, value]) => ({
          field: fieldLabel(field),
          old: '—',
          new: displayValue(value),
        })),
    })),
    labelRequests: labelItems,
    reports: reportItems,
  };
}
