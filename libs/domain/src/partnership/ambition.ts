import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import type { PartnershipCommandOf } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import type { PartnershipState } from './partnership.state';
import { requireActiveParty } from './guards';

export function formulateAmbition(command: PartnershipCommandOf<'FormulateAmbition'>, _state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const ids = command.goals.map((g) => g.goalId);
  if (new Set(ids).size !== ids.length) refuse('VALIDATION_FAILED', { condition: 'UNIQUE_GOAL_IDS' });
  return [{ type: 'AmbitionFormulated', data: { statement: command.statement, goals: command.goals, noGoAreas: command.noGoAreas, at: context.businessTime } }];
}

export function endorseAmbition(command: PartnershipCommandOf<'EndorseAmbition'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const unmet = [];
  if (!state.ambition) unmet.push({ condition: 'AMBITION_FORMULATED' });
  if (unmet.length > 0) refuse('NOT_FOUND', ...unmet);
  requireActiveParty(state, command.organisationId);
  if (state.endorsements.includes(command.organisationId)) return []; // endorses it already
  return [{ type: 'AmbitionEndorsed', data: { organisationId: command.organisationId, at: context.businessTime } }];
}

export function reportGoalProgress(command: PartnershipCommandOf<'ReportGoalProgress'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  if (!state.ambition?.goals.some((g) => g.goalId === command.goalId)) refuse('NOT_FOUND', { condition: 'GOAL_OF_AMBITION', detail: command.goalId });
  return [{ type: 'GoalProgressReported', data: { goalId: command.goalId, actual: command.actual ?? null, note: command.note ?? null, at: context.businessTime } }];
}
