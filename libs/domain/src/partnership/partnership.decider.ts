import type { Decider } from '../shared/decider';
import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import { assertMayWrite } from '../shared/authorisation';
import type { PartnershipCommand } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import { initialPartnershipState, type PartnershipState } from './partnership.state';
import { evolvePartnership } from './partnership.evolve';
import { endPartnership, proposePartnership } from './lifecycle';
import { admitParty, assignNetworkRole, replaceDelegate, withdrawParty } from './parties';
import { declareInterest, reviseInterest, withdrawInterest } from './interests';
import { endorseAmbition, formulateAmbition, reportGoalProgress } from './ambition';
import { pledgeContribution, reportContributionDelivered } from './contributions';
import { changeScope, defineGovernance } from './governance';
import { advancePhase, revertPhase } from './phases/phase-changes';
import { acknowledgeEscalation, markConditionMet, recordDecision, requestApproval } from './escalation/decisions';
import { flagValueAtRisk, recordAssessment, recordEvaluation } from './reflection';
import { reviewPartnership } from './review';

/** Acknowledging an open escalation, or a decision that answers one (by its id or its request's). */
function closesOpenEscalation(command: PartnershipCommand, state: PartnershipState): boolean {
  if (command.type !== 'AcknowledgeEscalation' && command.type !== 'RecordDecision') return false;
  const { escalationId } = command;
  const requestId = command.type === 'RecordDecision' ? command.requestId : undefined;
  return state.escalations.some(
    (e) => e.status === 'OPEN' && ((escalationId !== undefined && e.escalationId === escalationId) || (requestId !== undefined && e.requestId === requestId)),
  );
}

function decide(command: PartnershipCommand, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  assertMayWrite(context);
  // Rule 5: an ENDED partnership refuses every command — but the escalations still open on it (the
  // one its ending raised, for one) are its bodies' to close: else they would stay on the agenda,
  // overdue, for ever (rule 3: open "until the body acknowledges or decides").
  if (state.phase === 'ENDED' && !closesOpenEscalation(command, state)) {
    refuse('PARTNERSHIP_ENDED', { condition: 'PARTNERSHIP_NOT_ENDED', detail: `ended ${state.endedAt}` });
  }
  if (command.type === 'ProposePartnership') return proposePartnership(command, state, context);
  if (!state.exists) refuse('NOT_FOUND', { condition: 'PARTNERSHIP_EXISTS', detail: command.partnershipId });
  switch (command.type) {
    case 'AdmitParty':
      return admitParty(command, state, context);
    case 'WithdrawParty':
      return withdrawParty(command, state, context);
    case 'ReplaceDelegate':
      return replaceDelegate(command, state, context);
    case 'AssignNetworkRole':
      return assignNetworkRole(command, state, context);
    case 'DeclareInterest':
      return declareInterest(command, state, context);
    case 'ReviseInterest':
      return reviseInterest(command, state, context);
    case 'WithdrawInterest':
      return withdrawInterest(command, state, context);
    case 'FormulateAmbition':
      return formulateAmbition(command, state, context);
    case 'EndorseAmbition':
      return endorseAmbition(command, state, context);
    case 'PledgeContribution':
      return pledgeContribution(command, state, context);
    case 'ReportContributionDelivered':
      return reportContributionDelivered(command, state, context);
    case 'DefineGovernance':
      return defineGovernance(command, state, context);
    case 'ChangeScope':
      return changeScope(command, state, context);
    case 'AdvancePhase':
      return advancePhase(command, state, context);
    case 'RevertPhase':
      return revertPhase(command, state, context);
    case 'RequestApproval':
      return requestApproval(command, state, context);
    case 'RecordDecision':
      return recordDecision(command, state, context);
    case 'MarkConditionMet':
      return markConditionMet(command, state, context);
    case 'AcknowledgeEscalation':
      return acknowledgeEscalation(command, state, context);
    case 'FlagValueAtRisk':
      return flagValueAtRisk(command, state, context);
    case 'RecordAssessment':
      return recordAssessment(command, state, context);
    case 'ReportGoalProgress':
      return reportGoalProgress(command, state, context);
    case 'RecordEvaluation':
      return recordEvaluation(command, state, context);
    case 'ReviewPartnership':
      return reviewPartnership(command, state, context);
    case 'EndPartnership':
      return endPartnership(command, state, context);
  }
}

export const partnershipDecider: Decider<PartnershipCommand, PartnershipEvent, PartnershipState, DecisionContext> = {
  initialState: initialPartnershipState,
  evolve: evolvePartnership,
  decide,
};

export const foldPartnership = (events: readonly PartnershipEvent[]): PartnershipState =>
  events.reduce(evolvePartnership, initialPartnershipState);
