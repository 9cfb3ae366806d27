import { interestCoverage } from '../partnership/phases/phase-gates';
import { unrepairedSkips } from '../partnership/phases/phase-gates';
import { activeParties, type PartnershipState } from '../partnership/partnership.state';
import { PERSPECTIVES, legalFormRank, phaseIndex } from '../partnership/vocabulary';
import type { Thresholds } from '../strategy/thresholds';
import { addMonths, daysBetween, isBefore, latest } from '../shared/time';
import { health, supportTrend } from './health';
import { imbalance } from './contribution-balance';

export const SHAM_SIGNALS = [
  'AMBITION_NOT_SHARED',
  'INTERESTS_UNSPOKEN',
  'FORM_BEFORE_INTERESTS',
  'PHASES_SKIPPED',
  'STAGNATION',
  'NO_DOING',
  'DIVERGENT_VIEWS',
  'DECLINING_SUPPORT',
  'NOT_EVALUATED',
  'SELF_SERVING',
] as const;
export type ShamSignalCode = (typeof SHAM_SIGNALS)[number];

export interface Signal {
  code: ShamSignalCode | 'IMBALANCE';
  detail: string;
  /** Only for IMBALANCE: not a sham signal when the imbalance is by design. */
  byDesign?: boolean;
}

/** From when NO_DOING and NOT_EVALUATED count: the last occurrence, or else entering EXECUTE. */
function since(last: string | null, state: PartnershipState): string | null {
  return latest(last, state.firstExecutedAt);
}

/**
 * Rule 6 — the sham-collaboration signals (schijnsamenwerking), plus IMBALANCE for the board's
 * attention (marked by design when a motive is IDEALISM or the origin IMPOSED). An ENDED
 * partnership signals nothing: there is nothing left to steer.
 */
export function signals(state: PartnershipState, now: string, thresholds: Thresholds): Signal[] {
  if (!state.exists || state.phase === null || state.phase === 'ENDED') return [];
  const out: Signal[] = [];
  const phase = phaseIndex(state.phase);
  const active = activeParties(state).map((p) => p.organisationId);
  const coverage = interestCoverage(state);

  const notEndorsing = active.filter((id) => !state.endorsements.includes(id));
  if (phase >= phaseIndex('DESIGN') && notEndorsing.length > 0) out.push({ code: 'AMBITION_NOT_SHARED', detail: `not endorsed by ${notEndorsing.join(', ')}` });
  if (phase >= phaseIndex('AGREE') && !coverage.holds) out.push({ code: 'INTERESTS_UNSPOKEN', detail: 'interest coverage of rule 1 does not hold' });
  if (legalFormRank(state.legalForm) > legalFormRank('NONE') && !coverage.holds) {
    out.push({ code: 'FORM_BEFORE_INTERESTS', detail: `legal form ${state.legalForm} while interests are not covered` });
  }
  const skips = unrepairedSkips(state);
  if (skips.length > 0) out.push({ code: 'PHASES_SKIPPED', detail: skips.map((s) => `${s.from} → ${s.to}`).join(', ') });
  if (state.lastProgressAt !== null && daysBetween(state.lastProgressAt, now) >= thresholds.stagnationDays) {
    out.push({ code: 'STAGNATION', detail: `no progress since ${state.lastProgressAt}` });
  }
  if (state.phase === 'EXECUTE') {
    const doingSince = since(state.lastDoingAt, state);
    if (doingSince !== null && daysBetween(doingSince, now) >= thresholds.noDoingDays) {
      out.push({ code: 'NO_DOING', detail: `no goal progress or delivery since ${doingSince}` });
    }
    const evaluatedSince = since(state.lastEvaluatedAt, state);
    if (evaluatedSince !== null && !isBefore(now, addMonths(evaluatedSince, thresholds.evaluationMonths))) {
      out.push({ code: 'NOT_EVALUATED', detail: `no evaluation since ${evaluatedSince}` });
    }
  }
  const h = health(state);
  const divergent = PERSPECTIVES.filter((p) => (h[p].spread ?? 0) >= thresholds.divergenceSpread);
  if (divergent.length > 0) out.push({ code: 'DIVERGENT_VIEWS', detail: divergent.map((p) => `${p} spread ${h[p].spread}`).join(', ') });
  if (supportTrend(state, thresholds.decliningDrop).declining) out.push({ code: 'DECLINING_SUPPORT', detail: `a score fell by ${thresholds.decliningDrop} or more` });
  const motives = state.profile?.motives ?? [];
  if (motives.length > 0 && motives.every((m) => m === 'COLLABORATION_FOR_ITS_OWN_SAKE')) {
    out.push({ code: 'SELF_SERVING', detail: 'the only motive is collaboration for its own sake' });
  }
  const balance = imbalance(state, thresholds.imbalanceMoneyShare);
  if (balance.imbalanced) {
    out.push({ code: 'IMBALANCE', detail: balance.reasons.map((r) => `${r.reason} (${r.organisationId})`).join(', '), byDesign: balance.byDesign });
  }
  return out;
}
