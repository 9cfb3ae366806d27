import { z } from 'zod';
import { identifier } from '../shared/primitives';
import { LegalFormSchema, WorkingPhaseSchema } from '../partnership/vocabulary';

/** Governing bodies. STAFF is informed rather than asked to approve (op voorhand inlichten). */
export const BODIES = ['BOARD', 'EXECUTIVE', 'STAFF', 'STEERING_GROUP'] as const;
export const BodySchema = z.enum(BODIES);
export type Body = z.infer<typeof BodySchema>;

export const ESCALATION_LEVELS = ['MANDATORY', 'INFORM', 'EXPECTED'] as const;
export const EscalationLevelSchema = z.enum(ESCALATION_LEVELS);
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

/**
 * Triggers of rule 3. EVALUATION_OVERDUE is ours: rule 8 lists overdue evaluations among the
 * time-driven triggers, so a strategy may route it like the others.
 */
export const TRIGGERS = [
  'PHASE_ENTERED',
  'PHASES_SKIPPED',
  'LEGAL_FORM_CHANGED',
  'CONTRIBUTION_ABOVE',
  'PARTY_ADMITTED',
  'PARTY_WITHDRAWN',
  'DELEGATE_REPLACED',
  'SCOPE_CHANGED',
  'VALUE_AT_RISK',
  'EVALUATION_STOP',
  'PARTNERSHIP_ENDED',
  'STAGNATION',
  'HEALTH_BELOW',
  'EVALUATION_OVERDUE',
] as const;
export const TriggerSchema = z.enum(TRIGGERS);
export type Trigger = z.infer<typeof TriggerSchema>;

/**
 * Triggers that report facts rather than change the partnership. Refusing to record bad news
 * would hide it from the board, so whatever level a rule gives them, they never refuse: they
 * raise an escalation to the rule's body (treated as EXPECTED).
 */
export const REPORTING_TRIGGERS: readonly Trigger[] = ['VALUE_AT_RISK', 'EVALUATION_STOP', 'STAGNATION', 'HEALTH_BELOW', 'EVALUATION_OVERDUE'];

/** Parameters that narrow a trigger; each applies to the triggers named in its comment. */
export const TriggerParamsSchema = z.strictObject({
  /** PHASE_ENTERED: the phase entered (any phase when absent). */
  phase: WorkingPhaseSchema.optional(),
  /** LEGAL_FORM_CHANGED: a change to this form or beyond (any change when absent). */
  legalForm: LegalFormSchema.optional(),
  /** CONTRIBUTION_ABOVE: a single MONEY pledge strictly above this amount. */
  amount: z.number().nonnegative().optional(),
  /** STAGNATION: days without progress (strategy threshold stagnationDays when absent). */
  days: z.int().min(1).max(3650).optional(),
  /** HEALTH_BELOW: health threshold (strategy threshold healthBelow when absent). */
  health: z.number().min(1).max(5).optional(),
});
export type TriggerParams = z.infer<typeof TriggerParamsSchema>;

export const EscalationRuleSchema = z.strictObject({
  ruleId: identifier(),
  trigger: TriggerSchema,
  params: TriggerParamsSchema.optional(),
  body: BodySchema,
  level: EscalationLevelSchema,
  deadlineDays: z.int().min(0).max(365),
});
export type EscalationRule = z.infer<typeof EscalationRuleSchema>;

/**
 * Rules that apply when the strategy has no rule for the trigger. Rule 3 names the first;
 * the time-driven ones are our choice so that review (rule 8) always has somewhere to report:
 * an overdue evaluation goes to the board ("are we still on course?" is its question),
 * stagnation and low health to the executive, who runs the portfolio day to day.
 */
export const DEFAULT_ESCALATION_RULES: readonly EscalationRule[] = [
  { ruleId: 'default:EVALUATION_STOP', trigger: 'EVALUATION_STOP', body: 'BOARD', level: 'EXPECTED', deadlineDays: 30 },
  { ruleId: 'default:EVALUATION_OVERDUE', trigger: 'EVALUATION_OVERDUE', body: 'BOARD', level: 'EXPECTED', deadlineDays: 30 },
  { ruleId: 'default:STAGNATION', trigger: 'STAGNATION', body: 'EXECUTIVE', level: 'EXPECTED', deadlineDays: 30 },
  { ruleId: 'default:HEALTH_BELOW', trigger: 'HEALTH_BELOW', body: 'EXECUTIVE', level: 'EXPECTED', deadlineDays: 30 },
];

/** The implicit rule of rule 3: a legal form above the strategy's highest allowed one. */
export const LEGAL_FORM_BOUNDARY_RULE_ID = 'strategy:highest-legal-form';
/** Deadline for an approval request that no rule gives one. */
export const DEFAULT_DEADLINE_DAYS = 30;
