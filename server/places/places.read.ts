/**
 * Read model of the places for the features that show or check a place (editing, moderation): lookups by
 * id, label links and revision history. Writes go through place-writes.service.ts.
 */
export { findPlaceById, findPlacesByIds, labelLinksOfPlaces } from './places.repository.js';
export { latestChange, listRevisions, type AuthorRole, type Revision } from './place-history.repository.js';
