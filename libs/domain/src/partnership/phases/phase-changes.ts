import type { DecisionContext } from '../../shared/decision-context';
import { DomainError, refuse, type UnmetCondition } from '../../shared/domain-error';
import type { PartnershipCommandOf } from '../partnership.commands';
import type { PartnershipEvent } from '../partnership.events';
import type { PartnershipState } from '../partnership.state';
import { applyEscalationPolicy, policyRefusal } from '../escalation/escalation-policy';
import type { TriggerOccurrence } from '../escalation/effective-rules';
import { WORKING_PHASES, type WorkingPhase } from '../vocabulary';
import { gateUnmet, gatesBetween } from './phase-gates';

function currentWorkingPhase(state: PartnershipState): WorkingPhase {
  const phase = state.phase;
  if (phase === null || phase === 'ENDED') return refuse('INVALID_TRANSITION', { condition: 'PHASE_IS_WORKING', detail: String(phase) });
  return phase;
}

/**
 * Rule 1 (one step through a gate) and rule 2 (more than one step: a skip). A one-step refusal
 * names every unmet gate condition and every missing approval. A skip passes the gates over
 * without enforcing them but needs a justification and records what was unmet.
 */
export function advancePhase(command: PartnershipCommandOf<'AdvancePhase'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const from = currentWorkingPhase(state);
  const to = command.toPhase;
  const steps = WORKING_PHASES.indexOf(to) - WORKING_PHASES.indexOf(from);
  if (steps <= 0) refuse('INVALID_TRANSITION', { condition: 'TARGET_PHASE_AHEAD', detail: `${from} → ${to}: use RevertPhase to go back` });
  const gates = gatesBetween(from, to).map((gate) => ({ ...gate, unmet: gateUnmet(state, gate.from) }));
  const entered: TriggerOccurrence[] = gates.map((g) => ({ trigger: 'PHASE_ENTERED', phase: g.to, subject: `phase ${g.to} entered` }));
  const occurrences: TriggerOccurrence[] = steps > 1 ? [...entered, { trigger: 'PHASES_SKIPPED', phase: to, subject: `phases skipped: ${from} → ${to}` }] : entered;
  const policy = applyEscalationPolicy(state, context, occurrences, command.approvals ?? []);
  const missing: UnmetCondition[] = [...policy.missingApprovals, ...policy.missingInforms];

  if (steps === 1) {
    const unmet = gates[0].unmet;
    if (unmet.length > 0) throw new DomainError('PHASE_GATE_UNMET', [...unmet, ...missing]);
    const refusal = policyRefusal(policy);
    if (refusal) throw refusal;
    return [{ type: 'PhaseAdvanced', data: { from, to, authorisedBy: policy.authorisedBy, at: context.businessTime } }, ...policy.escalations];
  }

  if (!command.justification) throw new DomainError('VALIDATION_FAILED', [{ condition: 'SKIP_JUSTIFIED', detail: `${from} → ${to} skips ${steps - 1} phase(s)` }, ...missing]);
  const refusal = policyRefusal(policy);
  if (refusal) throw refusal;
  return [
    {
      type: 'PhasesSkipped',
      data: { from, to, justification: command.justification, passedOver: gates, authorisedBy: policy.authorisedBy, at: context.businessTime },
    },
    ...policy.escalations,
  ];
}

/** Rule 2: going back needs a reason and is always allowed before ENDED (never escalated). */
export function revertPhase(command: PartnershipCommandOf<'RevertPhase'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const from = currentWorkingPhase(state);
  if (WORKING_PHASES.indexOf(command.toPhase) >= WORKING_PHASES.indexOf(from)) {
    refuse('INVALID_TRANSITION', { condition: 'TARGET_PHASE_BEHIND', detail: `${from} → ${command.toPhase}: use AdvancePhase to go forward` });
  }
  return [{ type: 'PhaseReverted', data: { from, to: command.toPhase, reason: command.reason, at: context.businessTime } }];
}
