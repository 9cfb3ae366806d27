import { z } from 'zod';
import { text } from '../shared/primitives';

/** Common Eye: the four conditions of partnership capability, each maturity 1–5. */
export const CAPABILITY_CONDITIONS = [
  'STRATEGY_TRANSLATION',
  'CULTURE_LEADERSHIP_STEERING',
  'INTERNAL_ORGANISATION',
  'SYSTEMS_TOOLS_SKILLS',
] as const;
export const CapabilityConditionSchema = z.enum(CAPABILITY_CONDITIONS);

export const CapabilityScoreSchema = z.strictObject({
  /** 1 incidental and accidental … 5 purposeful and continuously improving. */
  maturity: z.int().min(1).max(5),
  notes: text(2000).optional(),
});

export const CapabilityScoresSchema = z.record(CapabilityConditionSchema, CapabilityScoreSchema);
export type CapabilityScores = z.infer<typeof CapabilityScoresSchema>;
