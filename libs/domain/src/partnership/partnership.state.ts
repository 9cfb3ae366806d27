import type { z } from 'zod';
import type { Body, EscalationLevel, Trigger } from '../strategy/escalation-rule';
import type { Delegate, ExitArrangements, Goal, Scores } from './partnership.commands';
import type { UnmetRecord } from './partnership.events';
import type { RequestedChange } from './escalation/requested-change';
import type {
  ContributionKind,
  DecisionOutcome,
  InterestKind,
  LegalForm,
  Motive,
  Origin,
  Phase,
  PurposeTypeSchema,
  QuadrantSchema,
  WorkingPhase,
} from './vocabulary';

/*
 * The folded state of one partnership stream. Plain JSON (arrays, ISO strings, null): the
 * projections store it as a document and the metrics read it. It keeps every timestamp the
 * signals of rule 6 need.
 */

export interface PartnershipProfile {
  name: string;
  themeId: string;
  owningDepartmentId: string;
  description: string;
  purposeType: z.infer<typeof PurposeTypeSchema>;
  origin: Origin;
  motives: Motive[];
  quadrant: z.infer<typeof QuadrantSchema>;
  valueForHome: string;
  valueForPartnership: string;
}

export interface PartyState {
  organisationId: string;
  delegate: Delegate;
  ambitionAtTable: string | null;
  active: boolean;
  admittedAt: string;
  withdrawnAt: string | null;
}

export interface NetworkRoleState {
  role: 'OPERATOR' | 'PROMOTER' | 'VISION_KEEPER' | 'CREATIVE_THINKER' | 'CHAMPION';
  person: Delegate;
  organisationId: string;
  at: string;
}

export interface InterestState {
  interestId: string;
  organisationId: string;
  kind: InterestKind;
  description: string;
  position: string | null;
  lossIfNoCollaboration: string | null;
  dealbreaker: boolean;
  declaredByDelegate: string;
  status: 'ACTIVE' | 'WITHDRAWN' | 'LAPSED';
  declaredAt: string;
  revisedAt: string | null;
  closedAt: string | null;
}

export interface AmbitionState {
  statement: string;
  goals: Goal[];
  noGoAreas: string[];
  formulatedAt: string;
}

export interface PledgeState {
  pledgeId: string;
  organisationId: string;
  direction: 'BRING' | 'TAKE';
  kind: ContributionKind;
  description: string;
  amount: number | null;
  pledgedAt: string;
  deliveredAt: string | null;
  deliveryNote: string | null;
}

export interface GovernanceState {
  decisionRights: string | null;
  taskAllocation: string | null;
  membership: string | null;
  exclusivity: string | null;
  costAndRevenueSplit: string | null;
  legalForm: LegalForm;
  budget: number | null;
  exitArrangements: ExitArrangements | null;
  definedAt: string;
}

export interface ScopeState {
  included: string[];
  excluded: string[];
  horizon: string | null;
  changedAt: string;
}

export interface SkipState {
  /** Revision of the PhasesSkipped event. */
  revision: number;
  from: WorkingPhase;
  to: WorkingPhase;
  justification: string;
  passedOver: { from: WorkingPhase; to: WorkingPhase; unmet: UnmetRecord[] }[];
  at: string;
}

export interface ApprovalRequestState {
  requestId: string;
  body: Body;
  trigger: Trigger;
  subject: string;
  /** The one change a decision on it authorises; null: any change of its trigger (an older request). */
  change: RequestedChange | null;
  requestedBy: string;
  at: string;
  decisionId: string | null;
}

export interface DecisionState {
  decisionId: string;
  body: Body;
  requestId: string | null;
  escalationId: string | null;
  subject: string | null;
  outcome: DecisionOutcome;
  rationale: string;
  conditions: { conditionId: string; description: string; met: boolean; metBy: string | null; metAt: string | null; note: string | null }[];
  decidedBy: string;
  at: string;
  /** Revision of this DecisionRecorded event: the auditor's proof that it preceded the change. */
  revision: number;
  /** The one change it authorised (rule 3): a decision can be cited once. */
  usedBy: { eventType: string; revision: number } | null;
}

