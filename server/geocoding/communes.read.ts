// The communes table as other features read it (server/places looks up a place's commune):
// they import this module, never communes.repository.ts.
export {
  communeSearchKey,
  findCommunesByPostalCode,
  isArrondissement,
  searchCommunesByName,
  type Commune,
} from './communes.repository.js';
