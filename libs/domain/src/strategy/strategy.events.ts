import { z } from 'zod';
import { identifier, isoDateTime, name, text, textList } from '../shared/primitives';
import { LegalFormSchema } from '../partnership/vocabulary';
import { EscalationRuleSchema } from './escalation-rule';
import { ThresholdsSchema } from './thresholds';
import { CapabilityScoresSchema } from './capability';

const ThemeData = z.object({ themeId: identifier(), name: name(), criteria: textList(30) });

/** Data schemas of the strategy stream's events, by type (current schema versions). */
export const strategyEventDataSchemas = {
  StrategyDefined: z.object({
    strategyId: identifier(),
    themes: z.array(ThemeData),
    nonNegotiableValues: textList(30, 300),
    highestLegalFormWithoutBoardDecision: LegalFormSchema,
    /** Complete: the defaults are filled in when the strategy is defined. */
    thresholds: ThresholdsSchema,
    definedBy: identifier(),
    at: isoDateTime(),
  }),
  EscalationRuleSet: z.object({ strategyId: identifier(), rule: EscalationRuleSchema, setBy: identifier(), at: isoDateTime() }),
  EscalationRuleRemoved: z.object({ strategyId: identifier(), ruleId: identifier(), removedBy: identifier(), at: isoDateTime() }),
  CapabilityAssessed: z.object({
    strategyId: identifier(),
    assessmentId: identifier(),
    conditions: CapabilityScoresSchema,
    notes: text(4000).optional(),
    assessedBy: identifier(),
    at: isoDateTime(),
  }),
} as const;

type DataSchemas = typeof strategyEventDataSchemas;
export type StrategyEvent = { [K in keyof DataSchemas]: { type: K; data: z.infer<DataSchemas[K]> } }[keyof DataSchemas];
export type StrategyEventOf<K extends StrategyEvent['type']> = Extract<StrategyEvent, { type: K }>;
