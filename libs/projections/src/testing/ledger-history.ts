/*
 * Real histories for projection specs and benches: commands decided by the domain's own
 * deciders, wrapped in the event store's envelope (stream, revision, global position, actor,
 * business time). No hand-written events that the domain could never produce.
 */
import { randomUUID } from 'node:crypto';
import {
  deciders,
  schemaVersionOf,
  streamIdOf,
  aggregateOf,
  type DomainCommand,
  type DomainEvent,
  type EventType,
  type StrategyState,
} from '@ppl/domain';
import type { NewEvent, RecordedEvent } from '@ppl/event-store';

type AnyDecider = {
  initialState: unknown;
  evolve(state: unknown, event: DomainEvent): unknown;
  decide(command: DomainCommand, state: unknown, context: unknown): DomainEvent[];
};

export interface DecideOptions {
  readonly at: string;
  readonly actor?: string;
}

export class LedgerHistory {
  readonly events: RecordedEvent[] = [];
  private readonly states = new Map<string, { state: unknown; revision: number }>();
  private position = -1;

  /** Decides a command against the stream's folded state; appends and returns its events. */
  decide(command: DomainCommand, options: DecideOptions): RecordedEvent[] {
    const streamId = streamIdOf(command);
    const decider = deciders[aggregateOf(command)] as unknown as AnyDecider;
    const current = this.states.get(streamId) ?? { state: decider.initialState, revision: -1 };
    // As the command side does: the home strategy as folded, its initial state before it is set.
    const strategy = (this.states.get('strategy-home')?.state as StrategyState | undefined) ?? deciders.strategy.initialState;
    const events = decider.decide(command, current.state, { actor: { id: options.actor ?? 'tester' }, businessTime: options.at, strategy });
    const recorded = events.map((event) => {
      current.state = decider.evolve(current.state, event);
      current.revision += 1;
      this.position += 1;
      return envelope(streamId, current.revision, this.position, event, options);
    });
    this.states.set(streamId, current);
    this.events.push(...recorded);
    return recorded;
  }

  /** The folded state of a stream (as the command side would read it). */
  stateOf<S>(streamId: string): S | undefined {
    return this.states.get(streamId)?.state as S | undefined;
  }
}

export function envelope(
  streamId: string,
  revision: number,
  position: number,
  event: DomainEvent,
  options: DecideOptions,
): RecordedEvent {
  return {
    ...newEvent(event, options),
    streamId,
    revision,
    position,
    recordedAt: options.at,
  };
}

export function newEvent(event: DomainEvent, options: DecideOptions): NewEvent {
  return {
    id: randomUUID(),
    type: event.type,
    schemaVersion: schemaVersionOf(event.type as EventType),
    data: event.data,
    metadata: { actor: { id: options.actor ?? 'tester' }, businessTime: options.at },
  };
}
