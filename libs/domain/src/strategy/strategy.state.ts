import type { LegalForm } from '../partnership/vocabulary';
import type { EscalationRule } from './escalation-rule';
import type { Thresholds } from './thresholds';
import { DEFAULT_THRESHOLDS } from './thresholds';
import type { CapabilityScores } from './capability';

/** The one strategy of the home organisation lives in stream `strategy-home`. */
export const HOME_STRATEGY_ID = 'home';

export interface Theme {
  themeId: string;
  name: string;
  criteria: string[];
}

export interface CapabilityAssessment {
  assessmentId: string;
  conditions: CapabilityScores;
  notes?: string;
  assessedBy: string;
  at: string;
}

/** JSON-serialisable, like every state of this library. */
export interface StrategyState {
  defined: boolean;
  strategyId: string | null;
  themes: Theme[];
  nonNegotiableValues: string[];
  highestLegalFormWithoutBoardDecision: LegalForm;
  thresholds: Thresholds;
  escalationRules: EscalationRule[];
  capabilityAssessments: CapabilityAssessment[];
  definedAt: string | null;
}

export const initialStrategyState: StrategyState = {
  defined: false,
  strategyId: null,
  themes: [],
  nonNegotiableValues: [],
  // Until a strategy says otherwise, anything beyond agreed rules of play needs the board.
  highestLegalFormWithoutBoardDecision: 'RULES_OF_PLAY',
  thresholds: DEFAULT_THRESHOLDS,
  escalationRules: [],
  capabilityAssessments: [],
  definedAt: null,
};
