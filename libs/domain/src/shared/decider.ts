/**
 * A Decider (Jérémie Chassaing's pattern, as in event-driven-io/emmett): the whole behaviour of
 * an aggregate as three pure parts. The command side reads a stream, folds `evolve` from
 * `initialState`, asks `decide`, and appends what it returns. `decide` throws a `DomainError`
 * to refuse; an empty array means "nothing new to record" (e.g. a review with nothing due).
 */
export interface Decider<C, E, S, Ctx> {
  readonly initialState: S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S, context: Ctx): E[];
}

/** Replays events into state: what a handler, a projection or an auditor does. */
export function fold<C, E, S, Ctx>(decider: Decider<C, E, S, Ctx>, events: readonly E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState);
}
