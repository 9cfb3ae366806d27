import { activeParties, type AssessmentState, type PartnershipState } from '../partnership/partnership.state';
import { JOINT, PERSPECTIVES, type Perspective } from '../partnership/vocabulary';
import { compareTimes } from '../shared/time';

export interface PerspectiveHealth {
  /** 1–5, null when nobody assessed yet. */
  health: number | null;
  /** Highest minus lowest latest party score (0–4), null with fewer than two party assessments. */
  spread: number | null;
  source: 'JOINT' | 'PARTIES' | 'NONE';
}

export type Health = Record<Perspective, PerspectiveHealth>;

const newest = (list: readonly AssessmentState[]): AssessmentState | null =>
  list.reduce<AssessmentState | null>((best, a) => (best === null || compareTimes(a.at, best.at) >= 0 ? a : best), null);

/** The latest assessment of each active party. */
export function latestPartyAssessments(state: PartnershipState): AssessmentState[] {
  return activeParties(state)
    .map((p) => newest(state.assessments.filter((a) => a.by === p.organisationId)))
    .filter((a): a is AssessmentState => a !== null);
}

/**
 * Health per perspective: the latest JOINT assessment when it is newer than every party's,
 * else the average of every active party's latest. Spread: highest minus lowest party score.
 */
export function health(state: PartnershipState): Health {
  const parties = latestPartyAssessments(state);
  const joint = newest(state.assessments.filter((a) => a.by === JOINT));
  const jointWins = joint !== null && parties.every((a) => compareTimes(joint.at, a.at) > 0);
  const result = {} as Health;
  for (const perspective of PERSPECTIVES) {
    const scores = parties.map((a) => a.scores[perspective].score);
    const spread = scores.length >= 2 ? Math.max(...scores) - Math.min(...scores) : null;
    if (jointWins && joint) result[perspective] = { health: joint.scores[perspective].score, spread, source: 'JOINT' };
    else if (scores.length > 0) result[perspective] = { health: scores.reduce((s, x) => s + x, 0) / scores.length, spread, source: 'PARTIES' };
    else result[perspective] = { health: null, spread, source: 'NONE' };
  }
  return result;
}

export interface SupportTrend {
  /** Per assessor (active party or JOINT) with two assessments or more: change per perspective, latest minus previous. */
  assessors: { by: string; deltas: Record<Perspective, number> }[];
  /** Some assessor's score fell by `drop` or more on some perspective between its last two assessments. */
  declining: boolean;
}

export function supportTrend(state: PartnershipState, drop: number): SupportTrend {
  const assessors = [...activeParties(state).map((p) => p.organisationId), JOINT];
  const result: SupportTrend = { assessors: [], declining: false };
  for (const by of assessors) {
    const own = state.assessments.filter((a) => a.by === by).sort((a, b) => compareTimes(a.at, b.at));
    if (own.length < 2) continue;
    const [previous, last] = own.slice(-2);
    const deltas = {} as Record<Perspective, number>;
    for (const p of PERSPECTIVES) deltas[p] = last.scores[p].score - previous.scores[p].score;
    result.assessors.push({ by, deltas });
    if (PERSPECTIVES.some((p) => -deltas[p] >= drop)) result.declining = true;
  }
  return result;
}
