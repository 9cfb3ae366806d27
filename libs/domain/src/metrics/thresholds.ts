import type { StrategyState } from '../strategy/strategy.state';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../strategy/thresholds';

/** The strategy's thresholds, or PRODUCT.md's defaults when there is no strategy. */
export function thresholdsOf(strategy: StrategyState | undefined): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...(strategy?.thresholds ?? {}) };
}
