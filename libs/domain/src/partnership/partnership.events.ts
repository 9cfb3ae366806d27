import { z } from 'zod';
import { amount, identifier, isoDate, isoDateTime, name, storedPersonal, text, textList } from '../shared/primitives';
import { BodySchema, EscalationLevelSchema, TriggerSchema } from '../strategy/escalation-rule';
import { ExitArrangementsSchema, GoalSchema, ScoresSchema } from './partnership.commands';
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
  PhaseSchema,
  PurposeTypeSchema,
  QuadrantSchema,
  VerdictSchema,
  WorkingPhaseSchema,
} from './vocabulary';

/** Business time of the change (rule 8): evolve needs it, so it travels in the data. */
const at = isoDateTime;
const nullableText = (max = 2000) => text(max).nullable();
/** Decision ids consumed by a guarded change (rule 3), empty when no MANDATORY/INFORM rule applied. */
const authorisedBy = () => z.array(identifier());
/** A delegate as stored: the name is personal data, sealed by the command side (see privacy/). */
const storedDelegate = () => z.strictObject({ personId: identifier(), name: storedPersonal(name()) });
/** An INDIVIDUAL interest's texts are a person's convictions: stored sealed (see privacy/). */
const personalText = (max = 2000) => storedPersonal(text(max));
const UnmetSchema = z.object({ condition: z.string(), detail: z.string().optional() });

/** PartnershipProposed as first stored (schema version 1): no statement of how it serves clients. */
export const PartnershipProposedV1Schema = z.object({
  partnershipId: identifier(),
  name: name(),
  themeId: identifier(),
  owningDepartmentId: identifier(),
  description: text(4000),
  purposeType: PurposeTypeSchema,
  origin: OriginSchema,
  motives: z.array(MotiveSchema),
  quadrant: QuadrantSchema,
  valueForHome: text(2000),
  valueForPartnership: text(2000),
  leadParty: z.object({ organisationId: identifier(), delegate: storedDelegate(), ambitionAtTable: nullableText() }),
  proposedBy: identifier(),
  at: at(),
});

