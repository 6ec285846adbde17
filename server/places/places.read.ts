/**
 * Read model of the places for the features that show or check a place (editing, moderation, open data):
 * lookups by id, label links, revision history and the export's batches. Writes go through place-writes.service.ts.
 */
export { findPlaceById, findPlacesByIds, labelLinksOfPlaces } from './places.repository.js';
// The open-data export reads every published place in batches (server/opendata/).
export { publishedPlaceBatches, type PlaceBatch } from './place-batches.repository.js';
// Articles link to places; the sitemap lists them.
export { countPublishedPlaces, existingPlaceIds, publishedPlacesForSitemap } from './place-listings.repository.js';
export {
  latestChangeAndVerification,
  listRevisions,
  type AuthorRole,
  type Revision,
} from './place-history.repository.js';
