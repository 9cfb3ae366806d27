import {
  REPORTING_TRIGGERS,
  rulesFor,
  type Body,
  type EscalationLevel,
  type PartnershipEvent,
  type PartnershipState,
  type StrategyState,
  type Trigger,
  type TriggerOccurrence,
} from '@ppl/domain';

/**
 * Rule 3 re-derived from the record, independently of what the decider wrote: which
 * MANDATORY/INFORM approvals a stored change needed, given the partnership as it stood before it
 * and the home strategy as it stood at its global position. An event planted past the decider
 * (an empty or forged `authorisedBy`) still "needs" what the rules say it needs.
 */
export interface Requirement {
  readonly body: Body;
  readonly trigger: Trigger;
  readonly level: Extract<EscalationLevel, 'MANDATORY' | 'INFORM'>;
  readonly ruleIds: readonly string[];
  readonly subject: string;
  /** What set it off: a decision answers it when its request named one of these changes. */
  readonly occurrences: readonly TriggerOccurrence[];
}

const STRENGTH: Record<EscalationLevel, number> = { EXPECTED: 0, INFORM: 1, MANDATORY: 2 };

/** The rule-3 trigger occurrences a stored change sets off (mirrors the deciders). */
export function occurrencesOf(
  event: PartnershipEvent,
  before: PartnershipState,
): TriggerOccurrence[] {
  switch (event.type) {
    case 'PhaseAdvanced':
      return [
        {
          trigger: 'PHASE_ENTERED',
          phase: event.data.to,
          subject: `phase ${event.data.to} entered`,
        },
      ];
    case 'PhasesSkipped':
      return [
        ...event.data.passedOver.map((g): TriggerOccurrence => ({
          trigger: 'PHASE_ENTERED',
          phase: g.to,
          subject: `phase ${g.to} entered`,
        })),
        {
          trigger: 'PHASES_SKIPPED',
          phase: event.data.to,
          subject: `phases skipped: ${event.data.from} → ${event.data.to}`,
        },
      ];
    case 'GovernanceDefined':
      return event.data.legalForm === event.data.previousLegalForm
        ? []
        : [
            {
              trigger: 'LEGAL_FORM_CHANGED',
              legalForm: event.data.legalForm,
              subject: `legal form ${event.data.previousLegalForm} → ${event.data.legalForm}`,
            },
          ];
    case 'ScopeChanged':
      return before.scope === null ? [] : [{ trigger: 'SCOPE_CHANGED', subject: 'scope changed' }];
    case 'ContributionPledged':
      return event.data.kind === 'MONEY' && event.data.amount !== null
        ? [
            {
              trigger: 'CONTRIBUTION_ABOVE',
              amount: event.data.amount,
              organisationId: event.data.organisationId,
              subject: `${event.data.organisationId} pledges ${event.data.amount} (money)`,
            },
          ]
        : [];
    case 'PartyAdmitted':
      return [
        { trigger: 'PARTY_ADMITTED', organisationId: event.data.organisationId, subject: `party admitted: ${event.data.organisationId}` },
      ];
    case 'PartyWithdrawn':
      return [
        { trigger: 'PARTY_WITHDRAWN', organisationId: event.data.organisationId, subject: `party withdrawn: ${event.data.organisationId}` },
      ];
    case 'DelegateReplaced':
      return [
        {
          trigger: 'DELEGATE_REPLACED',
          organisationId: event.data.organisationId,
          subject: `delegate of ${event.data.organisationId} replaced`,
        },
      ];
    case 'PartnershipEnded':
      return [{ trigger: 'PARTNERSHIP_ENDED', subject: `end: ${event.data.reason}` }];
    // Value at risk and evaluations set off reporting triggers (always EXPECTED, never refused);
    // the rest set off no rule. Listed one by one so that a new event type must be decided here.
    case 'ValueFlaggedAtRisk':
    case 'EvaluationRecorded':
    case 'PartnershipProposed':
    case 'AmbitionEndorsementsLapsed':
    case 'InterestsLapsed':
    case 'NetworkRoleAssigned':
    case 'InterestDeclared':
    case 'InterestRevised':
    case 'InterestWithdrawn':
    case 'AmbitionFormulated':
    case 'AmbitionEndorsed':
    case 'ContributionDelivered':
    case 'PhaseReverted':
    case 'ApprovalRequested':
    case 'EscalationRaised':
    case 'DecisionRecorded':
    case 'ConditionMet':
    case 'EscalationAcknowledged':
    case 'EscalationOverdue':
    case 'AssessmentRecorded':
    case 'GoalProgressReported':
    case 'GoalProgressLapsed':
      return [];
  }
}

/** The MANDATORY and INFORM approvals a change needed, strongest level per (body, trigger). */
export function requirementsOf(
  occurrences: readonly TriggerOccurrence[],
  strategy: StrategyState,
): Requirement[] {
  const byKey = new Map<
    string,
    {
      body: Body;
      trigger: Trigger;
      level: EscalationLevel;
      ruleIds: string[];
      subject: string;
      occurrences: TriggerOccurrence[];
    }
  >();
  for (const occurrence of occurrences) {
    for (const rule of rulesFor(strategy, occurrence)) {
      const level: EscalationLevel = REPORTING_TRIGGERS.includes(rule.trigger)
        ? 'EXPECTED'
        : rule.level;
      const key = `${rule.body}|${rule.trigger}`;
      const existing = byKey.get(key);
      if (!existing)
        byKey.set(key, {
          body: rule.body,
          trigger: rule.trigger,
          level,
          ruleIds: [rule.ruleId],
          subject: occurrence.subject,
          occurrences: [occurrence],
        });
      else {
        existing.ruleIds.push(rule.ruleId);
        if (!existing.occurrences.includes(occurrence)) existing.occurrences.push(occurrence);
        if (STRENGTH[level] > STRENGTH[existing.level]) existing.level = level;
      }
    }
  }
  const out: Requirement[] = [];
  for (const r of byKey.values()) {
    if (r.level === 'MANDATORY' || r.level === 'INFORM') out.push({ ...r, level: r.level });
  }
  return out;
}

/** The decision ids a stored change cites (rule 3's `authorisedBy`), [] when it has none. */
export function citedBy(event: PartnershipEvent): string[] {
  const data = event.data as { authorisedBy?: unknown };
  return Array.isArray(data.authorisedBy)
    ? data.authorisedBy.filter((id): id is string => typeof id === 'string')
    : [];
}
