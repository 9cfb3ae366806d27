import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import { isBefore } from '../shared/time';
import type { PartnershipCommandOf } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import type { PartnershipState } from './partnership.state';
import { guardChange } from './escalation/escalation-policy';
import { requireActiveParty, requireUnique } from './guards';
import { JOINT } from './vocabulary';

/** Assessments on the five perspectives, by one party or jointly (gezamenlijk beoordelen). */
export function recordAssessment(command: PartnershipCommandOf<'RecordAssessment'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  requireUnique(state.assessments.some((a) => a.assessmentId === command.assessmentId), 'ASSESSMENT_ID_UNIQUE', command.assessmentId);
  if (command.by !== JOINT) requireActiveParty(state, command.by);
  return [
    { type: 'AssessmentRecorded', data: { assessmentId: command.assessmentId, by: command.by, scores: command.scores, assessedBy: context.actor.id, at: context.businessTime } },
  ];
}

/** "Are we still on course?" A STOP verdict escalates (EXPECTED to the BOARD by default). */
export function recordEvaluation(command: PartnershipCommandOf<'RecordEvaluation'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  requireUnique(state.evaluations.some((e) => e.evaluationId === command.evaluationId), 'EVALUATION_ID_UNIQUE', command.evaluationId);
  if (isBefore(command.period.to, command.period.from)) refuse('VALIDATION_FAILED', { condition: 'PERIOD_ORDERED', detail: `${command.period.from} > ${command.period.to}` });
  const policy = guardChange(
    state,
    context,
    command.verdict === 'STOP' ? [{ trigger: 'EVALUATION_STOP', subject: `evaluation ${command.evaluationId}: verdict STOP` }] : [],
    [],
  );
  const { type: _t, partnershipId: _p, ...evaluation } = command;
  return [{ type: 'EvaluationRecorded', data: { ...evaluation, at: context.businessTime } }, ...policy.escalations];
}

/** A non-negotiable value of the strategy is at risk. Reported, never refused. */
export function flagValueAtRisk(command: PartnershipCommandOf<'FlagValueAtRisk'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const values = context.strategy?.nonNegotiableValues ?? [];
  if (values.length > 0 && !values.includes(command.value)) {
    refuse('VALIDATION_FAILED', { condition: 'NON_NEGOTIABLE_VALUE_OF_STRATEGY', detail: command.value });
  }
  const policy = guardChange(state, context, [{ trigger: 'VALUE_AT_RISK', subject: `value at risk: ${command.value}` }], []);
  return [{ type: 'ValueFlaggedAtRisk', data: { value: command.value, note: command.note, flaggedBy: context.actor.id, at: context.businessTime } }, ...policy.escalations];
}
