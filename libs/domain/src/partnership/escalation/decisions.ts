import { assertSpeaksFor } from '../../shared/authorisation';
import type { DecisionContext } from '../../shared/decision-context';
import { refuse, type UnmetCondition } from '../../shared/domain-error';
import { addDays } from '../../shared/time';
import { DEFAULT_DEADLINE_DAYS, type EscalationLevel } from '../../strategy/escalation-rule';
import type { PartnershipCommandOf } from '../partnership.commands';
import type { PartnershipEvent } from '../partnership.events';
import type { PartnershipState } from '../partnership.state';
import { effectiveLevel, rulesFor } from './effective-rules';
import { requestedChangeProblems } from './requested-change';

/** The escalation an approval request raises is addressed to the request's body. */
export const requestEscalationId = (requestId: string): string => `request:${requestId}`;

/**
 * Rule 3, step one: "request approval (raises the escalation)". The escalation takes the
 * strongest level and shortest deadline of the rules that the requested change sets off and that
 * route to that body (their parameters too: a rule for entering DESIGN does not make a request to
 * enter SHARE mandatory; a legal form above the strategy's highest allowed one is MANDATORY for
 * the BOARD, one within it is not), else EXPECTED. A request that names nothing (scope changed,
 * ending) takes the rules of its trigger.
 */
export function requestApproval(command: PartnershipCommandOf<'RequestApproval'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  if (state.requests.some((r) => r.requestId === command.requestId)) refuse('ALREADY_EXISTS', { condition: 'REQUEST_ID_UNIQUE', detail: command.requestId });
  const problems = requestedChangeProblems(command.trigger, command.change);
  if (problems.length > 0) refuse('VALIDATION_FAILED', ...problems);
  const rules = rulesFor(context.strategy, { trigger: command.trigger, ...command.change, subject: command.subject }).filter((r) => r.body === command.body);
  const levels: EscalationLevel[] = rules.map(effectiveLevel);
  const level: EscalationLevel = levels.includes('MANDATORY') ? 'MANDATORY' : levels.includes('INFORM') ? 'INFORM' : 'EXPECTED';
  const deadlineDays = rules.length > 0 ? Math.min(...rules.map((r) => r.deadlineDays)) : DEFAULT_DEADLINE_DAYS;
  const at = context.businessTime;
  return [
    { type: 'ApprovalRequested', data: { requestId: command.requestId, body: command.body, trigger: command.trigger, subject: command.subject, change: command.change ?? null, requestedBy: context.actor.id, at } },
    {
      type: 'EscalationRaised',
      data: {
        escalationId: requestEscalationId(command.requestId),
        trigger: command.trigger,
        body: command.body,
        level,
        subject: command.subject,
        ruleId: rules.map((r) => r.ruleId).join(',') || null,
        requestId: command.requestId,
        dueAt: addDays(at, deadlineDays),
        at,
      },
    },
  ];
}

/** Rule 3, step two: the body decides, which resolves the escalation. One decision per request. */
export function recordDecision(command: PartnershipCommandOf<'RecordDecision'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  assertSpeaksFor(context, command.body, 'record the decisions');
  if (state.decisions.some((d) => d.decisionId === command.decisionId)) refuse('ALREADY_EXISTS', { condition: 'DECISION_ID_UNIQUE', detail: command.decisionId });
  const unmet: UnmetCondition[] = [];
  const request = command.requestId === undefined ? undefined : state.requests.find((r) => r.requestId === command.requestId);
  if (command.requestId !== undefined && !request) refuse('NOT_FOUND', { condition: 'REQUEST_EXISTS', detail: command.requestId });
  const escalation = command.escalationId === undefined ? undefined : state.escalations.find((e) => e.escalationId === command.escalationId);
  if (command.escalationId !== undefined && !escalation) refuse('NOT_FOUND', { condition: 'ESCALATION_EXISTS', detail: command.escalationId });
  if (request && request.decisionId !== null) refuse('INVALID_TRANSITION', { condition: 'REQUEST_UNDECIDED', detail: `${request.requestId} decided by ${request.decisionId}` });
  if (request && request.body !== command.body) unmet.push({ condition: 'DECISION_BY_REQUESTED_BODY', detail: `request is addressed to ${request.body}` });
  if (escalation && escalation.body !== command.body) unmet.push({ condition: 'DECISION_BY_ESCALATED_BODY', detail: `escalation is addressed to ${escalation.body}` });
  if (escalation && escalation.status !== 'OPEN') unmet.push({ condition: 'ESCALATION_OPEN', detail: `${escalation.escalationId} is ${escalation.status}` });
  const conditions = command.conditions ?? [];
  if (command.outcome === 'CONDITIONAL' && conditions.length === 0) unmet.push({ condition: 'CONDITIONAL_DECISION_HAS_CONDITIONS' });
  if (new Set(conditions.map((c) => c.conditionId)).size !== conditions.length) unmet.push({ condition: 'UNIQUE_CONDITION_IDS' });
  if (unmet.length > 0) refuse('VALIDATION_FAILED', ...unmet);
  return [
    {
      type: 'DecisionRecorded',
      data: {
        decisionId: command.decisionId,
        body: command.body,
        requestId: command.requestId ?? null,
        escalationId: command.escalationId ?? (request ? requestEscalationId(request.requestId) : null),
        subject: command.subject ?? request?.subject ?? null,
        outcome: command.outcome,
        rationale: command.rationale,
        conditions,
        decidedBy: context.actor.id,
        at: context.businessTime,
      },
    },
  ];
}

export function markConditionMet(command: PartnershipCommandOf<'MarkConditionMet'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const decision = state.decisions.find((d) => d.decisionId === command.decisionId);
  if (!decision) return refuse('NOT_FOUND', { condition: 'DECISION_EXISTS', detail: command.decisionId });
  const condition = decision.conditions.find((c) => c.conditionId === command.conditionId);
  if (!condition) return refuse('NOT_FOUND', { condition: 'CONDITION_OF_DECISION', detail: command.conditionId });
  assertSpeaksFor(context, decision.body, 'mark met the conditions');
  if (condition.met) refuse('INVALID_TRANSITION', { condition: 'CONDITION_UNMET', detail: `${command.conditionId} met on ${condition.metAt}` });
  return [
    { type: 'ConditionMet', data: { decisionId: command.decisionId, conditionId: command.conditionId, note: command.note ?? null, metBy: context.actor.id, at: context.businessTime } },
  ];
}

export function acknowledgeEscalation(command: PartnershipCommandOf<'AcknowledgeEscalation'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const escalation = state.escalations.find((e) => e.escalationId === command.escalationId);
  if (!escalation) return refuse('NOT_FOUND', { condition: 'ESCALATION_EXISTS', detail: command.escalationId });
  assertSpeaksFor(context, escalation.body, 'acknowledge the escalations');
  if (escalation.status !== 'OPEN') refuse('INVALID_TRANSITION', { condition: 'ESCALATION_OPEN', detail: `${command.escalationId} is ${escalation.status}` });
  // Rule 3: only an EXPECTED escalation "stays open until the body acknowledges or decides"; a
  // MANDATORY or INFORM one waits for the body's decision, which taking note of it is not.
  if (escalation.level !== 'EXPECTED') {
    refuse('INVALID_TRANSITION', { condition: 'ESCALATION_EXPECTED', detail: `${command.escalationId} is ${escalation.level}: the ${escalation.body} answers it with a decision (recordDecision)` });
  }
  return [
    { type: 'EscalationAcknowledged', data: { escalationId: command.escalationId, note: command.note ?? null, acknowledgedBy: context.actor.id, at: context.businessTime } },
  ];
}
