// The GraphQL operations of the board page and the shapes it reads. Field names follow
// apps/api/schema.graphql (read side: sdl/20, subscriptions: sdl/30, audit: sdl/40).

export interface Tally { key: string; count: number }
export interface Health { perspective: string; health: number | null; spread: number | null; source: string; trend: number | null }
export interface Signal { code: string; detail: string; byDesign: boolean | null }
export interface OpenEscalationView { escalationId: string; trigger: string; body: string; level: string; subject: string; raisedAt: string; dueAt: string; overdue: boolean }
export interface ContributionAmounts { count: number; amount: number; delivered: number }
export interface ContributionKinds { TIME: ContributionAmounts; MONEY: ContributionAmounts; KNOWLEDGE: ContributionAmounts }

export interface PartnershipRow {
  id: string;
  name: string;
  themeId: string;
  themeName: string | null;
  phase: string;
  phaseSince: string;
  daysInPhase: number;
  legalForm: string;
  health: Health[];
  healthMin: number | null;
  ambitionStrength: { promise: number; commitment: number; doing: number; strength: number };
  signals: Signal[];
  openEscalationCount: number;
  overdueEscalationCount: number;
  openEscalations: OpenEscalationView[];
  revision: number;
  position: number | null;
  asOf: string;
}

export interface PartnershipDetail extends PartnershipRow {
  description: string;
  origin: string;
  imposedBy: string | null;
  purposeType: string;
  motives: string[];
  owningDepartmentId: string;
  servesClients: string | null;
  parties: { organisationId: string; delegate: { personId: string; name: string }; ambitionAtTable: string | null; active: boolean; admittedAt: string; withdrawnAt: string | null }[];
  networkRoles: { role: string; person: { name: string }; organisationId: string }[];
  interestCoverage: { collective: number; holds: boolean; parties: { organisationId: string; collective: number; organisational: number; individual: number; covered: boolean }[] };
  contributions: {
    moneyBroughtTotal: number;
    moneyTakenTotal: number;
    imbalance: { imbalanced: boolean; byDesign: boolean; reasons: { reason: string; organisationId: string }[] };
    parties: { organisationId: string; active: boolean; bring: ContributionKinds; take: ContributionKinds; moneyShare: number }[];
  };
  lastDecision: { body: string; subject: string | null; outcome: string; rationale: string; decidedBy: string; at: string } | null;
  endedAt: string | null;
  /** What the partnership holds, folded by the service as of the same revision as the rest. */
  record: PartnershipRecord;
}

export interface PartnershipRecord {
  revision: number;
  scope: { included: string[]; excluded: string[]; horizon: string | null } | null;
  interests: { interestId: string; organisationId: string; kind: string; description: string; position: string | null; lossIfNoCollaboration: string | null; dealbreaker: boolean; status: 'ACTIVE' | 'WITHDRAWN' | 'LAPSED' }[];
  ambition: { statement: string; goals: { goalId: string; kind: string; description: string; indicator: string | null; target: number | null; question: string | null }[]; noGoAreas: string[] } | null;
  endorsedBy: string[];
  pledges: { pledgeId: string; organisationId: string; direction: string; kind: string; description: string; amount: number | null; deliveredAt: string | null }[];
  governance: {
    legalForm: string;
    decisionRights: string | null;
    taskAllocation: string | null;
    membership: string | null;
    costAndRevenueSplit: string | null;
    budget: number | null;
    exitArrangements: { howToLeave: string; noticePeriod: string; sharedAssets: string; data: string; staff: string } | null;
  } | null;
  goalProgress: { goalId: string; actual: number | null; note: string | null; at: string }[];
}

export interface RecordedEvent {
  id: string;
  type: string;
  revision: number;
  position: number;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: { businessTime: string | null; actor: { id: string; role: string | null } | null };
}

export interface Escalation {
  id: string;
  partnershipId: string;
  partnershipName: string;
  escalationId: string;
  trigger: string;
  body: string;
  level: string;
  subject: string;
  ruleId: string | null;
  requestId: string | null;
  /** What the request is for: a decision on it authorises this change only. */
  requestedChange: { phase: string | null; legalForm: string | null; organisationId: string | null; amount: number | null } | null;
  status: string;
  raisedAt: string;
  dueAt: string;
  overdue: boolean;
}

export interface Decision {
  id: string;
  partnershipId: string;
  partnershipName: string;
  decisionId: string;
  body: string;
  subject: string | null;
  outcome: string;
  rationale: string;
  decidedBy: string;
  at: string;
  unmetConditions: number;
}

