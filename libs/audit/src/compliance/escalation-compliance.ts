import {
  deciders,
  describeRequestedChange,
  fitsRequestedChange,
  type RequestedChange,
  type Body,
  type DecisionOutcome,
  type EscalationLevel,
  type PartnershipState,
  type StrategyState,
  type Trigger,
} from '@ppl/domain';
import type { RecordedEvent } from '@ppl/event-store';
import {
  HOME_STRATEGY_STREAM,
  asPartnershipEvent,
  evolveStrategy,
  isKnownEvent,
  isPartnershipStream,
  partnershipIdOf,
  refOf,
  type EventRef,
} from '../recorded';
import { citedBy, occurrencesOf, requirementsOf, type Requirement } from './guarded-changes';

/**
 * Escalation compliance (rule 3), judged from the stored record alone.
 *
 * "Before" is the global position in the event store, never the business time a caller
 * supplied: a decision precedes a change only when its position is lower.
 *
 * Verdicts:
 * - COMPLIANT: MANDATORY — an APPROVED/CONDITIONAL decision of the escalated body answering the
 *   request, positioned before the change that cites it (or no change yet); INFORM — a decision
 *   of that body on the request before the change; EXPECTED — acknowledged or decided.
 * - CONDITIONS_OPEN: as COMPLIANT, but a CONDITIONAL decision has conditions not all marked met.
 * - BREACH: a change that needed a MANDATORY/INFORM decision and cites none that qualifies —
 *   missing, of another body, answering another trigger, REJECTED (MANDATORY), already used
 *   by an earlier change, or positioned after the change — or that cites a decision that does not
 *   exist or comes later.
 * - PENDING: raised, not yet decided or acknowledged, deadline not passed.
 * - OVERDUE: raised, still undecided, and marked overdue by a review or past its deadline at `now`.
 */
export const COMPLIANCE_VERDICTS = [
  'COMPLIANT',
  'CONDITIONS_OPEN',
  'BREACH',
  'PENDING',
  'OVERDUE',
] as const;
export type ComplianceVerdict = (typeof COMPLIANCE_VERDICTS)[number];

export interface ConditionStatus {
  readonly conditionId: string;
  readonly description: string;
  readonly met: boolean;
  readonly metAt: EventRef | null;
}

export interface DecisionRef extends EventRef {
  readonly decisionId: string;
  readonly body: Body;
  readonly outcome: DecisionOutcome;
  readonly requestId: string | null;
  readonly conditions: readonly ConditionStatus[];
}

export interface ChangeRef extends EventRef {
  readonly authorisedBy: readonly string[];
}

export interface EscalationComplianceEntry {
  readonly partnershipId: string;
  /** null for a breach with no escalation at all (a guarded change nobody asked approval for). */
  readonly escalationId: string | null;
  /** null only for a forged citation that no rule asked for. */
  readonly trigger: Trigger | null;
  readonly body: Body | null;
  readonly level: EscalationLevel | null;
  readonly subject: string | null;
  readonly raised: EventRef | null;
  /** The approval request that raised it, with the change it named (null: any change of its trigger, an older request). */
  readonly request: (EventRef & { readonly requestId: string; readonly change: RequestedChange | null }) | null;
  /** The change this escalation is about: the one that set it off (EXPECTED) or that it authorised. */
  readonly triggerEvent: ChangeRef | null;
  readonly decision: DecisionRef | null;
  readonly acknowledgement: EventRef | null;
  readonly dueAt: string | null;
  readonly markedOverdue: EventRef | null;
  /** For a decision and a change both present: decision position < change position. */
  readonly decidedBeforeChange: boolean | null;
  readonly openConditions: readonly ConditionStatus[];
  readonly verdict: ComplianceVerdict;
  readonly reasons: readonly string[];
}

export interface ComplianceReport {
  /** null: the whole portfolio. */
  readonly partnershipId: string | null;
  /** Global position of the last event considered. */
  readonly position: number;
  readonly now: string;
  readonly entries: readonly EscalationComplianceEntry[];
  readonly totals: Readonly<Record<ComplianceVerdict, number>>;
  /** No BREACH anywhere. */
  readonly compliant: boolean;
}

