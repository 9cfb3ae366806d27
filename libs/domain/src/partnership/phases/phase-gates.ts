import type { UnmetCondition } from '../../shared/domain-error';
import { activeParties, type PartnershipState } from '../partnership.state';
import { WORKING_PHASES, legalFormRank, type WorkingPhase } from '../vocabulary';

/**
 * Rule 1 — phase gates. Each gate returns EVERY unmet condition (never only the first), so a
 * refusal tells the partnership manager the whole way to go. Conditions are machine-readable
 * codes; `detail` names the party concerned.
 */

export interface InterestCoverage {
  parties: { organisationId: string; organisational: number; individual: number; collective: number; covered: boolean }[];
  collective: number;
  /** Rule 1's coverage: every active party has an ORGANISATIONAL and an INDIVIDUAL interest, and there is a COLLECTIVE one. */
  holds: boolean;
}

export function interestCoverage(state: PartnershipState): InterestCoverage {
  const active = activeParties(state);
  const activeIds = active.map((p) => p.organisationId);
  const live = state.interests.filter((i) => i.status === 'ACTIVE' && activeIds.includes(i.organisationId));
  const parties = active.map((p) => {
    const own = live.filter((i) => i.organisationId === p.organisationId);
    const count = (kind: string) => own.filter((i) => i.kind === kind).length;
    const organisational = count('ORGANISATIONAL');
    const individual = count('INDIVIDUAL');
    return { organisationId: p.organisationId, organisational, individual, collective: count('COLLECTIVE'), covered: organisational > 0 && individual > 0 };
  });
  const collective = live.filter((i) => i.kind === 'COLLECTIVE').length;
  return { parties, collective, holds: parties.every((p) => p.covered) && collective > 0 };
}

function exploreToShare(state: PartnershipState): UnmetCondition[] {
  const n = activeParties(state).length;
  return n >= 2 ? [] : [{ condition: 'AT_LEAST_TWO_ACTIVE_PARTIES', detail: `${n} active` }];
}

function shareToAgree(state: PartnershipState): UnmetCondition[] {
  const coverage = interestCoverage(state);
  const unmet: UnmetCondition[] = [];
  for (const party of coverage.parties) {
    if (party.organisational === 0) unmet.push({ condition: 'PARTY_DECLARED_ORGANISATIONAL_INTEREST', detail: party.organisationId });
    if (party.individual === 0) unmet.push({ condition: 'PARTY_DECLARED_INDIVIDUAL_INTEREST', detail: party.organisationId });
  }
  if (coverage.collective === 0) unmet.push({ condition: 'COLLECTIVE_INTEREST_DECLARED' });
  if (!state.servesClients) unmet.push({ condition: 'SERVES_CLIENTS_STATED' });
  return unmet;
}

function agreeToDesign(state: PartnershipState): UnmetCondition[] {
  const unmet: UnmetCondition[] = [];
  if (!state.ambition) unmet.push({ condition: 'AMBITION_FORMULATED' });
  for (const party of activeParties(state)) {
    if (!state.endorsements.includes(party.organisationId)) unmet.push({ condition: 'AMBITION_ENDORSED_BY_PARTY', detail: party.organisationId });
  }
  for (const party of activeParties(state)) {
    const pledged = state.pledges.some((p) => p.organisationId === party.organisationId && p.direction === 'BRING');
    if (!pledged) unmet.push({ condition: 'CONTRIBUTION_PLEDGED_BY_PARTY', detail: party.organisationId });
  }
  if (!state.scope || state.scope.excluded.length === 0) unmet.push({ condition: 'SCOPE_STATES_EXCLUSIONS' });
  if (!state.scope?.horizon) unmet.push({ condition: 'HORIZON_SET' });
  return unmet;
}

function designToExecute(state: PartnershipState): UnmetCondition[] {
  const g = state.governance;
  const activeIds = activeParties(state).map((p) => p.organisationId);
  const unmet: UnmetCondition[] = [];
  if (!g?.decisionRights) unmet.push({ condition: 'DECISION_RIGHTS_DEFINED' });
  if (!g?.taskAllocation) unmet.push({ condition: 'TASK_ALLOCATION_DEFINED' });
  if (!state.networkRoles.some((r) => r.role === 'OPERATOR' && activeIds.includes(r.organisationId))) {
    unmet.push({ condition: 'OPERATOR_ROLE_ASSIGNED' });
  }
  // Executing together needs at least agreed rules of play: NONE is no legal form.
  if (!g || legalFormRank(g.legalForm) <= legalFormRank('NONE')) unmet.push({ condition: 'LEGAL_FORM_CHOSEN' });
  if (!g?.exitArrangements) unmet.push({ condition: 'EXIT_ARRANGEMENTS_AGREED' });
  return unmet;
}

/** The unmet conditions of the gate that leads out of `from` into the next phase. */
export function gateUnmet(state: PartnershipState, from: WorkingPhase): UnmetCondition[] {
  switch (from) {
    case 'EXPLORE':
      return exploreToShare(state);
    case 'SHARE':
      return shareToAgree(state);
    case 'AGREE':
      return agreeToDesign(state);
    case 'DESIGN':
      return designToExecute(state);
    case 'EXECUTE':
      return [];
  }
}

/** The gates between two phases, in order: [{from, to}] for each single step. */
export function gatesBetween(from: WorkingPhase, to: WorkingPhase): { from: WorkingPhase; to: WorkingPhase }[] {
  const start = WORKING_PHASES.indexOf(from);
  const end = WORKING_PHASES.indexOf(to);
  const gates: { from: WorkingPhase; to: WorkingPhase }[] = [];
  for (let i = start; i < end; i++) gates.push({ from: WORKING_PHASES[i], to: WORKING_PHASES[i + 1] });
  return gates;
}

/** Rule 2: a skip stays a risk signal until every gate it passed over holds. */
export function unrepairedSkips(state: PartnershipState): PartnershipState['skips'] {
  return state.skips.filter((skip) => skip.passedOver.some((gate) => gate.unmet.length > 0 && gateUnmet(state, gate.from).length > 0));
}
