import { z } from 'zod';

/** The five phases of the process perspective, then the terminal ENDED. Order matters. */
export const PHASES = ['EXPLORE', 'SHARE', 'AGREE', 'DESIGN', 'EXECUTE', 'ENDED'] as const;
export const PhaseSchema = z.enum(PHASES);
export type Phase = z.infer<typeof PhaseSchema>;
/** The phases a partnership moves through with AdvancePhase / RevertPhase (ENDED only by EndPartnership). */
export const WORKING_PHASES = ['EXPLORE', 'SHARE', 'AGREE', 'DESIGN', 'EXECUTE'] as const;
export const WorkingPhaseSchema = z.enum(WORKING_PHASES);
export type WorkingPhase = z.infer<typeof WorkingPhaseSchema>;
export const phaseIndex = (phase: Phase): number => PHASES.indexOf(phase);

/** Legal forms, ordered from loose to merged (governance, organisation perspective). */
export const LEGAL_FORMS = ['NONE', 'RULES_OF_PLAY', 'COVENANT', 'CONTRACT', 'JOINT_VENTURE', 'LEGAL_ENTITY', 'MERGER'] as const;
export const LegalFormSchema = z.enum(LEGAL_FORMS);
export type LegalForm = z.infer<typeof LegalFormSchema>;
export const legalFormRank = (form: LegalForm): number => LEGAL_FORMS.indexOf(form);

/** Reflection model (reflectiemodel op samenwerken). */
export const PERSPECTIVES = ['AMBITION', 'INTERESTS', 'RELATION', 'ORGANISATION', 'PROCESS'] as const;
export const PerspectiveSchema = z.enum(PERSPECTIVES);
export type Perspective = z.infer<typeof PerspectiveSchema>;

/** Interests (belangen): of the partnership/clients, of an organisation, of the delegate. */
export const INTEREST_KINDS = ['COLLECTIVE', 'ORGANISATIONAL', 'INDIVIDUAL'] as const;
export const InterestKindSchema = z.enum(INTEREST_KINDS);
export type InterestKind = z.infer<typeof InterestKindSchema>;

export const PURPOSE_TYPES = ['CHAIN', 'INFRASTRUCTURE', 'INNOVATION', 'LEARNING_NETWORK', 'SHARED_SERVICES'] as const;
export const PurposeTypeSchema = z.enum(PURPOSE_TYPES);

export const MOTIVES = [
  'COMPLEX_PROBLEM',
  'TOO_SMALL_ALONE',
  'COST_EFFICIENCY',
  'ACCESS_TO_KNOWLEDGE_OR_MEANS',
  'LEARNING_TOGETHER',
  'SINGLE_POINT_OF_CONTACT',
  'ACCELERATE_STRATEGY',
  'DIVISION_OF_TERRITORY_OR_TARGET_GROUP',
  'COINCIDING_INTERESTS',
  'IDEALISM',
  /** A warning sign: collaboration is a means, not a goal (rule 6, SELF_SERVING). */
  'COLLABORATION_FOR_ITS_OWN_SAKE',
] as const;
export const MotiveSchema = z.enum(MOTIVES);
export type Motive = z.infer<typeof MotiveSchema>;

export const OriginSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('CHOSEN') }),
  /** Imposed by an authority, e.g. the first-line zones (eerstelijnszones). */
  z.strictObject({ kind: z.literal('IMPOSED'), imposedBy: z.string().trim().min(1).max(200) }),
]);
export type Origin = z.infer<typeof OriginSchema>;

/** Cooperative|competitive × similar|complementary; competitive quadrants risk a temporary collaboration. */
export const QuadrantSchema = z.strictObject({
  relation: z.enum(['COOPERATIVE', 'COMPETITIVE']),
  resources: z.enum(['SIMILAR', 'COMPLEMENTARY']),
});

export const NETWORK_ROLES = ['OPERATOR', 'PROMOTER', 'VISION_KEEPER', 'CREATIVE_THINKER', 'CHAMPION'] as const;
export const NetworkRoleSchema = z.enum(NETWORK_ROLES);

export const CONTRIBUTION_KINDS = ['TIME', 'MONEY', 'KNOWLEDGE'] as const;
export const ContributionKindSchema = z.enum(CONTRIBUTION_KINDS);
export type ContributionKind = z.infer<typeof ContributionKindSchema>;
/** Take and bring (halen en brengen). */
export const ContributionDirectionSchema = z.enum(['BRING', 'TAKE']);

export const GoalKindSchema = z.enum(['QUANTITATIVE', 'QUALITATIVE']);
export const VerdictSchema = z.enum(['ON_COURSE', 'ADJUST', 'STOP']);
export const DecisionOutcomeSchema = z.enum(['APPROVED', 'REJECTED', 'CONDITIONAL', 'NOTED']);
export type DecisionOutcome = z.infer<typeof DecisionOutcomeSchema>;
/** Who assesses: an organisation id (a party) or the partnership together (gezamenlijk beoordelen). */
export const JOINT = 'JOINT';
