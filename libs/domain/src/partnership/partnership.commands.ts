import { z } from 'zod';
import { amount, approvals, identifier, isoDate, name, score, text, textList } from '../shared/primitives';
import { BodySchema, TriggerSchema } from '../strategy/escalation-rule';
import { RequestedChangeSchema } from './escalation/requested-change';
import {
  ContributionDirectionSchema,
  ContributionKindSchema,
  DecisionOutcomeSchema,
  InterestKindSchema,
  LegalFormSchema,
  MotiveSchema,
  NetworkRoleSchema,
  OriginSchema,
  PurposeTypeSchema,
  QuadrantSchema,
  VerdictSchema,
  WorkingPhaseSchema,
} from './vocabulary';

const partnershipId = identifier;

/** The delegate a party sends to the table, chosen deliberately (afgevaardigde). */
export const DelegateSchema = z.strictObject({ personId: identifier(), name: name() });

export const GoalSchema = z.discriminatedUnion('kind', [
  z.strictObject({ goalId: identifier(), kind: z.literal('QUANTITATIVE'), description: text(1000), indicator: text(300), target: z.number() }),
  z.strictObject({ goalId: identifier(), kind: z.literal('QUALITATIVE'), description: text(1000), question: text(1000) }),
]);

const perspectiveScore = () => z.strictObject({ score: score(), note: text(2000).optional() });
/** One score 1–5 with a note for each of the five perspectives. */
export const ScoresSchema = z.strictObject({
  AMBITION: perspectiveScore(),
  INTERESTS: perspectiveScore(),
  RELATION: perspectiveScore(),
  ORGANISATION: perspectiveScore(),
  PROCESS: perspectiveScore(),
});

export const ExitArrangementsSchema = z.strictObject({
  /** How a party may leave. */
  howToLeave: text(2000),
  noticePeriod: text(200),
  /** How the partnership winds down: shared assets, data and staff. */
  sharedAssets: text(2000),
  data: text(2000),
  staff: text(2000),
});

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), partnershipId: partnershipId(), ...shape });