interface DecisionRecord {
  readonly decisionId: string;
  readonly ref: EventRef;
  readonly body: Body;
  readonly requestId: string | null;
  readonly escalationId: string | null;
  readonly outcome: DecisionOutcome;
  readonly conditions: { conditionId: string; description: string; metAt: EventRef | null }[];
  usedBy: EventRef | null;
}

interface EscalationRecord {
  readonly escalationId: string;
  readonly ref: EventRef;
  readonly trigger: Trigger;
  readonly body: Body;
  readonly level: EscalationLevel;
  readonly subject: string;
  readonly requestId: string | null;
  readonly dueAt: string;
  readonly causedBy: ChangeRef | null;
  acknowledgement: EventRef | null;
  markedOverdue: EventRef | null;
  decisionId: string | null;
}

interface ChangeRecord {
  readonly ref: ChangeRef;
  readonly commandId: string | undefined;
  readonly requirements: readonly Requirement[];
}

class PartnershipLedger {
  state: PartnershipState = deciders.partnership.initialState;
  readonly requests = new Map<string, { ref: EventRef; body: Body; trigger: Trigger; change: RequestedChange | null }>();
  readonly decisions = new Map<string, DecisionRecord>();
  readonly escalations = new Map<string, EscalationRecord>();
  readonly changes: ChangeRecord[] = [];
  /** The last event other than an escalation: what set off an EXPECTED escalation of the same command. */
  private lastCause: { ref: ChangeRef; commandId: string | undefined } | null = null;

  constructor(readonly partnershipId: string) {}

  add(recorded: RecordedEvent, strategy: StrategyState): void {
    const event = asPartnershipEvent(recorded);
    const ref = refOf(recorded);
    const cited = citedBy(event);
    const requirements = requirementsOf(occurrencesOf(event, this.state), strategy);
    if (requirements.length > 0 || cited.length > 0 || 'authorisedBy' in event.data) {
      this.changes.push({
        ref: { ...ref, authorisedBy: cited },
        commandId: recorded.metadata.commandId,
        requirements,
      });
    }
    if (event.type !== 'EscalationRaised')
      this.lastCause = {
        ref: { ...ref, authorisedBy: cited },
        commandId: recorded.metadata.commandId,
      };
    // Only the events of rule 3's bookkeeping matter here; the state fold below takes the rest.
    if (event.type === 'ApprovalRequested') {
      this.requests.set(event.data.requestId, {
        ref,
        body: event.data.body,
        trigger: event.data.trigger,
        change: event.data.change ?? null,
      });
    } else if (event.type === 'EscalationRaised') {
      const cause =
        this.lastCause && this.lastCause.commandId === recorded.metadata.commandId
          ? this.lastCause.ref
          : null;
      this.escalations.set(event.data.escalationId, {
        escalationId: event.data.escalationId,
        ref,
        trigger: event.data.trigger,
        body: event.data.body,
        level: event.data.level,
        subject: event.data.subject,
        requestId: event.data.requestId,
        dueAt: event.data.dueAt,
        causedBy: event.data.requestId === null ? cause : null,
        acknowledgement: null,
        markedOverdue: null,
        decisionId: null,
      });
    } else if (event.type === 'DecisionRecorded') {
      const d = event.data;
      this.decisions.set(d.decisionId, {
        decisionId: d.decisionId,
        ref,
        body: d.body,
        requestId: d.requestId,
        escalationId: d.escalationId,
        outcome: d.outcome,
        conditions: d.conditions.map((c) => ({
          conditionId: c.conditionId,
          description: c.description,
          metAt: null,
        })),
        usedBy: null,
      });
      const escalation = d.escalationId === null ? undefined : this.escalations.get(d.escalationId);
      if (escalation && escalation.decisionId === null) escalation.decisionId = d.decisionId;
    } else if (event.type === 'ConditionMet') {
      const condition = this.decisions
        .get(event.data.decisionId)
        ?.conditions.find((c) => c.conditionId === event.data.conditionId);
      if (condition && condition.metAt === null) condition.metAt = ref;
    } else if (event.type === 'EscalationAcknowledged') {
      const escalation = this.escalations.get(event.data.escalationId);
      if (escalation && escalation.acknowledgement === null) escalation.acknowledgement = ref;
    } else if (event.type === 'EscalationOverdue') {
      const escalation = this.escalations.get(event.data.escalationId);
      if (escalation && escalation.markedOverdue === null) escalation.markedOverdue = ref;
    }
    this.state = deciders.partnership.evolve(this.state, event);
  }

