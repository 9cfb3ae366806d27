import type { ICommandHandler } from '@nestjs/cqrs';
import {
  type Decider,
  type DecisionContext,
  type DomainCommand,
  streamIdOf,
  upcast,
} from '@ppl/domain';
import {
  ConcurrencyConflictError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@ppl/event-store';
import type { CommandObserver } from './command-observer';
import type { AggregateCommand, CommandOutcome } from './command-envelope';
import { eventIdFor } from './event-ids';

interface DomainEventShape {
  readonly type: string;
  readonly data: unknown;
}

/** Reads a stored event as the domain's current version of it (upcasting older versions). */
export function toDomainEvent<E extends DomainEventShape>(event: RecordedEvent): E {
  return { type: event.type, data: upcast(event.type, event.schemaVersion, event.data).data } as E;
}

/**
 * The one command loop of ARCHITECTURE.md, shared by every aggregate: read the stream, fold
 * `evolve`, `decide`, append with the revision read as expected revision. A command id seen
 * before in the stream returns the first result and records nothing. Without a caller's
 * expected revision a concurrent write is retried a bounded number of times; with one, the
 * conflict goes back to the caller.
 */
export abstract class AggregateCommandHandler<C extends DomainCommand, E extends DomainEventShape, S>
  implements ICommandHandler<AggregateCommand<C>, CommandOutcome>
{
  protected constructor(
    protected readonly store: EventStore,
    protected readonly decider: Decider<C, E, S, DecisionContext>,
    protected readonly observer: CommandObserver,
    private readonly conflictRetries: number,
    private readonly schemaVersionOf: (type: string) => number,
  ) {}

  /** What the decision needs from outside its stream (the partnership handler adds the strategy). */
  protected async contextFor(message: AggregateCommand<C>): Promise<DecisionContext> {
    return { actor: message.meta.actor, businessTime: message.meta.businessTime };
  }

  async execute(message: AggregateCommand<C>): Promise<CommandOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(message);
      } catch (error) {
        const retry =
          error instanceof ConcurrencyConflictError &&
          message.meta.expectedRevision === undefined &&
          attempt < this.conflictRetries;
        if (!retry) throw error;
      }
    }
  }

  private async attempt(message: AggregateCommand<C>): Promise<CommandOutcome> {
    const { command, meta } = message;
    const streamId = streamIdOf(command);
    const history = await this.store.readStream(streamId);
    const current = history.length === 0 ? -1 : (history[history.length - 1] as RecordedEvent).revision;

    const already = history.filter((e) => e.metadata.commandId === meta.commandId);
    if (already.length > 0) {
      const last = already[already.length - 1] as RecordedEvent;
      return { streamId, revision: last.revision, position: last.position, commandId: meta.commandId, duplicate: true, events: already };
    }
    if (meta.expectedRevision !== undefined && meta.expectedRevision !== current) {
      throw new ConcurrencyConflictError(streamId, meta.expectedRevision, current < 0 ? 'no_stream' : current);
    }

    const state = history.reduce((s, e) => this.decider.evolve(s, toDomainEvent<E>(e)), this.decider.initialState);
    const decided = this.decider.decide(command, state, await this.contextFor(message));
    if (decided.length === 0) {
      const position = history.length === 0 ? -1 : (history[history.length - 1] as RecordedEvent).position;
      return { streamId, revision: current, position, commandId: meta.commandId, duplicate: false, events: [] };
    }

    const events: NewEvent[] = decided.map((e, i) => ({
      id: eventIdFor(meta.commandId, i),
      type: e.type,
      schemaVersion: this.schemaVersionOf(e.type),
      data: e.data,
      metadata: {
        commandId: meta.commandId,
        correlationId: meta.correlationId,
        causationId: meta.causationId ?? meta.commandId,
        actor: meta.actor,
        businessTime: meta.businessTime,
      },
    }));
    const started = process.hrtime.bigint();
    const result = await this.store.append(streamId, events, {
      expectedRevision: current < 0 ? 'no_stream' : current,
    });
    this.observer.appended(Number(process.hrtime.bigint() - started) / 1e9, result.position);
    const recorded = await this.store.readStream(streamId, { fromRevision: current + 1 });
    const mine = recorded.filter((e) => e.metadata.commandId === meta.commandId);
    return {
      streamId,
      revision: result.nextExpectedRevision,
      position: result.position,
      commandId: meta.commandId,
      duplicate: false,
      events: mine,
    };
  }
}
