import type { StrategyState } from '../../strategy/strategy.state';
import {
  DEFAULT_ESCALATION_RULES,
  LEGAL_FORM_BOUNDARY_RULE_ID,
  REPORTING_TRIGGERS,
  type EscalationLevel,
  type EscalationRule,
  type Trigger,
} from '../../strategy/escalation-rule';
import { legalFormRank, type LegalForm, type WorkingPhase } from '../vocabulary';

/** One occurrence of a rule-3 trigger caused by a change. */
export interface TriggerOccurrence {
  trigger: Trigger;
  phase?: WorkingPhase;
  legalForm?: LegalForm;
  amount?: number;
  /** The organisation admitted, withdrawn, whose delegate is replaced, or that pledges. */
  organisationId?: string;
  /** Human subject for an escalation it raises. */
  subject: string;
}

/** The strategy's rules plus our defaults for triggers the strategy does not route. */
export function effectiveRules(strategy: StrategyState | undefined): EscalationRule[] {
  const own = strategy?.escalationRules ?? [];
  const defaults = DEFAULT_ESCALATION_RULES.filter((d) => !own.some((r) => r.trigger === d.trigger));
  return [...own, ...defaults];
}

/** Reporting triggers never refuse (see REPORTING_TRIGGERS): they are EXPECTED whatever the rule says. */
export function effectiveLevel(rule: EscalationRule): EscalationLevel {
  return REPORTING_TRIGGERS.includes(rule.trigger) ? 'EXPECTED' : rule.level;
}

export function ruleMatches(rule: EscalationRule, occurrence: TriggerOccurrence): boolean {
  if (rule.trigger !== occurrence.trigger) return false;
  const params = rule.params ?? {};
  switch (occurrence.trigger) {
    case 'PHASE_ENTERED':
      return params.phase === undefined || params.phase === occurrence.phase;
    case 'LEGAL_FORM_CHANGED':
      return params.legalForm === undefined || (occurrence.legalForm !== undefined && legalFormRank(occurrence.legalForm) >= legalFormRank(params.legalForm));
    case 'CONTRIBUTION_ABOVE':
      return (occurrence.amount ?? 0) > (params.amount ?? 0);
    case 'PHASES_SKIPPED':
    case 'PARTY_ADMITTED':
    case 'PARTY_WITHDRAWN':
    case 'DELEGATE_REPLACED':
    case 'SCOPE_CHANGED':
    case 'VALUE_AT_RISK':
    case 'EVALUATION_STOP':
    case 'PARTNERSHIP_ENDED':
    case 'STAGNATION':
    case 'HEALTH_BELOW':
    case 'EVALUATION_OVERDUE':
      return true;
  }
}

/**
 * The rules an occurrence sets off, including the strategy boundary of rule 3: a legal form
 * above the highest allowed without a board decision is always MANDATORY for the BOARD.
 */
export function rulesFor(strategy: StrategyState | undefined, occurrence: TriggerOccurrence): EscalationRule[] {
  const matched = effectiveRules(strategy).filter((r) => ruleMatches(r, occurrence));
  if (
    occurrence.trigger === 'LEGAL_FORM_CHANGED' &&
    occurrence.legalForm !== undefined &&
    strategy !== undefined &&
    legalFormRank(occurrence.legalForm) > legalFormRank(strategy.highestLegalFormWithoutBoardDecision)
  ) {
    matched.push({ ruleId: LEGAL_FORM_BOUNDARY_RULE_ID, trigger: 'LEGAL_FORM_CHANGED', body: 'BOARD', level: 'MANDATORY', deadlineDays: 30 });
  }
  return matched;
}