  entries(now: string): EscalationComplianceEntry[] {
    const byEscalation = new Map<string, { change: ChangeRef; breach: string[] | null }>();
    const standalone: EscalationComplianceEntry[] = [];
    for (const change of this.changes) {
      const satisfied = new Set<string>();
      for (const requirement of change.requirements) {
        const outcome = this.judge(change, requirement);
        const linked = outcome.decision?.requestId
          ? this.requestEscalationId(outcome.decision.requestId)
          : null;
        if (outcome.ok && outcome.decision) {
          satisfied.add(outcome.decision.decisionId);
          outcome.decision.usedBy = change.ref;
        }
        if (linked && !byEscalation.has(linked)) {
          byEscalation.set(linked, {
            change: change.ref,
            breach: outcome.ok ? null : outcome.reasons,
          });
        } else if (!outcome.ok) {
          standalone.push(
            this.breachEntry(change.ref, requirement, outcome.reasons, outcome.decision),
          );
        }
      }
      // A cited decision that does not exist, or comes later, is a forged authorisation even when
      // no rule asked for one.
      for (const id of change.ref.authorisedBy) {
        if (satisfied.has(id)) continue;
        const decision = this.decisions.get(id);
        const forged = !decision
          ? `cites decision ${id}, which does not exist`
          : decision.ref.position > change.ref.position
            ? `cites decision ${id}, recorded at position ${decision.ref.position}, after the change at position ${change.ref.position}`
            : null;
        const alreadyReported = change.requirements.length > 0;
        if (forged && !alreadyReported) {
          standalone.push({
            partnershipId: this.partnershipId,
            escalationId: null,
            trigger: decision
              ? (this.requests.get(decision.requestId ?? '')?.trigger ?? null)
              : null,
            body: decision?.body ?? null,
            level: null,
            subject: `${change.ref.type} at revision ${change.ref.revision}`,
            raised: null,
            request: null,
            triggerEvent: change.ref,
            decision: decision ? this.decisionRef(decision) : null,
            acknowledgement: null,
            dueAt: null,
            markedOverdue: null,
            decidedBeforeChange: decision ? decision.ref.position < change.ref.position : null,
            openConditions: [],
            verdict: 'BREACH',
            reasons: [forged],
          });
        }
      }
    }
    const entries: EscalationComplianceEntry[] = [];
    for (const escalation of this.escalations.values()) {
      entries.push(
        this.escalationEntry(escalation, byEscalation.get(escalation.escalationId) ?? null, now),
      );
    }
    return [...entries, ...standalone].sort((a, b) => positionOf(a) - positionOf(b));
  }

  private requestEscalationId(requestId: string): string | null {
    for (const e of this.escalations.values()) if (e.requestId === requestId) return e.escalationId;
    return null;
  }

