import type { CandidateHit, DuplicateRule } from './duplicates.repository.js';

/**
 * How likely two places are one and the same, 0–100, and why. The same SIRET says most; a similar name
 * within 200 m says more the closer the names; the same phone or e-mail in the same commune adds.
 */
export interface DuplicateCandidate {
  aId: number;
  bId: number;
  score: number;
  reasons: string[];
}

const RULE_ORDER: DuplicateRule[] = ['pivot', 'name_nearby', 'phone', 'email'];

function reasonOf(hit: CandidateHit): { points: number; text: string } {
  switch (hit.rule) {
    case 'pivot':
      return { points: 60, text: 'Même SIRET' };
    case 'name_nearby': {
      const similarity = hit.similarity ?? 0;
      const metres = Math.round(hit.distanceM ?? 0);
      return {
        points: Math.round(20 + 30 * similarity),
        text: `Nom semblable à ${Math.round(similarity * 100)} %, à ${metres} m`,
      };
    }
    case 'phone':
      return { points: 30, text: 'Même téléphone dans la même commune' };
    case 'email':
      return { points: 30, text: 'Même e-mail dans la même commune' };
  }
}

/** One candidate per pair, its reasons in a fixed order, the best scores first (then the oldest pair). */
export function scoreCandidates(hits: CandidateHit[]): DuplicateCandidate[] {
  const byPair = new Map<string, CandidateHit[]>();
  for (const hit of hits) {
    const key = `${hit.aId}-${hit.bId}`;
    const list = byPair.get(key) ?? [];
    if (!list.some((h) => h.rule === hit.rule)) list.push(hit);
    byPair.set(key, list);
  }
  return [...byPair.values()]
    .map((pairHits) => {
      const sorted = [...pairHits].sort((x, y) => RULE_ORDER.indexOf(x.rule) - RULE_ORDER.indexOf(y.rule));
      const reasons = sorted.map(reasonOf);
      return {
        aId: sorted[0].aId,
        bId: sorted[0].bId,
        score: Math.min(
          100,
          reasons.reduce((sum, r) => sum + r.points, 0),
        ),
        reasons: reasons.map((r) => r.text),
      };
    })
    .sort((x, y) => y.score - x.score || x.aId - y.aId || x.bId - y.bId);
}
