import { z } from 'zod';

/** The thresholds the signals use (PRODUCT.md rule 6 defaults; the strategy may set its own). */
export const ThresholdsSchema = z.strictObject({
  /** STAGNATION: days without a progress event. */
  stagnationDays: z.int().min(1).max(3650),
  /** NO_DOING, and rule 7's window for "goal progress reported recently". */
  noDoingDays: z.int().min(1).max(3650),
  /** DIVERGENT_VIEWS: spread between highest and lowest party score on a perspective. */
  divergenceSpread: z.number().min(0).max(4),
  /** DECLINING_SUPPORT: fall between a party's last two assessments. */
  decliningDrop: z.number().min(0).max(4),
  /** NOT_EVALUATED: months allowed between evaluations in EXECUTE. */
  evaluationMonths: z.int().min(1).max(120),
  /** IMBALANCE: share of pledged money brought by one party. */
  imbalanceMoneyShare: z.number().min(0).max(1),
  /** HEALTH_BELOW escalation: health on any perspective strictly below this. */
  healthBelow: z.number().min(1).max(5),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/**
 * PRODUCT.md gives every default except healthBelow; 2.5 is below the middle of the 1–5 scale,
 * i.e. the partners on average judge that perspective insufficient.
 */
export const DEFAULT_THRESHOLDS: Thresholds = {
  stagnationDays: 90,
  noDoingDays: 90,
  divergenceSpread: 2,
  decliningDrop: 1,
  evaluationMonths: 12,
  imbalanceMoneyShare: 0.7,
  healthBelow: 2.5,
};
