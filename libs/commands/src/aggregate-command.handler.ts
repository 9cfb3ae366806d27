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
  DuplicateEventIdError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@ppl/event-store';
import type { PersonalData } from '@ppl/privacy';
import type { CommandObserver } from './command-observer';
import { type AggregateCommand, type CommandOutcome, withEvents } from './command-envelope';
import { eventIdFor } from './event-ids';
import { InputValidationError } from './input-validation.error';

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
 * Keeps recently used streams folded in memory. A fold is a cache, never the record: `load`
 * reads and folds only the events appended since (by anyone: another process writing the same
 * store included), and `cached` hands out the fold as this process last saw it, which may be
 * behind the store. A decision taken on a cached fold is guarded by the append's expected
 * revision (see AggregateCommandHandler).
 */
export class FoldedStreams<E extends DomainEventShape, S> {
  /** Absent when `max` is 0: nothing is kept, every load folds the stream from its start. */
  private readonly cache: LRUCache<string, FoldedStream<S>> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly initialState: S,
    private readonly evolve: (state: S, event: E) => S,
    /** Streams kept at most (least recently used dropped first); 0 keeps none. */
    max: number,
  ) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`streams kept folded: a whole number ≥ 0, got ${max}`);
    this.cache = max > 0 ? new LRUCache({ max }) : undefined;
  }

  /** How many streams are kept folded now. */
  get size(): number {
    return this.cache?.size ?? 0;
  }

  /** The fold as this process last saw it, without asking the store; undefined when not kept. */
  cached(streamId: string): FoldedStream<S> | undefined {
    return this.cache?.get(streamId);
  }

  async load(streamId: string): Promise<FoldedStream<S>> {
    const cached = this.cache?.get(streamId);
    const fresh = await this.store.readStream(streamId, { fromRevision: cached ? cached.revision + 1 : 0 });
    return this.extend(streamId, cached, fresh);
  }

  /**
   * Folds `events` (read from the store: the stream's events right after `base`, in revision
   * order) onto `base` and keeps the result unless a newer fold is kept already.
   */
  extend(streamId: string, base: FoldedStream<S> | undefined, events: readonly RecordedEvent[]): FoldedStream<S> {
    const from = base?.revision ?? -1;
    const next = events.filter((event) => event.revision > from);
    if (next.length === 0) {
      return base ?? { revision: -1, position: -1, state: this.initialState, commands: new Map() };
    }
    if (next[0]?.revision !== from + 1) {
      throw new Error(`Stream ${streamId}: folding revision ${next[0]?.revision} onto revision ${from}`);
    }
    const commands = base?.commands ?? new Map<string, { from: number; to: number }>();
    let state = base?.state ?? this.initialState;
    for (const event of next) {
      state = this.evolve(state, toDomainEvent<E>(event));
      const commandId = event.metadata.commandId;
      if (commandId) {
        const seen = commands.get(commandId);
        commands.set(commandId, { from: seen?.from ?? event.revision, to: event.revision });
      }
    }
    const last = next[next.length - 1] as RecordedEvent;
    return this.keep(streamId, { revision: last.revision, position: last.position, state, commands });
  }

  /**
   * Folds the events this process has just appended (`result`: written, at the revisions right
   * after `base`'s) as the command decided them, and keeps the result unless a newer fold is
   * kept already.
   */
  extendWritten(
    streamId: string,
    base: FoldedStream<S>,
    written: readonly E[],
    commandId: string,
    result: { readonly nextExpectedRevision: number; readonly position: number },
  ): FoldedStream<S> {
    if (result.nextExpectedRevision !== base.revision + written.length) {
      throw new Error(`Stream ${streamId}: ${written.length} event(s) written onto revision ${base.revision} ended at ${result.nextExpectedRevision}`);
    }
    let state = base.state;
    for (const event of written) state = this.evolve(state, event);
    const commands = base.commands;
    commands.set(commandId, { from: base.revision + 1, to: result.nextExpectedRevision });
    return this.keep(streamId, { revision: result.nextExpectedRevision, position: result.position, state, commands });
  }

  private keep(streamId: string, folded: FoldedStream<S>): FoldedStream<S> {
    const current = this.cache?.get(streamId);
    if (!current || current.revision < folded.revision) this.cache?.set(streamId, folded);
    return folded;
  }
}

/** The decision was taken on a fold not read from the store and must be taken again on one that is. */
class StaleFold extends Error {}