export interface EscalationState {
  escalationId: string;
  trigger: Trigger;
  body: Body;
  level: EscalationLevel;
  subject: string;
  ruleId: string | null;
  requestId: string | null;
  raisedAt: string;
  dueAt: string;
  status: 'OPEN' | 'ACKNOWLEDGED' | 'DECIDED';
  /** Marked by a review once the deadline passed while open. */
  overdue: boolean;
  resolvedAt: string | null;
  resolvedBy: string | null;
  decisionId: string | null;
}

export interface AssessmentState {
  assessmentId: string;
  /** An organisation id, or 'JOINT'. */
  by: string;
  scores: Scores;
  assessedBy: string;
  at: string;
}

export interface GoalProgressState {
  goalId: string;
  actual: number | null;
  note: string | null;
  at: string;
  /** When a review found this report older than rule 7's window (absent: not yet). */
  lapsedAt?: string;
}

export interface EvaluationState {
  evaluationId: string;
  period: { from: string; to: string };
  indicators: { goalId?: string; indicator: string; target: number; actual: number }[];
  answers: { question: string; answer: string }[];
  lessons: string[];
  verdict: 'ON_COURSE' | 'ADJUST' | 'STOP';
  at: string;
}

export interface PhaseChangeState {
  kind: 'PROPOSED' | 'ADVANCED' | 'SKIPPED' | 'REVERTED' | 'ENDED';
  from: Phase | null;
  to: Phase;
  at: string;
  revision: number;
}

export interface PartnershipState {
  exists: boolean;
  partnershipId: string | null;
  /** Stream revision of the last event folded (-1: none). */
  revision: number;
  phase: Phase | null;
  profile: PartnershipProfile | null;
  servesClients: string | null;
  parties: PartyState[];
  networkRoles: NetworkRoleState[];
  interests: InterestState[];
  ambition: AmbitionState | null;
  /** Organisation ids endorsing the current ambition. */
  endorsements: string[];
  pledges: PledgeState[];
  governance: GovernanceState | null;
  legalForm: LegalForm;
  scope: ScopeState | null;
  skips: SkipState[];
  phaseHistory: PhaseChangeState[];
  requests: ApprovalRequestState[];
  decisions: DecisionState[];
  escalations: EscalationState[];
  assessments: AssessmentState[];
  goalProgress: GoalProgressState[];
  evaluations: EvaluationState[];
  valuesAtRisk: { value: string; note: string; flaggedBy: string; at: string }[];
  proposedAt: string | null;
  /** Last progress event: phase change, decision, pledge, delivery, goal progress or evaluation (rule 6). */
  lastProgressAt: string | null;
  /** Last goal progress or delivery ("doing"). */
  lastDoingAt: string | null;
  lastEvaluatedAt: string | null;
  /** When EXECUTE was first entered: the grace start of NO_DOING and NOT_EVALUATED. */
  firstExecutedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
}

export const initialPartnershipState: PartnershipState = {
  exists: false,
  partnershipId: null,
  revision: -1,
  phase: null,
  profile: null,
  servesClients: null,
  parties: [],
  networkRoles: [],
  interests: [],
  ambition: null,
  endorsements: [],
  pledges: [],
  governance: null,
  legalForm: 'NONE',
  scope: null,
  skips: [],
  phaseHistory: [],
  requests: [],
  decisions: [],
  escalations: [],
  assessments: [],
  goalProgress: [],
  evaluations: [],
  valuesAtRisk: [],
  proposedAt: null,
  lastProgressAt: null,
  lastDoingAt: null,
  lastEvaluatedAt: null,
  firstExecutedAt: null,
  endedAt: null,
  endReason: null,
};

export const activeParties = (state: PartnershipState): PartyState[] => state.parties.filter((p) => p.active);
export const isActiveParty = (state: PartnershipState, organisationId: string): boolean =>
  state.parties.some((p) => p.active && p.organisationId === organisationId);
