import { activeParties, type PartnershipState } from '../partnership/partnership.state';
import { daysBetween } from '../shared/time';

export interface AmbitionStrength {
  promise: number;
  commitment: number;
  doing: number;
  /** promise × commitment × doing, in [0,1] (Belofte × Commitment × Doen). */
  strength: number;
}

/**
 * Rule 7. Pledges are what parties bring (a TAKE is an expectation, not something delivered);
 * "recent" goal progress uses the noDoingDays window (90 by default).
 */
export function ambitionStrength(state: PartnershipState, now: string, windowDays: number): AmbitionStrength {
  const ambition = state.ambition;
  const promise = ambition === null ? 0 : ambition.goals.length > 0 ? 1 : 0.5;
  const active = activeParties(state).map((p) => p.organisationId);
  const commitment = active.length === 0 ? 0 : state.endorsements.filter((id) => active.includes(id)).length / active.length;
  const goals = ambition?.goals ?? [];
  const pledges = state.pledges.filter((p) => p.direction === 'BRING' && active.includes(p.organisationId));
  const recentGoals = goals.filter((g) =>
    state.goalProgress.some((r) => r.goalId === g.goalId && daysBetween(r.at, now) <= windowDays && daysBetween(r.at, now) >= 0),
  ).length;
  const delivered = pledges.filter((p) => p.deliveredAt !== null).length;
  const total = goals.length + pledges.length;
  const doing = total === 0 ? 0 : (recentGoals + delivered) / total;
  return { promise, commitment, doing, strength: promise * commitment * doing };
}