  /** Does one of the cited decisions satisfy the requirement, as rule 3 says, by position? */
  private judge(
    change: ChangeRecord,
    requirement: Requirement,
  ): { ok: boolean; decision: DecisionRecord | null; reasons: string[] } {
    const reasons: string[] = [];
    let candidate: DecisionRecord | null = null;
    for (const id of change.ref.authorisedBy) {
      const d = this.decisions.get(id);
      if (!d) {
        reasons.push(`${id}: no such decision`);
        continue;
      }
      const request = d.requestId === null ? undefined : this.requests.get(d.requestId);
      const answers =
        d.body === requirement.body &&
        request !== undefined &&
        request.trigger === requirement.trigger;
      if (!answers) {
        reasons.push(
          `${id}: not a ${requirement.body} decision on a request for ${requirement.trigger}`,
        );
        continue;
      }
      if (!requirement.occurrences.some((o) => fitsRequestedChange(request.change, o))) {
        reasons.push(
          `${id}: authorises another change (requested for ${describeRequestedChange(request.change)})`,
        );
        continue;
      }
      candidate ??= d;
      if (d.ref.position > change.ref.position) {
        reasons.push(
          `${id}: recorded at position ${d.ref.position}, after the change at position ${change.ref.position}`,
        );
        continue;
      }
      if (
        requirement.level === 'MANDATORY' &&
        d.outcome !== 'APPROVED' &&
        d.outcome !== 'CONDITIONAL'
      ) {
        reasons.push(`${id}: outcome ${d.outcome}`);
        continue;
      }
      if (d.usedBy) {
        reasons.push(`${id}: already authorised ${d.usedBy.type} at position ${d.usedBy.position}`);
        continue;
      }
      return { ok: true, decision: d, reasons: [] };
    }
    const what = requirement.level === 'MANDATORY' ? 'an approving' : 'an informing';
    return {
      ok: false,
      decision: candidate,
      reasons: [
        `${change.ref.type} at position ${change.ref.position} needed ${what} ${requirement.body} decision for ${requirement.trigger} (rule ${requirement.ruleIds.join(',')})`,
        ...(change.ref.authorisedBy.length === 0 ? ['it cites no decision'] : reasons),
      ],
    };
  }

  private decisionRef(d: DecisionRecord): DecisionRef {
    return {
      ...d.ref,
      decisionId: d.decisionId,
      body: d.body,
      outcome: d.outcome,
      requestId: d.requestId,
      conditions: d.conditions.map((c) => ({
        conditionId: c.conditionId,
        description: c.description,
        met: c.metAt !== null,
        metAt: c.metAt,
      })),
    };
  }

  private breachEntry(
    change: ChangeRef,
    requirement: Requirement,
    reasons: string[],
    decision: DecisionRecord | null,
  ): EscalationComplianceEntry {
    const decisionRef = decision ? this.decisionRef(decision) : null;
    return {
      partnershipId: this.partnershipId,
      escalationId: null,
      trigger: requirement.trigger,
      body: requirement.body,
      level: requirement.level,
      subject: requirement.subject,
      raised: null,
      request: null,
      triggerEvent: change,
      decision: decisionRef,
      acknowledgement: null,
      dueAt: null,
      markedOverdue: null,
      decidedBeforeChange: decision ? decision.ref.position < change.position : null,
      openConditions: decisionRef?.conditions.filter((c) => !c.met) ?? [],
      verdict: 'BREACH',
      reasons,
    };
  }

