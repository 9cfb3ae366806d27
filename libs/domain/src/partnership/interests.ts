import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import type { PartnershipCommandOf } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import type { InterestState, PartnershipState } from './partnership.state';
import { requireActiveParty, requireUnique } from './guards';

export function declareInterest(command: PartnershipCommandOf<'DeclareInterest'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  requireUnique(state.interests.some((i) => i.interestId === command.interestId), 'INTEREST_ID_UNIQUE', command.interestId);
  requireActiveParty(state, command.organisationId);
  const party = state.parties.find((p) => p.organisationId === command.organisationId);
  return [
    {
      type: 'InterestDeclared',
      data: {
        interestId: command.interestId,
        organisationId: command.organisationId,
        kind: command.kind,
        description: command.description,
        position: command.position ?? null,
        lossIfNoCollaboration: command.lossIfNoCollaboration ?? null,
        dealbreaker: command.dealbreaker ?? false,
        // Declared at the table by the party's current delegate; INDIVIDUAL ones are theirs.
        declaredByDelegate: party?.delegate.personId ?? command.organisationId,
        at: context.businessTime,
      },
    },
  ];
}

function activeInterest(state: PartnershipState, interestId: string): InterestState {
  const interest = state.interests.find((i) => i.interestId === interestId);
  if (!interest) return refuse('NOT_FOUND', { condition: 'INTEREST_EXISTS', detail: interestId });
  if (interest.status !== 'ACTIVE') refuse('INVALID_TRANSITION', { condition: 'INTEREST_ACTIVE', detail: `${interestId} is ${interest.status}` });
  return interest;
}

export function reviseInterest(command: PartnershipCommandOf<'ReviseInterest'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  activeInterest(state, command.interestId);
  const { type: _t, partnershipId: _p, interestId, ...changes } = command;
  if (Object.values(changes).every((v) => v === undefined)) refuse('VALIDATION_FAILED', { condition: 'REVISION_CHANGES_SOMETHING' });
  return [{ type: 'InterestRevised', data: { interestId, ...changes, at: context.businessTime } }];
}

export function withdrawInterest(command: PartnershipCommandOf<'WithdrawInterest'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  activeInterest(state, command.interestId);
  return [{ type: 'InterestWithdrawn', data: { interestId: command.interestId, reason: command.reason ?? null, at: context.businessTime } }];
}