export const partnershipCommandSchemas = {
  ProposePartnership: command('ProposePartnership', {
    name: name(),
    themeId: identifier(),
    owningDepartmentId: identifier(),
    description: text(4000),
    purposeType: PurposeTypeSchema,
    origin: OriginSchema,
    motives: z.array(MotiveSchema).min(1).max(11),
    quadrant: QuadrantSchema,
    valueForHome: text(2000),
    valueForPartnership: text(2000),
    /** How it serves the clients/users it exists for; required by the SHARE→AGREE gate. */
    servesClients: text(2000).optional(),
    /** The party that takes the initiative, usually the home organisation, with its delegate. */
    leadParty: z.strictObject({ organisationId: identifier(), delegate: DelegateSchema, ambitionAtTable: text(2000).optional() }),
  }),
  AdmitParty: command('AdmitParty', {
    organisationId: identifier(),
    delegate: DelegateSchema,
    ambitionAtTable: text(2000).optional(),
    approvals: approvals(),
  }),
  WithdrawParty: command('WithdrawParty', { organisationId: identifier(), reason: text(2000), approvals: approvals() }),
  ReplaceDelegate: command('ReplaceDelegate', {
    organisationId: identifier(),
    delegate: DelegateSchema,
    rationale: text(2000),
    approvals: approvals(),
  }),
  AssignNetworkRole: command('AssignNetworkRole', {
    role: NetworkRoleSchema,
    person: DelegateSchema,
    organisationId: identifier(),
  }),
  DeclareInterest: command('DeclareInterest', {
    interestId: identifier(),
    /** The party declaring it; a COLLECTIVE interest is declared by a party for the partnership. */
    organisationId: identifier(),
    kind: InterestKindSchema,
    description: text(2000),
    position: text(2000).optional(),
    /** What goes wrong for the party if the collaboration does not happen. */
    lossIfNoCollaboration: text(2000).optional(),
    dealbreaker: z.boolean().optional(),
  }),
  ReviseInterest: command('ReviseInterest', {
    interestId: identifier(),
    description: text(2000).optional(),
    position: text(2000).optional(),
    lossIfNoCollaboration: text(2000).optional(),
    dealbreaker: z.boolean().optional(),
  }),
  WithdrawInterest: command('WithdrawInterest', { interestId: identifier(), reason: text(2000).optional() }),
  FormulateAmbition: command('FormulateAmbition', {
    statement: text(4000),
    goals: z.array(GoalSchema).max(50),
    noGoAreas: textList(30),
  }),
  EndorseAmbition: command('EndorseAmbition', { organisationId: identifier() }),
  PledgeContribution: command('PledgeContribution', {
    pledgeId: identifier(),
    organisationId: identifier(),
    direction: ContributionDirectionSchema,
    kind: ContributionKindSchema,
    description: text(2000),
    /** Hours for TIME, euros for MONEY; optional for KNOWLEDGE. */
    amount: amount().optional(),
    approvals: approvals(),
  }),
  ReportContributionDelivered: command('ReportContributionDelivered', { pledgeId: identifier(), note: text(2000).optional() }),
  DefineGovernance: command('DefineGovernance', {
    decisionRights: text(4000).optional(),
    taskAllocation: text(4000).optional(),
    membership: text(2000).optional(),
    exclusivity: text(2000).optional(),
    costAndRevenueSplit: text(2000).optional(),
    legalForm: LegalFormSchema,
    budget: amount().optional(),
    exitArrangements: ExitArrangementsSchema.optional(),
    approvals: approvals(),
  }),
  ChangeScope: command('ChangeScope', {
    included: textList(50),
    /** What we explicitly do NOT do together. */
    excluded: textList(50),
    horizon: isoDate().optional(),
    servesClients: text(2000).optional(),
    approvals: approvals(),
  }),
  AdvancePhase: command('AdvancePhase', {
    toPhase: WorkingPhaseSchema,
    /** Required when advancing more than one phase (a skip, rule 2). */
    justification: text(4000).optional(),
    approvals: approvals(),
  }),
  RevertPhase: command('RevertPhase', { toPhase: WorkingPhaseSchema, reason: text(4000) }),
  RequestApproval: command('RequestApproval', {
    requestId: identifier(),
    body: BodySchema,
    trigger: TriggerSchema,
    subject: text(2000),
    change: RequestedChangeSchema.optional().describe(
      'The one change a decision on this request authorises (rule 3): required for the triggers that name one (phase, legal form, organisation, amount).',
    ),
  }),
  RecordDecision: command('RecordDecision', {
    decisionId: identifier(),
    body: BodySchema,
    requestId: identifier().optional(),
    /** An EXPECTED escalation this decision resolves (a request's escalation is resolved through requestId). */
    escalationId: identifier().optional(),
    subject: text(2000).optional(),
    outcome: DecisionOutcomeSchema,
    rationale: text(4000),
    conditions: z.array(z.strictObject({ conditionId: identifier(), description: text(2000) })).max(30).optional(),
  }),
  MarkConditionMet: command('MarkConditionMet', { decisionId: identifier(), conditionId: identifier(), note: text(2000).optional() }),
  AcknowledgeEscalation: command('AcknowledgeEscalation', { escalationId: identifier(), note: text(2000).optional() }),
  FlagValueAtRisk: command('FlagValueAtRisk', { value: text(300), note: text(2000) }),
  RecordAssessment: command('RecordAssessment', {
    assessmentId: identifier(),
    by: identifier().describe("The organisation id of an active party, or JOINT for an assessment the parties made together."),
    scores: ScoresSchema,
  }),
  ReportGoalProgress: command('ReportGoalProgress', {
    goalId: identifier(),
    actual: z.number().optional(),
    note: text(2000).optional(),
  }),
  RecordEvaluation: command('RecordEvaluation', {
    evaluationId: identifier(),
    period: z.strictObject({ from: isoDate(), to: isoDate() }),
    indicators: z.array(z.strictObject({ goalId: identifier().optional(), indicator: text(300), target: z.number(), actual: z.number() })).max(50),
    answers: z.array(z.strictObject({ question: text(1000), answer: text(4000) })).max(50),
    lessons: textList(50, 2000),
    verdict: VerdictSchema,
  }),
  ReviewPartnership: command('ReviewPartnership', {}),
  EndPartnership: command('EndPartnership', { reason: text(4000), approvals: approvals() }),
} as const;

type Schemas = typeof partnershipCommandSchemas;
export type PartnershipCommandType = keyof Schemas;
export type PartnershipCommand = { [K in PartnershipCommandType]: z.infer<Schemas[K]> }[PartnershipCommandType];
export type PartnershipCommandOf<K extends PartnershipCommandType> = Extract<PartnershipCommand, { type: K }>;
export type Goal = z.infer<typeof GoalSchema>;
export type Delegate = z.infer<typeof DelegateSchema>;
export type Scores = z.infer<typeof ScoresSchema>;
export type ExitArrangements = z.infer<typeof ExitArrangementsSchema>;