/**
 * The one command loop of ARCHITECTURE.md, shared by every aggregate: fold `evolve`, `decide`,
 * append with the revision folded as expected revision. A command id seen before in the stream
 * returns the first result and records nothing. Without a caller's expected revision a
 * concurrent write is retried a bounded number of times; with one, the conflict goes back to
 * the caller.
 *
 * The first attempt decides on the fold this process kept of the stream (FoldedStreams) without
 * reading the store, when it has one: the append's expected revision is then the guard. If
 * anyone wrote the stream since, the append is refused (nothing is stored), the fold is brought
 * up to date from the store and the command is decided again from the start (idempotency and a
 * caller's expected revision checked against the store's stream), not counted as a retry. Only
 * a decision that appends is taken on a kept fold: a refusal, a decision that records nothing,
 * a caller's expected revision the fold does not have, and commands with side effects before
 * the append (`optimistic` false) are decided on the stream as read from the store.
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
    /** Streams of this aggregate type kept folded (AGGREGATE_CACHE_SIZE); 0 keeps none. */
    keptFolds: number,
  ) {
    this.streams = new FoldedStreams<E, S>(store, decider.initialState, (s, e) => decider.evolve(s, e), keptFolds);
  }

  /** The folds this handler keeps (see FoldedStreams). */
  private readonly streams: FoldedStreams<E, S>;

  /** May a decision be taken on the kept fold? False for handlers whose beforeAppend acts on the world. */
  protected readonly optimistic: boolean = true;

  /** What the decision needs from outside its stream (the partnership handler adds the strategy). */
  protected async contextFor(message: AggregateCommand<C>): Promise<DecisionContext> {
    return { actor: message.meta.actor, businessTime: message.meta.businessTime };
  }

  /** Runs after deciding, before appending (the person handler destroys a key here). */
  protected async beforeAppend(_command: C, _events: readonly E[]): Promise<void> {}

  async execute(message: AggregateCommand<C>): Promise<CommandOutcome> {
    let fresh = !this.optimistic;
    for (let attempt = 0; ; ) {
      try {
        return await this.attempt(message, fresh);
      } catch (error) {
        if (!fresh && (error instanceof StaleFold || error instanceof ConcurrencyConflictError)) {
          fresh = true;
          continue;
        }
        const retry =
          error instanceof ConcurrencyConflictError &&
          message.meta.expectedRevision === undefined &&
          attempt < this.conflictRetries;
        if (!retry) throw error;
        attempt++;
      }
    }
  }

  /** `fresh`: fold the stream as the store has it now; otherwise the kept fold, if any, as is. */
  private async attempt(message: AggregateCommand<C>, fresh: boolean): Promise<CommandOutcome> {
    const { command, meta } = message;
    const streamId = streamIdOf(command);
    const kept = fresh ? undefined : this.streams.cached(streamId);
    const verified = kept === undefined;
    const folded = kept ?? (await this.streams.load(streamId));
    const current = folded.revision;

    const already = folded.commands.get(meta.commandId);
    if (already) {
      const events = await this.store.readStream(streamId, { fromRevision: already.from, maxCount: already.to - already.from + 1 });
      const last = events[events.length - 1] as RecordedEvent;
      return { streamId, revision: last.revision, position: last.position, commandId: meta.commandId, duplicate: true, events };
    }
    if (meta.expectedRevision !== undefined && meta.expectedRevision !== current) {
      if (!verified) throw new StaleFold();
      throw new ConcurrencyConflictError(streamId, meta.expectedRevision, current < 0 ? 'no_stream' : current);
    }

    let decided: readonly E[];
    try {
      decided = this.decider.decide(command, folded.state, await this.contextFor(message));
    } catch (error) {
      if (!verified) throw new StaleFold();
      throw error;
    }
    if (decided.length === 0) {
      if (!verified) throw new StaleFold();
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
    const result = await this.store
      .append(streamId, events, { expectedRevision: current < 0 ? 'no_stream' : current })
      .catch((error: unknown) => {
        // The command id's events are stored on another stream: the id named another command.
        if (error instanceof DuplicateEventIdError && error.existing.streamId !== streamId) {
          throw new InputValidationError([
            { path: 'commandId', message: `already names a command recorded on ${error.existing.streamId}: a command id names one command, retried as it was` },
          ]);
        }
        throw error;
      });
    this.observer.appended(Number(process.hrtime.bigint() - started) / 1e9, result.position);
    if (result.alreadyStored === false) {
      // Written now, at the revisions after the fold's: the kept fold goes on with the events as
      // decided (what the store holds is their canonical JSON), so nothing is read back, parsed
      // or validated again; the recorded events are made only if the caller looks at them.
      this.streams.extendWritten(streamId, folded, sealed, meta.commandId, result);
      return withEvents(
        { streamId, revision: result.nextExpectedRevision, position: result.position, commandId: meta.commandId, duplicate: false },
        () => result.recorded ?? [],
      );
    }
    // What was recorded, as the store has it (read back when the store does not say); it also
    // brings the kept fold up to date, so the stream's next command decides without reading.
    const recorded = result.recorded ?? (await this.store.readStream(streamId, { fromRevision: current + 1 }));
    this.streams.extend(streamId, folded, recorded);
    const mine = recorded.filter((e) => e.metadata.commandId === meta.commandId);
    // A store answers an append of events it already holds at exactly these revisions (a retry
    // of this command recorded since the fold was kept, e.g. by another process) with their
    // original result. The SQLite store says so; otherwise the events read back then carry the
    // first attempt's metadata (a retry with the same correlation id and business time as the
    // first attempt is then not told apart: it still records nothing).
    const duplicate =
      result.alreadyStored ??
      mine.some((e) => e.metadata.correlationId !== meta.correlationId || e.metadata.businessTime !== meta.businessTime);
    return {
      streamId,
      revision: result.nextExpectedRevision,
      position: result.position,
      commandId: meta.commandId,
      duplicate,
      events: mine,
    };
  }

  /** The fold this handler keeps of a stream (as it last saw it), if any. */
  keptFold(streamId: string): FoldedStream<S> | undefined {
    return this.streams.cached(streamId);
  }
}
