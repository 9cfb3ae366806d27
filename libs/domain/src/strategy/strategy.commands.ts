import { z } from 'zod';
import { identifier, name, text, textList } from '../shared/primitives';
import { LegalFormSchema } from '../partnership/vocabulary';
import { EscalationRuleSchema } from './escalation-rule';
import { ThresholdsSchema } from './thresholds';
import { CapabilityScoresSchema } from './capability';

export const ThemeSchema = z.strictObject({
  themeId: identifier(),
  name: name(),
  /** What we look for in a partner on this theme. */
  criteria: textList(30),
});

export const DefineStrategySchema = z.strictObject({
  type: z.literal('DefineStrategy'),
  strategyId: identifier(),
  themes: z.array(ThemeSchema).min(1).max(50),
  nonNegotiableValues: textList(30, 300),
  /** Beyond this, a change of legal form is always MANDATORY for the BOARD (rule 3). */
  highestLegalFormWithoutBoardDecision: LegalFormSchema,
  thresholds: ThresholdsSchema.partial().optional(),
});

export const SetEscalationRuleSchema = z.strictObject({
  type: z.literal('SetEscalationRule'),
  strategyId: identifier(),
  rule: EscalationRuleSchema,
});

export const RemoveEscalationRuleSchema = z.strictObject({
  type: z.literal('RemoveEscalationRule'),
  strategyId: identifier(),
  ruleId: identifier(),
});

export const AssessCapabilitySchema = z.strictObject({
  type: z.literal('AssessCapability'),
  strategyId: identifier(),
  assessmentId: identifier(),
  conditions: CapabilityScoresSchema,
  notes: text(4000).optional(),
});

export const strategyCommandSchemas = {
  DefineStrategy: DefineStrategySchema,
  SetEscalationRule: SetEscalationRuleSchema,
  RemoveEscalationRule: RemoveEscalationRuleSchema,
  AssessCapability: AssessCapabilitySchema,
} as const;

export type DefineStrategy = z.infer<typeof DefineStrategySchema>;
export type SetEscalationRule = z.infer<typeof SetEscalationRuleSchema>;
export type RemoveEscalationRule = z.infer<typeof RemoveEscalationRuleSchema>;
export type AssessCapability = z.infer<typeof AssessCapabilitySchema>;
export type StrategyCommand = DefineStrategy | SetEscalationRule | RemoveEscalationRule | AssessCapability;
