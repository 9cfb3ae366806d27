import type { RecordedEvent } from './queries';

/**
 * What the read model does not carry as text (interests, ambition and goals, pledges, governance),
 * folded from the partnership's own history up to a revision: the same events the audit side
 * replays, so the page shows them as they stood at the slider's moment.
 */
export interface Interest {
  interestId: string;
  organisationId: string;
  kind: string;
  description: string;
  position: string | null;
  lossIfNoCollaboration: string | null;
  dealbreaker: boolean;
  status: 'active' | 'withdrawn' | 'lapsed';
}
export interface Goal {
  goalId: string;
  kind: string;
  description: string;
  indicator?: string;
  target?: number;
  question?: string;
  latest?: { actual: number | null; note: string | null; at: string };
}
export interface Pledge {
  pledgeId: string;
  organisationId: string;
  direction: string;
  kind: string;
  description: string;
  amount: number | null;
  delivered: boolean;
}
export interface Governance {
  decisionRights: string | null;
  taskAllocation: string | null;
  membership: string | null;
  costAndRevenueSplit: string | null;
  legalForm: string;
  budget: number | null;
  exitArrangements: Record<string, string> | null;
}
export interface Folded {
  interests: Interest[];
  ambition: { statement: string; goals: Goal[]; noGoAreas: string[]; endorsedBy: string[] } | null;
  pledges: Pledge[];
  governance: Governance | null;
  scope: { included: string[]; excluded: string[]; horizon: string | null } | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function fold(events: readonly RecordedEvent[], upToRevision: number): Folded {
  const out: Folded = { interests: [], ambition: null, pledges: [], governance: null, scope: null };
  for (const ev of events) {
    if (ev.revision > upToRevision) break;
    const d = ev.data;
    switch (ev.type) {
      case 'InterestDeclared':
        out.interests.push({
          interestId: String(d.interestId),
          organisationId: String(d.organisationId),
          kind: String(d.kind),
          description: String(d.description ?? ''),
          position: str(d.position),
          lossIfNoCollaboration: str(d.lossIfNoCollaboration),
          dealbreaker: d.dealbreaker === true,
          status: 'active',
        });
        break;
      case 'InterestRevised': {
        const i = out.interests.find((x) => x.interestId === d.interestId);
        if (i) {
          if (typeof d.description === 'string') i.description = d.description;
          if (typeof d.position === 'string') i.position = d.position;
          if (typeof d.lossIfNoCollaboration === 'string') i.lossIfNoCollaboration = d.lossIfNoCollaboration;
          if (typeof d.dealbreaker === 'boolean') i.dealbreaker = d.dealbreaker;
        }
        break;
      }
      case 'InterestWithdrawn':
        for (const i of out.interests) if (i.interestId === d.interestId) i.status = 'withdrawn';
        break;
      case 'InterestsLapsed':
        for (const i of out.interests) if (strs(d.interestIds).includes(i.interestId)) i.status = 'lapsed';
        break;
      case 'AmbitionFormulated':
        out.ambition = {
          statement: String(d.statement ?? ''),
          goals: (Array.isArray(d.goals) ? (d.goals as Record<string, unknown>[]) : []).map((g) => ({
            goalId: String(g.goalId),
            kind: String(g.kind),
            description: String(g.description ?? ''),
            indicator: str(g.indicator) ?? undefined,
            target: num(g.target) ?? undefined,
            question: str(g.question) ?? undefined,
          })),
          noGoAreas: strs(d.noGoAreas),
          endorsedBy: [],
        };
        break;
      case 'AmbitionEndorsed':
        if (out.ambition && !out.ambition.endorsedBy.includes(String(d.organisationId))) out.ambition.endorsedBy.push(String(d.organisationId));
        break;
      case 'AmbitionEndorsementsLapsed':
        if (out.ambition) out.ambition.endorsedBy = out.ambition.endorsedBy.filter((o) => !strs(d.organisationIds).includes(o));
        break;
      case 'GoalProgressReported': {
        const g = out.ambition?.goals.find((x) => x.goalId === d.goalId);
        if (g) g.latest = { actual: num(d.actual), note: str(d.note), at: String(d.at ?? ev.recordedAt) };
        break;
      }
      case 'ContributionPledged':
        out.pledges.push({
          pledgeId: String(d.pledgeId),
          organisationId: String(d.organisationId),
          direction: String(d.direction),
          kind: String(d.kind),
          description: String(d.description ?? ''),
          amount: num(d.amount),
          delivered: false,
        });
        break;
      case 'ContributionDelivered':
        for (const p of out.pledges) if (p.pledgeId === d.pledgeId) p.delivered = true;
        break;
      case 'GovernanceDefined':
        out.governance = {
          decisionRights: str(d.decisionRights),
          taskAllocation: str(d.taskAllocation),
          membership: str(d.membership),
          costAndRevenueSplit: str(d.costAndRevenueSplit),
          legalForm: String(d.legalForm),
          budget: num(d.budget),
          exitArrangements: d.exitArrangements && typeof d.exitArrangements === 'object' ? (d.exitArrangements as Record<string, string>) : null,
        };
        break;
      case 'ScopeChanged':
        out.scope = { included: strs(d.included), excluded: strs(d.excluded), horizon: str(d.horizon) };
        break;
      default:
        break;
    }
  }
  return out;
}

/** A one-line summary of an event for the timeline. */
export function eventSummary(ev: { type: string; data: Record<string, unknown> }, e: (v: string) => string): string {
  const d = ev.data;
  switch (ev.type) {
    case 'PhaseAdvanced':
    case 'PhasesSkipped':
    case 'PhaseReverted':
      return `${e(String(d.from))} → ${e(String(d.to))}`;
    case 'DecisionRecorded':
      return `${e(String(d.body))}: ${e(String(d.outcome))}${d.subject ? ` — ${String(d.subject)}` : ''}`;
    case 'EscalationRaised':
      return `${e(String(d.level))} → ${e(String(d.body))}: ${String(d.subject ?? '')}`;
    case 'ApprovalRequested':
      return `${e(String(d.body))}: ${String(d.subject ?? '')}`;
    case 'GovernanceDefined':
      return e(String(d.legalForm));
    case 'InterestDeclared':
      return `${e(String(d.kind))}: ${String(d.description ?? '')}`;
    case 'PartyAdmitted':
    case 'PartyWithdrawn':
    case 'AmbitionEndorsed':
      return String(d.organisationId ?? '');
    case 'DelegateReplaced':
      return `${(d.previous as { name?: string } | undefined)?.name ?? ''} → ${(d.delegate as { name?: string } | undefined)?.name ?? ''}`;
    case 'PartnershipProposed':
      return String(d.name ?? '');
    case 'EvaluationRecorded':
      return String(d.verdict ?? '');
    default:
      return '';
  }
}
