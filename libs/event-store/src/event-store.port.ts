/**
 * The EventStore port. Semantics follow EventStoreDB's so that the embedded SQLite adapter and
 * the EventStoreDB adapter are interchangeable behind it (one contract suite proves it).
 *
 * Revisions are 0-based per stream. Positions are the store's one total order over all streams:
 * strictly increasing, not necessarily contiguous (EventStoreDB's are log offsets). The SQLite
 * adapter's start at 1, so `after: 0` and `after: -1` both mean "from the first event".
 *
 * Errors (errors.ts): ConcurrencyConflictError (expected revision not met, or a retried batch
 * only partly matching what is stored), InvalidAppendError (malformed append, nothing stored),
 * DuplicateEventIdError (SQLite only: ids are unique store-wide), EventStoreUnavailableError.
 */

/** Who caused an event: the authenticated subject, its role and organisation. */
export interface Actor {
  readonly id: string;
  readonly role?: string;
  readonly organisationId?: string;
}

export interface EventMetadata {
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: Actor;
  /** ISO-8601 business time supplied with the command (never the wall clock inside the domain). */
  readonly businessTime?: string;
  readonly [key: string]: unknown;
}

/** An event as handed to `append`. */
export interface NewEvent {
  /** UUID. Derived deterministically from the command id so a retried command records nothing twice. */
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

/** An event as stored: the envelope of ARCHITECTURE.md. */
export interface RecordedEvent extends NewEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  /** ISO-8601 time the store recorded it. */
  readonly recordedAt: string;
  /** Tamper evidence: hash chaining this event to the previous of its stream and of the global order. */
  readonly hash?: string;
}

/** A number is the exact revision of the stream's last event (-1 is not used: say `no_stream`). */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event now in the stream (what to pass as expectedRevision next time). */
  readonly nextExpectedRevision: number;
  /** Global position of the last event appended. */
  readonly position: number;
  /**
   * The events this result stands for, as stored (what readStream returns for them), when the
   * adapter has them at hand without reading: the SQLite store sets it, EventStoreDB does not.
   */
  readonly recorded?: readonly RecordedEvent[];
  /**
   * True when nothing was written because the store already held exactly these events (an
   * idempotent retry answered with the first attempt's result), false when these events were
   * written now; the SQLite store sets it, EventStoreDB's append result does not say (undefined).
   */
  readonly alreadyStored?: boolean;
}

export interface ReadStreamOptions {
  /** Inclusive. Default: 0 forwards, the last revision backwards. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
  readonly direction?: 'forwards' | 'backwards';
}

/** An absent or empty list does not filter. Both lists given: an event must match both. */
export interface EventFilter {
  /** Only these event types. */
  readonly types?: readonly string[];
  /** Only streams whose id starts with one of these prefixes (e.g. `partnership-`). */
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit to read from the start. */
  readonly after?: number;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive: catch up from just after this position. Omit to start from the beginning. */
  readonly after?: number;
  readonly filter?: EventFilter;
}

/** Catch-up then live, in global order, with no gap and no duplicate at the switch. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration cleanly; pending `next()` calls resolve with `done`. */
  stop(): Promise<void>;
}

export interface EventStore {
  /**
   * EventStoreDB semantics: `expectedRevision` defaults to 'any'; a retry of an already stored
   * batch (same ids at the revisions the expected revision gives them) stores nothing and
   * returns the original result. Resolves only once the events are durable.
   */
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** A stream that does not exist reads as []. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  /** Position of the newest event in the store; -1 when the store is empty. */
  headPosition(): Promise<number>;
  /** Cheap liveness probe for `/health/ready`; throws EventStoreUnavailableError when unusable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** DI token for the configured EventStore. */
export const EVENT_STORE = Symbol.for('ppl.EventStore');
