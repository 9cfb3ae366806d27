import { BODY_SPEAKERS, type Body } from '@ppl/domain';
import { ForbiddenError } from './errors';
import type { Principal, Role } from './roles';

/**
 * Who may do what: the role matrix of the README, in one place. The command gateway asks
 * `authoriseCommand`, the GraphQL layer `authoriseRead` for every top-level query field and
 * `authoriseSubscription` for every subscription; `mayReadPersonalData` decides whether
 * delegates' personal data and INDIVIDUAL interests are shown or redacted.
 */
const EVERYONE: readonly Role[] = ['BOARD', 'EXECUTIVE', 'MANAGER', 'AUDITOR', 'INTEGRATOR', 'ADMIN'];
const GOVERNING: readonly Role[] = ['BOARD', 'EXECUTIVE'];
const PARTNERSHIP_WORK: readonly Role[] = ['MANAGER', 'EXECUTIVE'];

/** Commands by the roles that may send them (AUDITOR and INTEGRATOR write nothing). */
export const COMMAND_ROLES: Readonly<Record<string, readonly Role[]>> = {
  RegisterOrganization: ['ADMIN', 'MANAGER'],
  DefineStrategy: ['ADMIN', ...GOVERNING],
  // The escalation policy is part of the strategy; rules addressed to the BOARD stay the board's
  // (the domain refuses the executive those).
  SetEscalationRule: ['ADMIN', ...GOVERNING],
  RemoveEscalationRule: ['ADMIN', ...GOVERNING],
  AssessCapability: ['ADMIN', ...GOVERNING],
  ForgetPerson: ['ADMIN'],
  ProposePartnership: PARTNERSHIP_WORK,
  AdmitParty: PARTNERSHIP_WORK,
  WithdrawParty: PARTNERSHIP_WORK,
  ReplaceDelegate: PARTNERSHIP_WORK,
  AssignNetworkRole: PARTNERSHIP_WORK,
  DeclareInterest: PARTNERSHIP_WORK,
  ReviseInterest: PARTNERSHIP_WORK,
  WithdrawInterest: PARTNERSHIP_WORK,
  FormulateAmbition: PARTNERSHIP_WORK,
  EndorseAmbition: PARTNERSHIP_WORK,
  PledgeContribution: PARTNERSHIP_WORK,
  ReportContributionDelivered: PARTNERSHIP_WORK,
  DefineGovernance: PARTNERSHIP_WORK,
  ChangeScope: PARTNERSHIP_WORK,
  AdvancePhase: PARTNERSHIP_WORK,
  RevertPhase: PARTNERSHIP_WORK,
  RequestApproval: PARTNERSHIP_WORK,
  FlagValueAtRisk: [...PARTNERSHIP_WORK, 'BOARD'],
  RecordAssessment: PARTNERSHIP_WORK,
  ReportGoalProgress: PARTNERSHIP_WORK,
  RecordEvaluation: [...PARTNERSHIP_WORK, 'BOARD'],
  EndPartnership: PARTNERSHIP_WORK,
  ReviewPartnership: ['ADMIN', ...PARTNERSHIP_WORK],
  // Per body (the domain's BODY_SPEAKERS): only BOARD records BOARD decisions, only EXECUTIVE
  // executive ones; the domain refuses the other two unless the role speaks for the body of the
  // escalation or of the decision that set the condition (it knows which body that is).
  RecordDecision: ['BOARD', 'EXECUTIVE', 'MANAGER'],
  AcknowledgeEscalation: ['BOARD', 'EXECUTIVE', 'MANAGER'],
  MarkConditionMet: ['BOARD', 'EXECUTIVE', 'MANAGER'],
};

export function authoriseCommand(principal: Principal, commandType: string, input: unknown): void {
  const roles = COMMAND_ROLES[commandType];
  if (!roles || !roles.includes(principal.role)) throw new ForbiddenError(principal.role, commandType);
  if (commandType === 'RecordDecision') {
    const body = (input as { body?: unknown } | null)?.body;
    const speakers = typeof body === 'string' && Object.hasOwn(BODY_SPEAKERS, body) ? BODY_SPEAKERS[body as Body] : undefined;
    if (!speakers?.includes(principal.role)) {
      throw new ForbiddenError(principal.role, commandType, `only ${speakers?.join(' or ') ?? 'the body itself'} records decisions of the ${String(body)}`);
    }
  }
}

/** Top-level query fields by the roles that may read them; a field not listed is open to every role. */
export const QUERY_ROLES: Readonly<Record<string, readonly Role[]>> = {
  verifyIntegrity: ['AUDITOR', 'ADMIN'],
  escalationCompliance: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'ADMIN'],
  auditTrail: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'ADMIN'],
  partnershipHistory: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'MANAGER', 'ADMIN'],
  decisions: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'MANAGER', 'ADMIN'],
  capability: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'MANAGER', 'ADMIN'],
};

/**
 * Fields of other types that carry what a guarded Query field answers: a role refused that field
 * reads null (or an empty list) there, so the matrix cannot be walked around through nesting.
 */
export const NESTED_READS: Readonly<Record<string, string>> = {
  'PortfolioSummary.capability': 'capability',
  'Strategy.capabilityAssessments': 'capability',
  'Partnership.lastDecision': 'decisions',
};

/** Whether the role may read the Query field `field` (what `authoriseRead` refuses otherwise). */
export function mayRead(principal: Principal, field: string): boolean {
  return (QUERY_ROLES[field] ?? EVERYONE).includes(principal.role);
}

export function authoriseRead(principal: Principal, field: string): void {
  const roles = QUERY_ROLES[field] ?? EVERYONE;
  if (!roles.includes(principal.role)) throw new ForbiddenError(principal.role, `read ${field}`);
}

export const SUBSCRIPTION_ROLES: Readonly<Record<string, readonly Role[]>> = {
  events: ['INTEGRATOR', 'AUDITOR', 'ADMIN', 'BOARD', 'EXECUTIVE', 'MANAGER'],
  escalationRaised: EVERYONE,
  partnershipChanged: EVERYONE,
};

export function authoriseSubscription(principal: Principal, field: string): void {
  const roles = SUBSCRIPTION_ROLES[field] ?? [];
  if (!roles.includes(principal.role)) throw new ForbiddenError(principal.role, `subscribe to ${field}`);
}

/** INTEGRATOR systems see the portfolio, not personal convictions or delegates' names. */
export function mayReadPersonalData(principal: Principal): boolean {
  return principal.role !== 'INTEGRATOR';
}
