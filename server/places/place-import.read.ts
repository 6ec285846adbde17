// What the importer (server/opendata/import/) may read of the place record to decide a row's fate:
// the places holding a (source, id) key or its alias, and the same place nearby. Writes go through
// place-writes.service.ts.
export {
  findPlaceColumnsByIds,
  findPlacesBySourceKeys,
  findSamePlaces,
  type StoredPlaceColumns,
} from './place-import.repository.js';
