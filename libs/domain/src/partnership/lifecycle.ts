import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import type { PartnershipCommandOf } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import type { PartnershipState } from './partnership.state';
import { guardChange } from './escalation/escalation-policy';

export function proposePartnership(command: PartnershipCommandOf<'ProposePartnership'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  if (state.exists) refuse('ALREADY_EXISTS', { condition: 'PARTNERSHIP_NOT_PROPOSED', detail: command.partnershipId });
  // A partnership serves the home strategy: it is proposed on one of its themes.
  const strategy = context.strategy;
  if (!strategy?.defined) refuse('NOT_FOUND', { condition: 'STRATEGY_DEFINED' });
  if (!strategy.themes.some((t) => t.themeId === command.themeId)) {
    refuse('VALIDATION_FAILED', { condition: 'THEME_OF_STRATEGY', detail: command.themeId });
  }
  const { type: _type, leadParty, servesClients, ...profile } = command;
  return [
    {
      type: 'PartnershipProposed',
      data: {
        ...profile,
        servesClients: servesClients ?? null,
        leadParty: { organisationId: leadParty.organisationId, delegate: leadParty.delegate, ambitionAtTable: leadParty.ambitionAtTable ?? null },
        proposedBy: context.actor.id,
        at: context.businessTime,
      },
    },
  ];
}

export function endPartnership(command: PartnershipCommandOf<'EndPartnership'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const policy = guardChange(state, context, [{ trigger: 'PARTNERSHIP_ENDED', subject: `end: ${command.reason}` }], command.approvals);
  return [
    { type: 'PartnershipEnded', data: { reason: command.reason, from: state.phase ?? 'EXPLORE', authorisedBy: policy.authorisedBy, at: context.businessTime } },
    ...policy.escalations,
  ];
}
