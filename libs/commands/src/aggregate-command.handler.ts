import type { ICommandHandler } from '@nestjs/cqrs';
import { LRUCache } from 'lru-cache';
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
import type { PersonalData } from '@ppl/privacy';
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

/** A stream folded up to a revision, with where each command id landed in it. */
export interface FoldedStream<S> {
  readonly revision: number;
  readonly position: number;
  readonly state: S;
  /** Command id → the revisions of its events; shared and only ever added to. */
  readonly commands: Map<string, { readonly from: number; readonly to: number }>;
}

/**
 * Keeps recently used streams folded in memory so a command reads and folds only the events
 * appended since (by anyone: another process writing the same store included). The store stays
 * the source of truth: every command still reads the stream's tail before deciding.
 */
export class FoldedStreams<E extends DomainEventShape, S> {
  private readonly cache: LRUCache<string, FoldedStream<S>>;

  constructor(
    private readonly store: EventStore,
    private readonly initialState: S,
    private readonly evolve: (state: S, event: E) => S,
    max = 5000,
  ) {
    this.cache = new LRUCache({ max });
  }

  async load(streamId: string): Promise<FoldedStream<S>> {
    const cached = this.cache.get(streamId);
    const fresh = await this.store.readStream(streamId, { fromRevision: cached ? cached.revision + 1 : 0 });
    if (fresh.length === 0) {
      return cached ?? { revision: -1, position: -1, state: this.initialState, commands: new Map() };
    }
    const commands = cached?.commands ?? new Map<string, { from: number; to: number }>();
    let state = cached?.state ?? this.initialState;
    for (const event of fresh) {
      state = this.evolve(state, toDomainEvent<E>(event));
      const commandId = event.metadata.commandId;
      if (commandId) {
        const seen = commands.get(commandId);
        commands.set(commandId, { from: seen?.from ?? event.revision, to: event.revision });
      }
    }
    const last = fresh[fresh.length - 1] as RecordedEvent;
    const folded: FoldedStream<S> = { revision: last.revision, position: last.position, state, commands };
    const current = this.cache.get(streamId);
    if (!current || current.revision < folded.revision) this.cache.set(streamId, folded);
    return folded;
  }
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
    protected readonly personalData: PersonalData,
  ) {
    this.streams = new FoldedStreams<E, S>(store, decider.initialState, (s, e) => decider.evolve(s, e));
  }

  private readonly streams: FoldedStreams<E, S>;

  /** What the decision needs from outside its stream (the partnership handler adds the strategy). */
  protected async contextFor(message: AggregateCommand<C>): Promise<DecisionContext> {
    return { actor: message.meta.actor, businessTime: message.meta.businessTime };
  }

  /** Runs after deciding, before appending (the person handler destroys a key here). */
  protected async beforeAppend(_command: C, _events: readonly E[]): Promise<void> {}

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
    const folded = await this.streams.load(streamId);
    const current = folded.revision;

    const already = folded.commands.get(meta.commandId);
    if (already) {
      const events = await this.store.readStream(streamId, { fromRevision: already.from, maxCount: already.to - already.from + 1 });
      const last = events[events.length - 1] as RecordedEvent;
      return { streamId, revision: last.revision, position: last.position, commandId: meta.commandId, duplicate: true, events };
    }
    if (meta.expectedRevision !== undefined && meta.expectedRevision !== current) {
      throw new ConcurrencyConflictError(streamId, meta.expectedRevision, current < 0 ? 'no_stream' : current);
    }

    const decided = this.decider.decide(command, folded.state, await this.contextFor(message));
    if (decided.length === 0) {
      return { streamId, revision: current, position: folded.position, commandId: meta.commandId, duplicate: false, events: [] };
    }

    // Personal fields are sealed with their person's key before anything is stored: the store,
    // the read model and snapshots only ever hold the sealed values (which the hashes cover).
    const sealed = await this.personalData.sealEvents(decided, folded.state, (s, e) => this.decider.evolve(s, e));
    await this.beforeAppend(command, sealed);
    const events: NewEvent[] = sealed.map((e, i) => ({
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
