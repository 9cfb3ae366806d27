import type { DecisionContext } from '../shared/decision-context';
import type { PartnershipCommandOf } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import type { PartnershipState } from './partnership.state';
import { guardChange } from './escalation/escalation-policy';
import type { TriggerOccurrence } from './escalation/effective-rules';

export function defineGovernance(command: PartnershipCommandOf<'DefineGovernance'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const occurrences: TriggerOccurrence[] =
    command.legalForm === state.legalForm
      ? []
      : [{ trigger: 'LEGAL_FORM_CHANGED', legalForm: command.legalForm, subject: `legal form ${state.legalForm} → ${command.legalForm}` }];
  const policy = guardChange(state, context, occurrences, command.approvals);
  return [
    {
      type: 'GovernanceDefined',
      data: {
        decisionRights: command.decisionRights ?? null,
        taskAllocation: command.taskAllocation ?? null,
        membership: command.membership ?? null,
        exclusivity: command.exclusivity ?? null,
        costAndRevenueSplit: command.costAndRevenueSplit ?? null,
        legalForm: command.legalForm,
        previousLegalForm: state.legalForm,
        budget: command.budget ?? null,
        exitArrangements: command.exitArrangements ?? null,
        authorisedBy: policy.authorisedBy,
        at: context.businessTime,
      },
    },
    ...policy.escalations,
  ];
}

/**
 * Scope, horizon and the statement of how it serves its clients. The first definition of the
 * scope is not a "scope change" (nothing was agreed yet); every later one is.
 */
export function changeScope(command: PartnershipCommandOf<'ChangeScope'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const occurrences: TriggerOccurrence[] = state.scope === null ? [] : [{ trigger: 'SCOPE_CHANGED', subject: 'scope changed' }];
  const policy = guardChange(state, context, occurrences, command.approvals);
  return [
    {
      type: 'ScopeChanged',
      data: {
        included: command.included,
        excluded: command.excluded,
        horizon: command.horizon ?? state.scope?.horizon ?? null,
        servesClients: command.servesClients ?? null,
        authorisedBy: policy.authorisedBy,
        at: context.businessTime,
      },
    },
    ...policy.escalations,
  ];
}