/** Data schemas of the partnership stream's events, by type, at their current schema version. */
export const partnershipEventDataSchemas = {
  /** v2 adds `servesClients` (null: not stated yet). */
  PartnershipProposed: PartnershipProposedV1Schema.extend({ servesClients: nullableText() }),
  PartyAdmitted: z.object({
    organisationId: identifier(),
    delegate: storedDelegate(),
    ambitionAtTable: nullableText(),
    authorisedBy: authorisedBy(),
    at: at(),
  }),
  PartyWithdrawn: z.object({ organisationId: identifier(), reason: text(2000), authorisedBy: authorisedBy(), at: at() }),
  /** Rule 4: a withdrawal makes every endorsement lapse; the remaining parties must reconfirm. */
  AmbitionEndorsementsLapsed: z.object({ organisationIds: z.array(identifier()), reason: text(2000), at: at() }),
  DelegateReplaced: z.object({
    organisationId: identifier(),
    previous: storedDelegate(),
    delegate: storedDelegate(),
    rationale: text(2000),
    authorisedBy: authorisedBy(),
    at: at(),
  }),
  /** Rule 4: a replaced delegate's INDIVIDUAL interests lapse. */
  InterestsLapsed: z.object({ interestIds: z.array(identifier()), reason: text(2000), at: at() }),
  NetworkRoleAssigned: z.object({ role: NetworkRoleSchema, person: storedDelegate(), organisationId: identifier(), at: at() }),
  InterestDeclared: z.object({
    interestId: identifier(),
    organisationId: identifier(),
    kind: InterestKindSchema,
    description: personalText(),
    position: personalText().nullable(),
    lossIfNoCollaboration: personalText().nullable(),
    dealbreaker: z.boolean(),
    /** The delegate who declared it: an INDIVIDUAL interest belongs to that person. */
    declaredByDelegate: identifier(),
    at: at(),
  }),
  InterestRevised: z.object({
    interestId: identifier(),
    description: personalText().optional(),
    position: personalText().optional(),
    lossIfNoCollaboration: personalText().optional(),
    dealbreaker: z.boolean().optional(),
    at: at(),
  }),
  InterestWithdrawn: z.object({ interestId: identifier(), reason: nullableText(), at: at() }),
  AmbitionFormulated: z.object({ statement: text(4000), goals: z.array(GoalSchema), noGoAreas: textList(30), at: at() }),
  AmbitionEndorsed: z.object({ organisationId: identifier(), at: at() }),
  ContributionPledged: z.object({
    pledgeId: identifier(),
    organisationId: identifier(),
    direction: ContributionDirectionSchema,
    kind: ContributionKindSchema,
    description: text(2000),
    amount: amount().nullable(),
    authorisedBy: authorisedBy(),
    at: at(),
  }),
  ContributionDelivered: z.object({ pledgeId: identifier(), note: nullableText(), at: at() }),
  GovernanceDefined: z.object({
    decisionRights: nullableText(4000),
    taskAllocation: nullableText(4000),
    membership: nullableText(),
    exclusivity: nullableText(),
    costAndRevenueSplit: nullableText(),
    legalForm: LegalFormSchema,
    previousLegalForm: LegalFormSchema,
    budget: amount().nullable(),
    exitArrangements: ExitArrangementsSchema.nullable(),
    authorisedBy: authorisedBy(),
    at: at(),
  }),
  ScopeChanged: z.object({
    included: textList(50),
    excluded: textList(50),
    horizon: isoDate().nullable(),
    servesClients: nullableText(),
    authorisedBy: authorisedBy(),
    at: at(),
  }),
  PhaseAdvanced: z.object({ from: WorkingPhaseSchema, to: WorkingPhaseSchema, authorisedBy: authorisedBy(), at: at() }),
  /** Rule 2: every unmet condition of each gate passed over, as it stood at the skip. */
  PhasesSkipped: z.object({
    from: WorkingPhaseSchema,
    to: WorkingPhaseSchema,
    justification: text(4000),
    passedOver: z.array(z.object({ from: WorkingPhaseSchema, to: WorkingPhaseSchema, unmet: z.array(UnmetSchema) })),
    authorisedBy: authorisedBy(),
    at: at(),
  }),
  PhaseReverted: z.object({ from: WorkingPhaseSchema, to: WorkingPhaseSchema, reason: text(4000), at: at() }),
  ApprovalRequested: z.object({
    requestId: identifier(),
    body: BodySchema,
    trigger: TriggerSchema,
    subject: text(2000),
    /** The change requested; absent on requests recorded before requests named it (then: any). */
    change: RequestedChangeSchema.nullable().optional(),
    requestedBy: identifier(),
    at: at(),
  }),
  EscalationRaised: z.object({
    escalationId: z.string().min(1).max(400),
    trigger: TriggerSchema,
    body: BodySchema,
    level: EscalationLevelSchema,
    subject: text(2000),
    ruleId: z.string().nullable(),
    requestId: identifier().nullable(),
    dueAt: isoDateTime(),
    at: at(),
  }),
  DecisionRecorded: z.object({
    decisionId: identifier(),
    body: BodySchema,
    requestId: identifier().nullable(),
    escalationId: z.string().nullable(),
    subject: nullableText(),
    outcome: DecisionOutcomeSchema,
    rationale: text(4000),
    conditions: z.array(z.object({ conditionId: identifier(), description: text(2000) })),
    decidedBy: identifier(),
    at: at(),
  }),
  ConditionMet: z.object({ decisionId: identifier(), conditionId: identifier(), note: nullableText(), metBy: identifier(), at: at() }),
  EscalationAcknowledged: z.object({ escalationId: z.string(), note: nullableText(), acknowledgedBy: identifier(), at: at() }),
  /** Raised once per escalation by a review after its deadline passed while it was open. */
  EscalationOverdue: z.object({ escalationId: z.string(), dueAt: isoDateTime(), at: at() }),
  ValueFlaggedAtRisk: z.object({ value: text(300), note: text(2000), flaggedBy: identifier(), at: at() }),
  AssessmentRecorded: z.object({ assessmentId: identifier(), by: identifier(), scores: ScoresSchema, assessedBy: identifier(), at: at() }),
  GoalProgressReported: z.object({ goalId: identifier(), actual: z.number().nullable(), note: nullableText(), at: at() }),
  /** A review found a goal's latest progress (reported at `reportedAt`) older than rule 7's window: no longer "doing". */
  GoalProgressLapsed: z.object({ goalId: identifier(), reportedAt: isoDateTime(), at: at() }),
  EvaluationRecorded: z.object({
    evaluationId: identifier(),
    period: z.object({ from: isoDate(), to: isoDate() }),
    indicators: z.array(z.object({ goalId: identifier().optional(), indicator: text(300), target: z.number(), actual: z.number() })),
    answers: z.array(z.object({ question: text(1000), answer: text(4000) })),
    lessons: textList(50, 2000),
    verdict: VerdictSchema,
    at: at(),
  }),
  PartnershipEnded: z.object({ reason: text(4000), from: PhaseSchema, authorisedBy: authorisedBy(), at: at() }),
} as const;

type DataSchemas = typeof partnershipEventDataSchemas;
export type PartnershipEventType = keyof DataSchemas;
export type PartnershipEvent = { [K in PartnershipEventType]: { type: K; data: z.infer<DataSchemas[K]> } }[PartnershipEventType];
export type PartnershipEventOf<K extends PartnershipEventType> = Extract<PartnershipEvent, { type: K }>;
export type PartnershipEventData<K extends PartnershipEventType> = z.infer<DataSchemas[K]>;
export type UnmetRecord = z.infer<typeof UnmetSchema>;
