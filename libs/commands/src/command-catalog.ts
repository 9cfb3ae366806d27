import { type CommandType, HOME_STRATEGY_ID, commandSchemas } from '@ppl/domain';

/**
 * What the API adds to the domain's commands: ids it mints when the caller leaves them out
 * (derived from the command id, so a retried command mints the same ids) and defaults.
 * Paths use `[]` for every element of a list: `goals[].goalId`.
 */
export const MINTED_ID_PATHS: Readonly<Partial<Record<CommandType, readonly string[]>>> = {
  RegisterOrganization: ['organisationId', 'departments[].departmentId'],
  DefineStrategy: ['themes[].themeId'],
  SetEscalationRule: ['rule.ruleId'],
  AssessCapability: ['assessmentId'],
  ProposePartnership: ['partnershipId'],
  DeclareInterest: ['interestId'],
  FormulateAmbition: ['goals[].goalId'],
  PledgeContribution: ['pledgeId'],
  RequestApproval: ['requestId'],
  RecordDecision: ['decisionId', 'conditions[].conditionId'],
  RecordAssessment: ['assessmentId'],
  RecordEvaluation: ['evaluationId'],
};

/** Strategy commands address the home organisation's one strategy unless told otherwise. */
export const DEFAULTED_FIELDS: Readonly<Record<string, unknown>> = { strategyId: HOME_STRATEGY_ID };

export function optionalPathsOf(type: CommandType): readonly string[] {
  const defaulted = type in commandSchemas && isStrategyCommand(type) ? ['strategyId'] : [];
  return [...(MINTED_ID_PATHS[type] ?? []), ...defaulted];
}

function isStrategyCommand(type: CommandType): boolean {
  return ['DefineStrategy', 'SetEscalationRule', 'RemoveEscalationRule', 'AssessCapability'].includes(type);
}

export const COMMAND_TYPES = Object.keys(commandSchemas).sort() as CommandType[];

/** One line per mutation in the schema; the domain's words. */
export const COMMAND_DESCRIPTIONS: Readonly<Record<CommandType, string>> = {
  RegisterOrganization: 'Register the home organisation (with its departments) or a partner organisation.',
  DefineStrategy: 'Define the home organisation’s partnership strategy: themes, non-negotiable values, boundaries, thresholds.',
  SetEscalationRule: 'Add or replace an escalation rule: trigger → body, level, deadline in days.',
  RemoveEscalationRule: 'Remove an escalation rule from the strategy.',
  AssessCapability: 'Record a Common Eye assessment of the four partnership-capability conditions (maturity 1–5).',
  ProposePartnership: 'Propose a partnership; it starts in EXPLORE with the lead party at the table.',
  AdmitParty: 'Admit a party with its delegate.',
  WithdrawParty: 'A party withdraws; every endorsement of the ambition lapses (rule 4).',
  ReplaceDelegate: 'Replace a party’s delegate, with a rationale; their INDIVIDUAL interests lapse.',
  AssignNetworkRole: 'Assign a network role (operator, promoter, vision keeper, creative thinker, champion).',
  DeclareInterest: 'Declare a COLLECTIVE, ORGANISATIONAL or INDIVIDUAL interest.',
  ReviseInterest: 'Revise a declared interest.',
  WithdrawInterest: 'Withdraw a declared interest.',
  FormulateAmbition: 'Formulate the shared ambition: statement, goals, no-go areas (endorsements lapse).',
  EndorseAmbition: 'A party endorses the current ambition.',
  PledgeContribution: 'Pledge what a party brings or takes (time, money, knowledge).',
  ReportContributionDelivered: 'Report a pledge delivered.',
  DefineGovernance: 'Define governance: decision rights, task allocation, legal form, exit arrangements, ...',
  ChangeScope: 'Change the scope: what is included and, explicitly, excluded; the horizon.',
  AdvancePhase: 'Advance to a later phase; more than one step is a skip and needs a justification (rule 2).',
  RevertPhase: 'Go back to an earlier phase, with a reason.',
  RequestApproval: 'Ask a body for a decision on one change, named in `change` (raises an escalation); the decision authorises that change only.',
  RecordDecision: 'Record a body’s decision: APPROVED, REJECTED, CONDITIONAL or NOTED (by a role that speaks for that body).',
  MarkConditionMet: 'Mark a condition of a CONDITIONAL decision as met (by a role that speaks for the body that decided).',
  AcknowledgeEscalation: 'Acknowledge an open EXPECTED escalation (by a role that speaks for the body it is addressed to); a MANDATORY or INFORM one is answered by recordDecision.',
  FlagValueAtRisk: 'Flag a non-negotiable value of the strategy as at risk.',
  RecordAssessment: 'Record an assessment of the five perspectives, by one party or jointly.',
  ReportGoalProgress: 'Report progress on a goal of the ambition.',
  RecordEvaluation: 'Record a periodic evaluation: indicators, answers, lessons, verdict.',
  ReviewPartnership: 'Evaluate the time-driven triggers (stagnation, health, overdue escalations and evaluations) as of businessTime.',
  EndPartnership: 'End the partnership; it then refuses every command.',
  ForgetPerson: 'Forget a person (ADMIN): destroy their key, so their name and INDIVIDUAL interests read as [redacted] everywhere; the history still verifies.',
};
