import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import type { PartnershipCommandOf } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import type { PartnershipState } from './partnership.state';
import { guardChange } from './escalation/escalation-policy';
import type { TriggerOccurrence } from './escalation/effective-rules';
import { requireActiveParty, requireUnique } from './guards';

export function pledgeContribution(command: PartnershipCommandOf<'PledgeContribution'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  requireUnique(state.pledges.some((p) => p.pledgeId === command.pledgeId), 'PLEDGE_ID_UNIQUE', command.pledgeId);
  requireActiveParty(state, command.organisationId);
  // "A single contribution above an amount" is about money, brought or taken.
  const occurrences: TriggerOccurrence[] =
    command.kind === 'MONEY' && command.amount !== undefined
      ? [{ trigger: 'CONTRIBUTION_ABOVE', amount: command.amount, organisationId: command.organisationId, subject: `${command.organisationId} ${command.direction === 'BRING' ? 'brings' : 'takes'} ${command.amount} (money)` }]
      : [];
  const policy = guardChange(state, context, occurrences, command.approvals);
  return [
    {
      type: 'ContributionPledged',
      data: {
        pledgeId: command.pledgeId,
        organisationId: command.organisationId,
        direction: command.direction,
        kind: command.kind,
        description: command.description,
        amount: command.amount ?? null,
        authorisedBy: policy.authorisedBy,
        at: context.businessTime,
      },
    },
    ...policy.escalations,
  ];
}

/** What a party brings is later reported delivered (the agreements are really carried out). */
export function reportContributionDelivered(command: PartnershipCommandOf<'ReportContributionDelivered'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const pledge = state.pledges.find((p) => p.pledgeId === command.pledgeId);
  if (!pledge) return refuse('NOT_FOUND', { condition: 'PLEDGE_EXISTS', detail: command.pledgeId });
  if (pledge.direction !== 'BRING') refuse('INVALID_TRANSITION', { condition: 'PLEDGE_BRINGS', detail: 'only what a party brings is delivered' });
  if (pledge.deliveredAt !== null) refuse('INVALID_TRANSITION', { condition: 'PLEDGE_NOT_DELIVERED', detail: command.pledgeId });
  return [{ type: 'ContributionDelivered', data: { pledgeId: command.pledgeId, note: command.note ?? null, at: context.businessTime } }];
}
