import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  eventTypeFilter,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { prepareAppend, type PreparedAppend } from '../append-validation';
import { ConcurrencyConflictError, EventStoreError, EventStoreUnavailableError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { eventHashOfEncoded } from '../hash-chain';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`. */
  readonly connectionString: string;
  /** Events a subscription buffers ahead of its consumer (Readable highWaterMark). Default 256. */
  readonly subscriptionBuffer?: number;
}

/** Where the envelope fields EventStoreDB has no place for live: a key of the event's metadata. */
export const ENVELOPE_KEY = '$ppl';

interface Envelope {
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly hash: string;
  readonly prevStreamHash: string;
}

/**
 * The EventStore port on EventStoreDB / KurrentDB (gRPC client @eventstore/db-client 6).
 *
 * - Positions: the port's number is the event's COMMIT position in the transaction log
 *   (`Number(position.commit)`, exact below 2^53 bytes of log). Reading or subscribing after a
 *   position p uses `{ commit: BigInt(p), prepare: BigInt(p) }`: on servers >= 20.6 an event's
 *   commit and prepare positions are equal, so that is the event's own position; the adapter
 *   also drops anything at or before p, making `after` exclusive whatever the server does.
 * - Envelope: `metadata` of the EventStoreDB event is the port's metadata plus one key,
 *   `$ppl: { schemaVersion, recordedAt, hash, prevStreamHash }`, removed again on reading. The
 *   port's correlationId / causationId are also written as EventStoreDB's own `$correlationId` /
 *   `$causationId` (its system projections use them) and removed on reading. `recordedAt` is
 *   the writer's clock at append (the hash must be computed before the write).
 * - Hash chain: `eventHash` with position -1 (the server assigns positions after the write) and
 *   prevGlobalHash '' (a global link would need a read of $all before every append and would
 *   still race with other writers). prevStreamHash is exact when the append names a revision or
 *   'no_stream' (the server's check guarantees nothing came in between: the stream's last
 *   event is read before each append); with 'any' or 'stream_exists' it is the last event read
 *   just before the append (best effort). This process sends a stream's appends one at a time. Verify with
 *   `new HashChainVerifier({ positionsHashed: false, globalChain: false })`.
 * - Errors: WrongExpectedVersionError -> ConcurrencyConflictError; unavailable, deadline,
 *   timeout, not-leader, cancelled -> EventStoreUnavailableError. Idempotency is the server's
 *   (by event id, for retries at the same expected revision); store-wide unique ids are not
 *   enforced (no DuplicateEventIdError here).
 * - readAll / subscribeToAll exclude system events (`$`-prefixed types or streams). Subscriptions
 *   are the client's catch-up subscriptions to $all, filtered server-side (stream prefixes, or an
 *   exact-type regex when only types are given) and checked again client-side.
 * - readStream of a missing or deleted stream returns [].
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptionBuffer: number;
  private readonly subscriptions = new Set<EsdbSubscription>();
  /**
   * The append in flight per stream, so this process sends a stream's appends one at a time: an
   * identical append sent while the first is not yet indexed is dropped by the server
   * (IdempotentNotReady) and would wait out the client's deadline instead of being recognised.
   */
  private readonly appending = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(options: EventStoreDbEventStoreOptions) {
    try {
      this.client = EventStoreDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw new EventStoreUnavailableError(`Invalid EventStoreDB connection string: ${describe(error)}`, { cause: error });
    }
    this.subscriptionBuffer = options.subscriptionBuffer ?? 256;
  }

  append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const before = this.appending.get(streamId) ?? Promise.resolve();
    const result = before.then(() => this.appendNow(streamId, events, options));
    const settled = result.catch(() => undefined);
    this.appending.set(streamId, settled);
    void settled.then(() => {
      if (this.appending.get(streamId) === settled) this.appending.delete(streamId);
    });
    return result;
  }

  private async appendNow(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const prepared = prepareAppend(streamId, events, options.expectedRevision ?? 'any');
    try {
      if (prepared.events.length === 0) return await this.checkOnly(prepared);
      const previous = await this.previousOf(prepared);
      const recordedAt = new Date().toISOString();
      let streamHash = previous.hash;
      let revision = previous.revision;
      const data: EventData[] = prepared.events.map((event) => {
        revision++;
        const hash = eventHashOfEncoded(
          { id: event.id, streamId, revision, position: -1, type: event.type, schemaVersion: event.schemaVersion, recordedAt },
          event.dataJson,
          event.metadataJson,
          streamHash,
          '',
        );
        const envelope: Envelope = { schemaVersion: event.schemaVersion, recordedAt, hash, prevStreamHash: streamHash };
        streamHash = hash;
        return {
          id: event.id,
          contentType: 'application/json',
          type: event.type,
          // JSON.stringify'd by the client; any JSON value, not only the objects its types name.
          data: event.data as JSONType,
          metadata: toEsdbMetadata(event.metadata, envelope),
        };
      });
      const result = await this.client.appendToStream(streamId, data, {
        expectedRevision: toEsdbExpected(prepared.expected),
      });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // The hashes computed here are not remembered for the next append: the server answers an
      // idempotent retry as it answers a write, and a retry's hashes (another recordedAt) are not
      // the ones stored. The next append reads the stream's last event instead.
      if (result.position) return { nextExpectedRevision, position: Number(result.position.commit) };
      // An idempotent retry: the server does not say where the original events are.
      return { nextExpectedRevision, position: await this.positionOf(streamId, nextExpectedRevision) };
    } catch (error) {
      throw mapError(error, prepared.streamId, prepared.expected);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        const event = resolved.event;
        if (event) events.push(toRecordedEvent(event));
      }
    } catch (error) {
      if (isErrorType(error, 'stream-not-found') || isErrorType(error, 'stream-deleted')) return [];
      throw mapError(error);
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return [];
    const after = options.after;
    const matches = matcher(options.filter);
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readAll({ direction: FORWARDS, fromPosition: fromPosition(after) });
      try {
        for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
          const event = resolved.event;
          if (!event || isSystem(event) || (after !== undefined && Number(event.position.commit) <= after)) continue;
          if (!matches(event.streamId, event.type)) continue;
          events.push(toRecordedEvent(event));
          if (events.length >= limit) break;
        }
      } finally {
        await read.cancel().catch(() => undefined);
      }
    } catch (error) {
      throw mapError(error);
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    this.assertOpen();
    const subscription: EsdbSubscription = new EsdbSubscription(
      this.client.subscribeToAll(
        { fromPosition: fromPosition(options.after), filter: serverFilter(options.filter) },
        { highWaterMark: this.subscriptionBuffer },
      ),
      options.after,
      matcher(options.filter),
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    try {
      // The newest event readAll returns: system events ($-streams, links, stats) do not count.
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
      try {
        for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
          if (resolved.event && !isSystem(resolved.event)) return Number(resolved.event.position.commit);
        }
      } finally {
        await read.cancel().catch(() => undefined);
      }
      return -1;
    } catch (error) {
      throw mapError(error);
    }
  }

  async ping(): Promise<void> {
    await this.headPosition();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  /** The stream's last revision and hash before this append (-1, '' for none). */
  private async previousOf(append: PreparedAppend): Promise<{ revision: number; hash: string }> {
    const expected = append.expected;
    if (expected === 'no_stream') return { revision: -1, hash: '' };
    const [last] = await this.readStream(append.streamId, { direction: 'backwards', maxCount: 1 });
    if (typeof expected === 'number' && last?.revision !== expected) {
      // The server will refuse it or recognise a retry; what we hash is not stored either way.
      return { revision: expected, hash: '' };
    }
    return last ? { revision: last.revision, hash: last.hash ?? '' } : { revision: -1, hash: '' };
  }

  private async checkOnly(append: PreparedAppend): Promise<AppendResult> {
    const [last] = await this.readStream(append.streamId, { direction: 'backwards', maxCount: 1 });
    const actual = last ? last.revision : 'no_stream';
    const expected = append.expected;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && !last) ||
      (expected === 'stream_exists' && last !== undefined) ||
      expected === actual;
    if (!ok) throw new ConcurrencyConflictError(append.streamId, expected, actual);
    return { nextExpectedRevision: last ? last.revision : -1, position: last ? last.position : -1 };
  }

  private async positionOf(streamId: string, revision: number): Promise<number> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return event ? event.position : -1;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
  }
}

/** The client's catch-up subscription, filtered again and made exclusive of `after`. */
class EsdbSubscription implements EventSubscription, AsyncIterator<RecordedEvent> {
  private readonly iterator: AsyncIterator<AllStreamResolvedEvent>;
  private stopped = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly subscription: AllStreamSubscription,
    private readonly after: number | undefined,
    private readonly matches: (streamId: string, type: string) => boolean,
    private readonly onStop: () => void,
  ) {
    this.iterator = (subscription as AsyncIterable<AllStreamResolvedEvent>)[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<RecordedEvent>> {
    await this.stop();
    return { value: undefined, done: true };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop();
    await this.subscription.unsubscribe().catch(() => undefined);
  }

  private async pull(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.stopped) return { value: undefined, done: true };
      let next: IteratorResult<AllStreamResolvedEvent>;
      try {
        next = await this.iterator.next();
      } catch (error) {
        if (this.stopped) return { value: undefined, done: true };
        throw mapError(error);
      }
      if (this.stopped) return { value: undefined, done: true };
      // Ended without stop(): the server or the connection closed it. The consumer resumes from
      // its own position (the projection runner retries), rather than waiting on nothing.
      if (next.done) throw new EventStoreUnavailableError('EventStoreDB ended the subscription');
      const event = next.value.event;
      if (!event || isSystem(event)) continue;
      if (this.after !== undefined && Number(event.position.commit) <= this.after) continue;
      if (!this.matches(event.streamId, event.type)) continue;
      return { value: toRecordedEvent(event), done: false };
    }
  }
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

function fromPosition(after: number | undefined): ReadPosition {
  if (after === undefined || after < 0) return START;
  const position: Position = { commit: BigInt(after), prepare: BigInt(after) };
  return position;
}

function serverFilter(filter: EventFilter | undefined): Filter {
  const prefixes = filter?.streamPrefixes ?? [];
  const types = filter?.types ?? [];
  if (prefixes.length > 0) return streamNameFilter({ prefixes: [...prefixes] });
  if (types.length > 0) return eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}

function matcher(filter: EventFilter | undefined): (streamId: string, type: string) => boolean {
  const types = filter?.types?.length ? new Set(filter.types) : undefined;
  const prefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : undefined;
  return (streamId, type) =>
    (!types || types.has(type)) && (!prefixes || prefixes.some((prefix) => streamId.startsWith(prefix)));
}

function isSystem(event: { readonly streamId: string; readonly type: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toEsdbMetadata(metadata: EventMetadata, envelope: Envelope): JSONType {
  const out: Record<string, unknown> = { ...metadata, [ENVELOPE_KEY]: envelope };
  if (typeof metadata.correlationId === 'string') out.$correlationId = metadata.correlationId;
  if (typeof metadata.causationId === 'string') out.$causationId = metadata.causationId;
  return out;
}

type EsdbRecorded = NonNullable<ResolvedEvent['event']> | AllStreamRecordedEvent;

function toRecordedEvent(event: EsdbRecorded): RecordedEvent {
  const raw = (event.metadata && typeof event.metadata === 'object' && !(event.metadata instanceof Uint8Array)
    ? event.metadata
    : {}) as Record<string, unknown>;
  const { [ENVELOPE_KEY]: envelopeValue, $correlationId: _correlation, $causationId: _causation, ...metadata } = raw;
  const envelope = (envelopeValue ?? {}) as Partial<Envelope>;
  const data = event.isJson ? event.data : Buffer.from(event.data as Uint8Array).toString('base64');
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: event.position ? Number(event.position.commit) : -1,
    type: event.type,
    schemaVersion: typeof envelope.schemaVersion === 'number' ? envelope.schemaVersion : 1,
    data,
    metadata: metadata as EventMetadata,
    recordedAt: typeof envelope.recordedAt === 'string' ? envelope.recordedAt : event.created.toISOString(),
    ...(typeof envelope.hash === 'string' ? { hash: envelope.hash } : {}),
  };
}

function isErrorType(error: unknown, type: string): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}

const UNAVAILABLE_TYPES = ['unavailable', 'deadline-exceeded', 'timeout', 'not-leader', 'cancelled'];

export function mapError(error: unknown, streamId?: string, expected?: ExpectedRevision): unknown {
  if (error instanceof EventStoreError) return error;
  if (isErrorType(error, 'wrong-expected-version') && streamId !== undefined && expected !== undefined) {
    const actual = (error as { actualVersion?: unknown }).actualVersion;
    return new ConcurrencyConflictError(
      streamId,
      expected,
      typeof actual === 'bigint' ? Number(actual) : actual === NO_STREAM || actual === undefined ? 'no_stream' : Number(actual),
    );
  }
  const type = (error as { type?: unknown } | undefined)?.type;
  const grpcCode = (error as { code?: unknown } | undefined)?.code;
  // A connection reset under a stream (a server restart) surfaces as INTERNAL with RST_STREAM.
  const reset = grpcCode === 13 && /RST_STREAM/.test(describe(error));
  if ((typeof type === 'string' && UNAVAILABLE_TYPES.includes(type)) || grpcCode === 14 || reset) {
    return new EventStoreUnavailableError(`EventStoreDB unavailable: ${describe(error)}`, { cause: error });
  }
  return error;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
