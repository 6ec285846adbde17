// What other features read about labels: the Label shape and the slug/standard-value → id maps.
// They import this module, never labels.repository.ts (a feature reads another's tables through it).
export {
  allLabelNames,
  labelIdsBySlug,
  labelIdsByStandardValue,
  labelIdsForSlugs,
  labelsForSitemap,
  placeCountsByLabel,
  type Label,
} from './labels.repository.js';
