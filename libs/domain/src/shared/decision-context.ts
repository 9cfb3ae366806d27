import type { StrategyState } from '../strategy/strategy.state';

/** Who sends a command. Mirrors the event store's `Actor`; the domain depends on neither side. */
export interface Actor {
  readonly id: string;
  readonly role?: string;
  readonly organisationId?: string;
}

/**
 * What a decision needs from outside its own stream (ARCHITECTURE.md, "Decider").
 * `businessTime` is the only clock the domain knows (rule 8). For partnership commands the
 * command side loads the home strategy stream (`strategy-home`) and passes its folded state:
 * its escalation rules, themes, values, legal-form boundary and thresholds.
 */
export interface DecisionContext {
  readonly actor: Actor;
  /** ISO-8601 date-time. */
  readonly businessTime: string;
  readonly strategy?: StrategyState;
}
