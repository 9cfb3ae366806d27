import { activeParties, type PartnershipState } from '../partnership/partnership.state';
import { CONTRIBUTION_KINDS, type ContributionKind } from '../partnership/vocabulary';

export interface KindTotals {
  /** Number of pledges. */
  count: number;
  /** Sum of stated amounts (hours for TIME, euros for MONEY). */
  amount: number;
  delivered: number;
}

export interface PartyBalance {
  organisationId: string;
  active: boolean;
  bring: Record<ContributionKind, KindTotals>;
  take: Record<ContributionKind, KindTotals>;
  /** Share of all money brought by active parties (0 when none is brought). */
  moneyShare: number;
}

export interface ContributionBalance {
  parties: PartyBalance[];
  moneyBroughtTotal: number;
  moneyTakenTotal: number;
}

const empty = (): Record<ContributionKind, KindTotals> =>
  Object.fromEntries(CONTRIBUTION_KINDS.map((k) => [k, { count: 0, amount: 0, delivered: 0 }])) as Record<ContributionKind, KindTotals>;

/** Take and bring (halen en brengen) per party, in time, money and knowledge. */
export function contributionBalance(state: PartnershipState): ContributionBalance {
  const activeIds = activeParties(state).map((p) => p.organisationId);
  const parties: PartyBalance[] = state.parties.map((p) => {
    const balance: PartyBalance = { organisationId: p.organisationId, active: p.active, bring: empty(), take: empty(), moneyShare: 0 };
    for (const pledge of state.pledges.filter((x) => x.organisationId === p.organisationId)) {
      const side = pledge.direction === 'BRING' ? balance.bring : balance.take;
      side[pledge.kind].count += 1;
      side[pledge.kind].amount += pledge.amount ?? 0;
      if (pledge.deliveredAt !== null) side[pledge.kind].delivered += 1;
    }
    return balance;
  });
  const activeBalances = parties.filter((p) => activeIds.includes(p.organisationId));
  const moneyBroughtTotal = activeBalances.reduce((s, p) => s + p.bring.MONEY.amount, 0);
  const moneyTakenTotal = activeBalances.reduce((s, p) => s + p.take.MONEY.amount, 0);
  for (const p of activeBalances) p.moneyShare = moneyBroughtTotal === 0 ? 0 : p.bring.MONEY.amount / moneyBroughtTotal;
  return { parties, moneyBroughtTotal, moneyTakenTotal };
}

export interface Imbalance {
  imbalanced: boolean;
  /** Imbalance need not be a breaking point: a motive is IDEALISM or the origin is IMPOSED. */
  byDesign: boolean;
  reasons: { reason: 'TAKES_WITHOUT_BRINGING' | 'MONEY_CONCENTRATED'; organisationId: string }[];
}

/** Rule 6's IMBALANCE: for the board's attention, not a sham signal. */
export function imbalance(state: PartnershipState, moneyShareThreshold: number): Imbalance {
  const balance = contributionBalance(state);
  const reasons: Imbalance['reasons'] = [];
  for (const p of balance.parties.filter((x) => x.active)) {
    const brings = Object.values(p.bring).some((k) => k.count > 0);
    const takes = Object.values(p.take).some((k) => k.count > 0);
    if (takes && !brings) reasons.push({ reason: 'TAKES_WITHOUT_BRINGING', organisationId: p.organisationId });
    if (p.moneyShare > moneyShareThreshold) reasons.push({ reason: 'MONEY_CONCENTRATED', organisationId: p.organisationId });
  }
  const profile = state.profile;
  const byDesign = profile !== null && (profile.motives.includes('IDEALISM') || profile.origin.kind === 'IMPOSED');
  return { imbalanced: reasons.length > 0, byDesign, reasons };
}
