import { interestCoverage, type InterestCoverage } from '../partnership/phases/phase-gates';
import type { PartnershipState } from '../partnership/partnership.state';
import type { Thresholds } from '../strategy/thresholds';
import { ambitionStrength, type AmbitionStrength } from './ambition-strength';
import { contributionBalance, imbalance, type ContributionBalance, type Imbalance } from './contribution-balance';
import { health, supportTrend, type Health, type SupportTrend } from './health';
import { signals, type Signal } from './sham-signals';

export interface PartnershipMetrics {
  interestCoverage: InterestCoverage;
  ambitionStrength: AmbitionStrength;
  health: Health;
  supportTrend: SupportTrend;
  contributionBalance: ContributionBalance;
  imbalance: Imbalance;
  signals: Signal[];
}

/** Every derived metric at once, as projections and the API show them. */
export function partnershipMetrics(state: PartnershipState, now: string, thresholds: Thresholds): PartnershipMetrics {
  return {
    interestCoverage: interestCoverage(state),
    ambitionStrength: ambitionStrength(state, now, thresholds.noDoingDays),
    health: health(state),
    supportTrend: supportTrend(state, thresholds.decliningDrop),
    contributionBalance: contributionBalance(state),
    imbalance: imbalance(state, thresholds.imbalanceMoneyShare),
    signals: signals(state, now, thresholds),
  };
}
