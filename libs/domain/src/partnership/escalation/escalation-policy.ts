import type { DecisionContext } from '../../shared/decision-context';
import { DomainError, type UnmetCondition } from '../../shared/domain-error';
import { addDays } from '../../shared/time';
import type { Body, EscalationLevel, Trigger } from '../../strategy/escalation-rule';
import type { PartnershipEventOf } from '../partnership.events';
import type { ApprovalRequestState, DecisionState, PartnershipState } from '../partnership.state';
import { effectiveLevel, rulesFor, type TriggerOccurrence } from './effective-rules';
import { describeRequestedChange, fitsRequestedChange } from './requested-change';

/**
 * Rule 3 — escalation policy, applied to a change before it is recorded.
 *
 * For every (body, trigger) the change sets off, the strongest level wins:
 * - MANDATORY: the change must cite an APPROVED or CONDITIONAL decision of that body on an
 *   approval request of this partnership for that trigger and for this change (the phase, legal
 *   form, organisation or amount the request named: requested-change.ts), not yet used by
 *   another change.
 * - INFORM: that body must have decided (any outcome, typically NOTED) on such a request. A
 *   cited decision is used first; otherwise the oldest unused one is taken. Either way it is
 *   consumed: staff are informed about one change, not about every later one.
 * - EXPECTED: the change goes through and raises an escalation, due after the rule's deadline.
 */
export interface PolicyOutcome {
  authorisedBy: string[];
  escalations: PartnershipEventOf<'EscalationRaised'>[];
  missingApprovals: UnmetCondition[];
  missingInforms: UnmetCondition[];
}

const LEVEL_STRENGTH: Record<EscalationLevel, number> = { EXPECTED: 0, INFORM: 1, MANDATORY: 2 };

interface Requirement {
  body: Body;
  trigger: Trigger;
  level: EscalationLevel;
  ruleIds: string[];
  deadlineDays: number;
  subject: string;
  /** The occurrences that set it off: a decision answers it when its request named one of them. */
  occurrences: TriggerOccurrence[];
}

function requirements(context: DecisionContext, occurrences: readonly TriggerOccurrence[]): Requirement[] {
  const byKey = new Map<string, Requirement>();
  for (const occurrence of occurrences) {
    for (const rule of rulesFor(context.strategy, occurrence)) {
      const key = `${rule.body}|${rule.trigger}`;
      const level = effectiveLevel(rule);
      const existing = byKey.get(key);
      if (!existing) {
        byKey.set(key, { body: rule.body, trigger: rule.trigger, level, ruleIds: [rule.ruleId], deadlineDays: rule.deadlineDays, subject: occurrence.subject, occurrences: [occurrence] });
      } else {
        existing.ruleIds.push(rule.ruleId);
        if (!existing.occurrences.includes(occurrence)) existing.occurrences.push(occurrence);
        if (LEVEL_STRENGTH[level] > LEVEL_STRENGTH[existing.level]) existing.level = level;
        existing.deadlineDays = Math.min(existing.deadlineDays, rule.deadlineDays);
      }
    }
  }
  return [...byKey.values()];
}

/** A decision of the body on a request of this partnership for the trigger and for this change. */
function answers(state: PartnershipState, decision: DecisionState, req: Requirement): boolean {
  const request = requestAnswered(state, decision, req.body, req.trigger);
  return request !== undefined && req.occurrences.some((o) => fitsRequestedChange(request.change, o));
}

function requestAnswered(state: PartnershipState, decision: DecisionState, body: Body, trigger: Trigger): ApprovalRequestState | undefined {
  if (decision.body !== body || decision.requestId === null) return undefined;
  const request = state.requests.find((r) => r.requestId === decision.requestId);
  return request !== undefined && request.trigger === trigger ? request : undefined;
}

function whyNot(state: PartnershipState, cited: readonly string[], req: Requirement, consumed: readonly string[]): string {
  const reasons = cited.map((id) => {
    const d = state.decisions.find((x) => x.decisionId === id);
    if (!d) return `${id}: no such decision`;
    if (d.usedBy || consumed.includes(id)) return `${id}: already authorised another change (${d.usedBy?.eventType ?? 'this command'})`;
    const request = requestAnswered(state, d, req.body, req.trigger);
    if (!request) return `${id}: not a ${req.body} decision on a request for ${req.trigger}`;
    if (!answers(state, d, req)) return `${id}: authorises another change (requested for ${describeRequestedChange(request.change)})`;
    return `${id}: outcome ${d.outcome}`;
  });
  return [`rule ${req.ruleIds.join(',')}: ${req.subject}`, ...reasons].join('; ');
}

export function applyEscalationPolicy(
  state: PartnershipState,
  context: DecisionContext,
  occurrences: readonly TriggerOccurrence[],
  cited: readonly string[] = [],
): PolicyOutcome {
  const outcome: PolicyOutcome = { authorisedBy: [], escalations: [], missingApprovals: [], missingInforms: [] };
  const causingRevision = state.revision + 1;
  const unused = (d: DecisionState) => d.usedBy === null && !outcome.authorisedBy.includes(d.decisionId);
  for (const req of requirements(context, occurrences)) {
    switch (req.level) {
      case 'MANDATORY': {
        const found = state.decisions.find(
          (d) => cited.includes(d.decisionId) && unused(d) && answers(state, d, req) && (d.outcome === 'APPROVED' || d.outcome === 'CONDITIONAL'),
        );
        if (found) outcome.authorisedBy.push(found.decisionId);
        else outcome.missingApprovals.push({ condition: `APPROVAL:${req.body}:${req.trigger}`, detail: whyNot(state, cited, req, outcome.authorisedBy) });
        break;
      }
      case 'INFORM': {
        const informs = state.decisions.filter((d) => unused(d) && answers(state, d, req));
        const found = informs.find((d) => cited.includes(d.decisionId)) ?? informs[0];
        if (found) outcome.authorisedBy.push(found.decisionId);
        else outcome.missingInforms.push({ condition: `INFORMED:${req.body}:${req.trigger}`, detail: `rule ${req.ruleIds.join(',')}: ${req.subject}` });
        break;
      }
      case 'EXPECTED':
        outcome.escalations.push({
          type: 'EscalationRaised',
          data: {
            escalationId: `${req.trigger}:${req.body}:${causingRevision}`,
            trigger: req.trigger,
            body: req.body,
            level: 'EXPECTED',
            subject: req.subject,
            ruleId: req.ruleIds.join(','),
            requestId: null,
            dueAt: addDays(context.businessTime, req.deadlineDays),
            at: context.businessTime,
          },
        });
        break;
    }
  }
  return outcome;
}

/** The refusal for missing approvals/informs, if any: APPROVAL_REQUIRED wins, listing both kinds. */
export function policyRefusal(outcome: PolicyOutcome): DomainError | null {
  if (outcome.missingApprovals.length > 0) return new DomainError('APPROVAL_REQUIRED', [...outcome.missingApprovals, ...outcome.missingInforms]);
  if (outcome.missingInforms.length > 0) return new DomainError('INFORM_REQUIRED', outcome.missingInforms);
  return null;
}

/** Applies the policy and throws when a MANDATORY or INFORM escalation is not satisfied. */
export function guardChange(
  state: PartnershipState,
  context: DecisionContext,
  occurrences: readonly TriggerOccurrence[],
  cited: readonly string[] | undefined,
): PolicyOutcome {
  const outcome = applyEscalationPolicy(state, context, occurrences, cited ?? []);
  const refusal = policyRefusal(outcome);
  if (refusal) throw refusal;
  return outcome;
}