const ROW = `
  id name themeId themeName phase phaseSince daysInPhase legalForm
  health { perspective health spread source trend } healthMin
  ambitionStrength { promise commitment doing strength }
  signals { code detail byDesign }
  openEscalationCount overdueEscalationCount
  openEscalations { escalationId trigger body level subject raisedAt dueAt overdue }
  revision position asOf`;

const AMOUNTS = 'count amount delivered';
const KINDS = `TIME { ${AMOUNTS} } MONEY { ${AMOUNTS} } KNOWLEDGE { ${AMOUNTS} }`;
export const DETAIL = `${ROW}
  description origin imposedBy purposeType motives owningDepartmentId servesClients endedAt
  parties { organisationId delegate { personId name } ambitionAtTable active admittedAt withdrawnAt }
  networkRoles { role person { name } organisationId }
  interestCoverage { collective holds parties { organisationId collective organisational individual covered } }
  contributions { moneyBroughtTotal moneyTakenTotal imbalance { imbalanced byDesign reasons { reason organisationId } }
    parties { organisationId active moneyShare bring { ${KINDS} } take { ${KINDS} } } }
  lastDecision { body subject outcome rationale decidedBy at }
  record { revision scope { included excluded horizon }
    interests { interestId organisationId kind description position lossIfNoCollaboration dealbreaker status }
    ambition { statement goals { goalId kind description indicator target question } noGoAreas } endorsedBy
    pledges { pledgeId organisationId direction kind description amount deliveredAt }
    governance { legalForm decisionRights taskAllocation membership costAndRevenueSplit budget exitArrangements { howToLeave noticePeriod sharedAssets data staff } }
    goalProgress { goalId actual note at } }`;

export const PORTFOLIO = `query Portfolio($filter: PortfolioFilter, $orderBy: [PortfolioOrder!], $first: Int, $after: String, $position: SafeInt) {
  portfolio(filter: $filter, orderBy: $orderBy, first: $first, after: $after, position: $position) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${ROW} }
  }
}`;

export const SUMMARY = `query Summary($position: SafeInt) {
  portfolioSummary(position: $position) {
    partnerships byPhase { key count } byTheme { key count } bySignal { key count }
    escalationsByBody { body open overdue } at
  }
  strategy(position: $position) { themes { themeId name } }
}`;

export const HEAD = `query Head { portfolio(filter: { includeEnded: true }, first: 500) { nodes { position } } }`;

export const ORGANISATIONS = `query Organisations { organizations(first: 500) { nodes { id name isHome departments { departmentId name } } } }`;

export const AGENDA = `query Agenda($body: Body!, $position: SafeInt) {
  escalations(status: OPEN, body: $body, first: 200, position: $position) {
    totalCount nodes { id partnershipId partnershipName escalationId trigger body level subject ruleId requestId requestedChange { phase legalForm organisationId amount } status raisedAt dueAt overdue }
  }
  decisions(body: $body, first: 5, position: $position) {
    nodes { id partnershipId partnershipName decisionId body subject outcome rationale decidedBy at unmetConditions }
  }
}`;

export const ACKNOWLEDGE_ESCALATION = `mutation AcknowledgeEscalation($input: AcknowledgeEscalationInput!) {
  acknowledgeEscalation(input: $input) { streamId revision position }
}`;

export const RECORD_DECISION = `mutation RecordDecision($input: RecordDecisionInput!) {
  recordDecision(input: $input) { streamId revision position mintedIds }
}`;

export const PARTNERSHIP = `query Partnership($id: ID!, $position: SafeInt) {
  partnership(id: $id, position: $position) { ${DETAIL} }
  partnershipHistory(id: $id, first: 500) {
    totalCount nodes { id type revision position recordedAt data metadata { businessTime actor { id role } } }
  }
}`;

/** Time travel: `partnership(id, atRevision)` (or `asOf`) replays the partnership's stream. */
export const PARTNERSHIP_AT = `query PartnershipAt($id: ID!, $atRevision: Int) { view: partnership(id: $id, atRevision: $atRevision) { ${DETAIL} } }`;

export const EVENTS_LIVE = `subscription Events($after: SafeInt) {
  events(after: $after, filter: { streamPrefix: "partnership-" }) {
    cursor event { id streamId type revision position recordedAt data metadata { businessTime actor { id role } } }
  }
}`;

export const PARTNERSHIP_CHANGED = `subscription Changed($id: ID!, $after: SafeInt) {
  partnershipChanged(id: $id, after: $after) { cursor partnershipId revision position eventType }
}`;

export const ESCALATION_RAISED = `subscription Raised($body: Body, $after: SafeInt) {
  escalationRaised(body: $body, after: $after) { cursor partnershipId escalationId level subject }
}`;
