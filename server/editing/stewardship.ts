/**
 * The stewardship records (claims, proposals, label requests) as moderation decides them. Moderation goes
 * through this module, never through stewardship.repository.ts directly.
 */
export {
  claimsByStatus,
  decideClaim,
  decideLabelRequest,
  decideProposal,
  findClaimById,
  findProposal,
  labelRequestsFor,
  proposalsByStatus,
  upsertClaim,
} from './stewardship.repository.js';
