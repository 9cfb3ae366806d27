import { deciders, type PartnershipEvent, type PartnershipState } from '@ppl/domain';
import type { RecordedEvent } from '@ppl/event-store';
import { asPartnershipEvent, businessTimeOf } from '../recorded';

/** One line of a partnership's history: who changed what, when (both clocks), where in the order. */
export interface HistoryEntry {
  readonly revision: number;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly actor: { readonly id: string; readonly role: string | null } | null;
  readonly commandId: string | null;
  readonly businessTime: string;
  readonly recordedAt: string;
  readonly summary: string;
  /** The event's own fields (upcast to the current version). */
  readonly data: unknown;
  /** Top-level parts of the folded partnership that this event changed. */
  readonly changed: readonly string[];
}

const list = (xs: readonly string[]): string => xs.join(', ');

/** A one-line, human summary of a partnership event. */
export function summarise(event: PartnershipEvent): string {
  switch (event.type) {
    case 'PartnershipProposed':
      return `Proposed “${event.data.name}” (${event.data.purposeType}, theme ${event.data.themeId}) led by ${event.data.leadParty.organisationId}`;
    case 'PartyAdmitted':
      return `Admitted ${event.data.organisationId} with delegate ${event.data.delegate.personId}${cites(event.data.authorisedBy)}`;
    case 'PartyWithdrawn':
      return `${event.data.organisationId} withdrew: ${event.data.reason}${cites(event.data.authorisedBy)}`;
    case 'AmbitionEndorsementsLapsed':
      return `Endorsements lapsed (${list(event.data.organisationIds)}): ${event.data.reason}`;
    case 'DelegateReplaced':
      return `Delegate of ${event.data.organisationId} replaced: ${event.data.previous.personId} → ${event.data.delegate.personId}${cites(event.data.authorisedBy)}`;
    case 'InterestsLapsed':
      return `Interests lapsed (${list(event.data.interestIds)}): ${event.data.reason}`;
    case 'NetworkRoleAssigned':
      return `${event.data.role} role assigned to ${event.data.person.personId} of ${event.data.organisationId}`;
    case 'InterestDeclared':
      return `${event.data.organisationId} declared a${event.data.dealbreaker ? ' dealbreaker' : 'n'} ${event.data.kind} interest: ${event.data.description}`;
    case 'InterestRevised':
      return `Interest ${event.data.interestId} revised`;
    case 'InterestWithdrawn':
      return `Interest ${event.data.interestId} withdrawn${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'AmbitionFormulated':
      return `Ambition formulated with ${event.data.goals.length} goal(s): ${event.data.statement}`;
    case 'AmbitionEndorsed':
      return `${event.data.organisationId} endorsed the ambition`;
    case 'ContributionPledged':
      return `${event.data.organisationId} pledges to ${event.data.direction.toLowerCase()} ${event.data.kind}${event.data.amount === null ? '' : ` ${event.data.amount}`}: ${event.data.description}${cites(event.data.authorisedBy)}`;
    case 'ContributionDelivered':
      return `Pledge ${event.data.pledgeId} delivered`;
    case 'GovernanceDefined':
      return `Governance defined, legal form ${event.data.previousLegalForm} → ${event.data.legalForm}${cites(event.data.authorisedBy)}`;
    case 'ScopeChanged':
      return `Scope set: includes ${list(event.data.included) || 'nothing'}; excludes ${list(event.data.excluded) || 'nothing'}${event.data.horizon ? `; until ${event.data.horizon}` : ''}${cites(event.data.authorisedBy)}`;
    case 'PhaseAdvanced':
      return `Phase ${event.data.from} → ${event.data.to}${cites(event.data.authorisedBy)}`;
    case 'PhasesSkipped':
      return `Skipped phases ${event.data.from} → ${event.data.to}: ${event.data.justification}${cites(event.data.authorisedBy)}`;
    case 'PhaseReverted':
      return `Phase reverted ${event.data.from} → ${event.data.to}: ${event.data.reason}`;
    case 'ApprovalRequested':
      return `Approval of the ${event.data.body} requested for ${event.data.trigger}: ${event.data.subject}`;
    case 'EscalationRaised':
      return `${event.data.level} escalation to the ${event.data.body} (${event.data.trigger}), due ${event.data.dueAt.slice(0, 10)}: ${event.data.subject}`;
    case 'DecisionRecorded':
      return `${event.data.body} decided ${event.data.outcome}: ${event.data.rationale}${event.data.conditions.length > 0 ? ` (conditions: ${list(event.data.conditions.map((c) => c.description))})` : ''}`;
    case 'ConditionMet':
      return `Condition ${event.data.conditionId} of decision ${event.data.decisionId} met`;
    case 'EscalationAcknowledged':
      return `Escalation ${event.data.escalationId} acknowledged`;
    case 'EscalationOverdue':
      return `Escalation ${event.data.escalationId} overdue (due ${event.data.dueAt.slice(0, 10)})`;
    case 'ValueFlaggedAtRisk':
      return `Value at risk: ${event.data.value} — ${event.data.note}`;
    case 'AssessmentRecorded':
      return `Assessment by ${event.data.by}: ${Object.entries(event.data.scores)
        .map(([k, v]) => `${k} ${v.score}`)
        .join(', ')}`;
    case 'GoalProgressReported':
      return `Progress on goal ${event.data.goalId}${event.data.actual === null ? '' : `: ${event.data.actual}`}`;
    case 'GoalProgressLapsed':
      return `Progress on goal ${event.data.goalId} of ${event.data.reportedAt.slice(0, 10)} no longer recent`;
    case 'EvaluationRecorded':
      return `Evaluation ${event.data.period.from}–${event.data.period.to}: ${event.data.verdict}`;
    case 'PartnershipEnded':
      return `Partnership ended (from ${event.data.from}): ${event.data.reason}${cites(event.data.authorisedBy)}`;
  }
}

function cites(ids: readonly string[]): string {
  return ids.length === 0 ? '' : ` [authorised by ${list(ids)}]`;
}

function changedParts(before: PartnershipState, after: PartnershipState): string[] {
  const out: string[] = [];
  for (const key of Object.keys(after) as (keyof PartnershipState)[]) {
    if (key === 'revision') continue;
    if (before[key] !== after[key] && JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      out.push(key);
  }
  return out;
}

/** The history of one partnership stream (its events in revision order). */
export function partnershipHistory(stream: readonly RecordedEvent[]): HistoryEntry[] {
  let state: PartnershipState = deciders.partnership.initialState;
  return stream.map((recorded) => {
    const event = asPartnershipEvent(recorded);
    const after = deciders.partnership.evolve(state, event);
    const entry: HistoryEntry = {
      revision: recorded.revision,
      position: recorded.position,
      eventId: recorded.id,
      type: recorded.type,
      actor: recorded.metadata.actor
        ? { id: recorded.metadata.actor.id, role: recorded.metadata.actor.role ?? null }
        : null,
      commandId: recorded.metadata.commandId ?? null,
      businessTime: businessTimeOf(recorded),
      recordedAt: recorded.recordedAt,
      summary: summarise(event),
      data: event.data,
      changed: changedParts(state, after),
    };
    state = after;
    return entry;
  });
}