  private escalationEntry(
    e: EscalationRecord,
    link: { change: ChangeRef; breach: string[] | null } | null,
    now: string,
  ): EscalationComplianceEntry {
    const request = e.requestId === null ? undefined : this.requests.get(e.requestId);
    const decisionRecord = e.decisionId === null ? undefined : this.decisions.get(e.decisionId);
    const decision = decisionRecord ? this.decisionRef(decisionRecord) : null;
    const triggerEvent = link?.change ?? e.causedBy;
    const openConditions =
      decision && decision.outcome === 'CONDITIONAL'
        ? decision.conditions.filter((c) => !c.met)
        : [];
    const reasons: string[] = [];
    let verdict: ComplianceVerdict;
    if (link?.breach) {
      verdict = 'BREACH';
      reasons.push(...link.breach);
    } else if (decision || (e.acknowledgement && e.level === 'EXPECTED')) {
      verdict = openConditions.length > 0 ? 'CONDITIONS_OPEN' : 'COMPLIANT';
      if (decision)
        reasons.push(
          `${decision.body} decided ${decision.outcome} at position ${decision.position}`,
        );
      else if (e.acknowledgement)
        reasons.push(`acknowledged at position ${e.acknowledgement.position}`);
      if (decision && triggerEvent && e.level !== 'EXPECTED')
        reasons.push(`before the change at position ${triggerEvent.position}`);
      if (openConditions.length > 0)
        reasons.push(`conditions not met: ${openConditions.map((c) => c.conditionId).join(', ')}`);
    } else if (e.markedOverdue || e.dueAt < now) {
      verdict = 'OVERDUE';
      reasons.push(
        e.markedOverdue
          ? `marked overdue at position ${e.markedOverdue.position}`
          : `due ${e.dueAt}, still open at ${now}`,
      );
    } else {
      verdict = 'PENDING';
      reasons.push(`open, due ${e.dueAt}`);
    }
    return {
      partnershipId: this.partnershipId,
      escalationId: e.escalationId,
      trigger: e.trigger,
      body: e.body,
      level: e.level,
      subject: e.subject,
      raised: e.ref,
      request: request && e.requestId !== null ? { ...request.ref, requestId: e.requestId, change: request.change } : null,
      triggerEvent,
      decision,
      acknowledgement: e.acknowledgement,
      dueAt: e.dueAt,
      markedOverdue: e.markedOverdue,
      decidedBeforeChange:
        decision && triggerEvent && e.level !== 'EXPECTED'
          ? decision.position < triggerEvent.position
          : null,
      openConditions,
      verdict,
      reasons,
    };
  }
}

function positionOf(entry: EscalationComplianceEntry): number {
  return entry.raised?.position ?? entry.triggerEvent?.position ?? 0;
}

/**
 * Feed it the global order (the home strategy's events and the partnerships' events, by
 * position); ask for the report at the end. Memory: the escalations and decisions, not the events.
 */
export class ComplianceAuditor {
  private strategy: StrategyState = deciders.strategy.initialState;
  private readonly partnerships = new Map<string, PartnershipLedger>();
  private lastPosition = -1;

  constructor(private readonly only?: string) {}

  add(event: RecordedEvent): void {
    if (event.position <= this.lastPosition)
      throw new Error(`events out of global order at position ${event.position}`);
    this.lastPosition = event.position;
    if (!isKnownEvent(event)) return;
    if (event.streamId === HOME_STRATEGY_STREAM) {
      this.strategy = evolveStrategy(this.strategy, event);
      return;
    }
    if (!isPartnershipStream(event.streamId)) return;
    const partnershipId = partnershipIdOf(event.streamId);
    if (this.only !== undefined && partnershipId !== this.only) return;
    let ledger = this.partnerships.get(partnershipId);
    if (!ledger) {
      ledger = new PartnershipLedger(partnershipId);
      this.partnerships.set(partnershipId, ledger);
    }
    ledger.add(event, this.strategy);
  }

  hasPartnership(partnershipId: string): boolean {
    return this.partnerships.has(partnershipId);
  }

  report(now: string): ComplianceReport {
    const entries = [...this.partnerships.values()].flatMap((p) => p.entries(now));
    const totals = Object.fromEntries(COMPLIANCE_VERDICTS.map((v) => [v, 0])) as Record<
      ComplianceVerdict,
      number
    >;
    for (const entry of entries) totals[entry.verdict]++;
    return {
      partnershipId: this.only ?? null,
      position: this.lastPosition,
      now,
      entries,
      totals,
      compliant: totals.BREACH === 0,
    };
  }
}

/** The report over events in global order (a partnership's, or all, with the home strategy's). */
export function escalationCompliance(
  events: Iterable<RecordedEvent>,
  options: { now: string; partnershipId?: string },
): ComplianceReport {
  const auditor = new ComplianceAuditor(options.partnershipId);
  for (const event of events) auditor.add(event);
  return auditor.report(options.now);
}
