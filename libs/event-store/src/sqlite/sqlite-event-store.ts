import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ConcurrencyConflictError,
  DuplicateEventIdError,
  EventStoreError,
  EventStoreUnavailableError,
} from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventStore,
  EventSubscription,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { eventHashOfEncoded } from '../hash-chain';
import { prepareAppend, type PreparedAppend, type PreparedEvent } from '../append-validation';
import { bytesToUuid } from '../uuid-bytes';
import { PollingSubscription } from './polling-subscription';
import { prepareConnection, type SqliteDurability } from './schema';

export type { SqliteDurability } from './schema';

export interface SqliteEventStoreOptions {
  /** Database file. Its directory is created if missing. */
  readonly path: string;
  /** See `SqliteDurability`. Default 'full': an acknowledged append survives power loss. */
  readonly durability?: SqliteDurability;
  /** How often a live subscription polls for appends made by other processes. Default 250 ms. */
  readonly pollIntervalMs?: number;
  /** Events a subscription reads (and holds) at a time. Default 500. */
  readonly subscriptionPageSize?: number;
  /** SQLite page cache; sized to keep the event-id index hot. Default 64 MiB. */
  readonly cacheSizeMiB?: number;
  /** How long a write waits for another process holding the write lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Upper bound of appends grouped into one transaction. Default 1000. */
  readonly maxAppendsPerTransaction?: number;
  /** Clock for `recordedAt` (tests). Default the wall clock. */
  readonly now?: () => Date;
}

interface PendingAppend extends PreparedAppend {
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

interface Head {
  readonly position: number;
  readonly hash: string;
}

interface StreamRow {
  readonly last_revision: number;
  readonly last_position: number;
  readonly last_hash: string;
}

interface Step {
  readonly result: AppendResult;
  readonly head: Head;
}

const EVENT_COLUMNS =
  'position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, hash';

/**
 * A row of EVENT_COLUMNS, in their order: reads use better-sqlite3's raw mode (arrays, not objects
 * with named properties, about a quarter cheaper per event on a long read), and an append keeps
 * what it wrote in the same shape.
 */
type RawEventRow = [number, string, number, Buffer, string, number, string, string, string, string];

/** Internal signal: the UNIQUE index on event_id refused an insert. */
class EventIdTaken extends Error {}

/**
 * The embedded event store: one SQLite file in WAL mode (schema and durability: see schema.ts).
 *
 * Appends are serialised and batched. better-sqlite3 is synchronous, so `append` only queues
 * the request; all appends queued in the same turn of the event loop are written by ONE
 * transaction (BEGIN IMMEDIATE, so writers in other processes wait for the lock rather than
 * fail), each inside its own SAVEPOINT with its own checks, applied in call order. A failing
 * append rolls back to its savepoint and rejects alone; the others commit. Every promise settles
 * only after COMMIT returned, so batching weakens no guarantee and amortises the commit (and,
 * with durability 'full', the fsync) over the batch.
 *
 * append semantics are EventStoreDB's:
 * - expectedRevision: a number (the stream's last revision), 'no_stream', 'stream_exists',
 *   'any' (default). A mismatch rejects with ConcurrencyConflictError(stream, expected, actual).
 * - Idempotency: when the expected revision does not match but the stream already holds this
 *   batch's ids exactly at the revisions that expected revision would have given them (for
 *   'any' / 'stream_exists': wherever the batch's first id sits in this stream, followed by the
 *   others), the append is a retry: it stores nothing and returns the original
 *   { nextExpectedRevision, position }. If only part of the batch matches (EventStoreDB's
 *   "corrupted idempotency"), it is a ConcurrencyConflictError, as EventStoreDB's
 *   WrongExpectedVersion.
 * - Stricter than EventStoreDB: event ids are unique store-wide. An id stored anywhere else
 *   (another stream, or this stream with a matching expected revision) rejects with
 *   DuplicateEventIdError instead of being written twice.
 * - An empty batch checks the expected revision and returns the stream's current revision and
 *   position (-1, -1 for a stream that does not exist).
 *
 * readStream of a missing stream returns [] (EventStoreDB's client throws StreamNotFound).
 * Filters: an absent or empty `types` / `streamPrefixes` list does not filter.
 */
export class SqliteEventStore implements EventStore {
  readonly path: string;
  readonly durability: SqliteDurability;
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly maxAppendsPerTransaction: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly filteredStatements = new Map<string, Database.Statement>();

  private readonly selectStream: Database.Statement<[string], StreamRow>;
  private readonly insertStream: Database.Statement<[string, number, number, string]>;
  private readonly updateStream: Database.Statement<[number, number, string, string]>;
  private readonly insertEvent: Database.Statement<
    [number, string, number, Buffer, string, number, string, string, string, string]
  >;
  private readonly selectHead: Database.Statement<[], Head>;
  private readonly selectMaxPosition: Database.Statement<[], { readonly head: number | null }>;
  private readonly selectRevisions: Database.Statement<
    [string, number, number],
    { readonly revision: number; readonly event_id: Buffer; readonly position: number }
  >;
  private readonly selectById: Database.Statement<
    [Buffer],
    { readonly stream_id: string; readonly revision: number; readonly position: number }
  >;
  private readonly readForwards: Database.Statement<[string, number, number], RawEventRow>;
  private readonly readBackwards: Database.Statement<[string, number, number], RawEventRow>;
  private readonly selectOne: Database.Statement<[], unknown>;
  private readonly writeProbe: Database.Transaction<() => unknown>;
  private readonly busyTimeoutMs: number;
  private readonly writeBatch: Database.Transaction<(batch: readonly PendingAppend[]) => Outcome[]>;
  private readonly inSavepoint: Database.Transaction<(write: () => Step) => Step>;
  private readonly inReadTransaction: Database.Transaction<
    (read: () => { events: RecordedEvent[]; scannedTo: number }) => { events: RecordedEvent[]; scannedTo: number }
  >;

  constructor(options: SqliteEventStoreOptions) {
    this.path = resolve(options.path);
    this.durability = options.durability ?? 'full';
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.pageSize = Math.max(1, options.subscriptionPageSize ?? 500);
    this.maxAppendsPerTransaction = Math.max(1, options.maxAppendsPerTransaction ?? 1000);
    this.busyTimeoutMs = Math.trunc(options.busyTimeoutMs ?? 5000);
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      this.db = new Database(this.path);
      prepareConnection(this.db, {
        durability: this.durability,
        cacheSizeMiB: options.cacheSizeMiB ?? 64,
        busyTimeoutMs: this.busyTimeoutMs,
      });
    } catch (error) {
      throw new EventStoreUnavailableError(`Cannot open the event store at ${this.path}: ${describe(error)}`, {
        cause: error,
      });
    }
    const db = this.db;
    this.selectStream = db.prepare(
      'SELECT last_revision, last_position, last_hash FROM streams WHERE stream_id = ?',
    );
    this.insertStream = db.prepare(
      'INSERT INTO streams (stream_id, last_revision, last_position, last_hash) VALUES (?, ?, ?, ?)',
    );
    this.updateStream = db.prepare(
      'UPDATE streams SET last_revision = ?, last_position = ?, last_hash = ? WHERE stream_id = ?',
    );
    this.insertEvent = db.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.selectHead = db.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1');
    this.selectMaxPosition = db.prepare('SELECT max(position) AS head FROM events');
    this.selectRevisions = db.prepare(
      'SELECT revision, event_id, position FROM events WHERE stream_id = ? AND revision BETWEEN ? AND ? ORDER BY revision',
    );
    this.selectById = db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?');
    this.readForwards = db
      .prepare<[string, number, number], RawEventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`)
      .raw(true);
    this.readBackwards = db
      .prepare<[string, number, number], RawEventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
      .raw(true);
    this.selectOne = db.prepare('SELECT 1');
    this.writeProbe = db.transaction(() => this.selectOne.get());
    this.inSavepoint = db.transaction((write: () => Step) => write());
    this.inReadTransaction = db.transaction(
      (read: () => { events: RecordedEvent[]; scannedTo: number }) => read(),
    );
    this.writeBatch = db.transaction((batch: readonly PendingAppend[]) => this.writeInTransaction(batch));
  }

  append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The event store is closed'));
    let pending: PreparedAppend;
    try {
      pending = prepareAppend(streamId, events, options.expectedRevision ?? 'any');
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...pending, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // setImmediate, not a microtask: every append issued before the event loop turns
        // (including by callers resumed from the previous batch's promises) joins the batch.
        setImmediate(this.flush);
      }
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = limitOf(options.maxCount);
    if (limit === 0) return [];
    const rows = this.guard(() =>
      options.direction === 'backwards'
        ? this.readBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.readForwards.all(streamId, options.fromRevision ?? 0, limit),
    );
    return rows.map(fromRawRow);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = limitOf(options.maxCount);
    if (limit === 0) return [];
    return this.guard(() => this.readAfter(options.after ?? 0, limit, options.filter));
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const filter = options.filter;
    const subscription: PollingSubscription = new PollingSubscription(
      {
        readPage: (after, limit) => {
          if (this.closed) return { events: [], scannedTo: after };
          return this.guard(() =>
            this.inReadTransaction(() => {
              const events = this.readAfter(after, limit, filter);
              if (events.length === limit) return { events, scannedTo: events[events.length - 1].position };
              // A short page read everything up to the head of this snapshot. Positions are
              // assigned under the write lock in commit order, so no smaller one can appear later.
              const head = this.selectMaxPosition.get()?.head ?? after;
              return { events, scannedTo: Math.max(after, head) };
            }),
          );
        },
      },
      {
        after: options.after ?? 0,
        pageSize: this.pageSize,
        pollIntervalMs: this.pollIntervalMs,
        onStop: () => this.subscriptions.delete(subscription),
      },
    );
    if (this.closed) void subscription.stop();
    else this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    return this.guard(() => this.selectMaxPosition.get()?.head ?? -1);
  }

  /**
   * Ready to take appends: takes the write lock (BEGIN IMMEDIATE, rolled back at once) with a
   * short busy timeout, so a file another process holds locked, or one that went read-only or
   * away, fails readiness (UNAVAILABLE) instead of only the next append failing.
   */
  async ping(): Promise<void> {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
    this.guard(() => {
      this.db.pragma(`busy_timeout = ${PING_BUSY_TIMEOUT_MS}`);
      try {
        this.writeProbe.immediate();
      } finally {
        this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are written, not dropped.
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.length <= this.maxAppendsPerTransaction
        ? this.queue
        : this.queue.slice(0, this.maxAppendsPerTransaction);
      this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
      let outcomes: Outcome[];
      try {
        outcomes = this.writeBatch.immediate(batch);
      } catch (error) {
        // The transaction rolled back (a lone append's own error, or BEGIN/COMMIT failing).
        const mapped = mapError(error);
        outcomes = batch.map(() => ({ ok: false, error: mapped }));
      }
      let stored = false;
      for (let i = 0; i < batch.length; i++) {
        const outcome = outcomes[i];
        if (outcome.ok) {
          stored = true;
          batch[i].resolve(outcome.result);
        } else {
          batch[i].reject(outcome.error);
        }
      }
      if (stored) for (const subscription of this.subscriptions) subscription.notify();
    }
  };

  private writeInTransaction(batch: readonly PendingAppend[]): Outcome[] {
    let head: Head = this.selectHead.get() ?? { position: 0, hash: '' };
    if (batch.length === 1) {
      // Alone in its transaction: an error rolls the whole transaction back, no savepoint needed.
      const step = this.appendChecked(batch[0], head, false);
      return [{ ok: true, result: step.result }];
    }
    const outcomes: Outcome[] = [];
    for (const request of batch) {
      try {
        const step = this.appendChecked(request, head, true);
        head = step.head;
        outcomes.push({ ok: true, result: step.result });
      } catch (error) {
        // An error SQLite answers by rolling back the whole transaction (disk full, I/O, out of
        // memory) took the batch's earlier appends with it, and the later ones would run outside
        // any transaction: the whole batch fails, nothing of it stored.
        if (!this.db.inTransaction) throw error;
        outcomes.push({ ok: false, error: mapError(error) });
      }
    }
    return outcomes;
  }

  /** Checks, then writes one append; throws its own error. `isolate`: write inside a savepoint. */
  private appendChecked(request: PendingAppend, head: Head, isolate: boolean): Step {
    const { streamId, events, expected } = request;
    const stream = this.selectStream.get(streamId);
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && stream === undefined) ||
      (expected === 'stream_exists' && stream !== undefined) ||
      (typeof expected === 'number' && stream !== undefined && stream.last_revision === expected);
    if (!matches) {
      const retry = typeof expected === 'number' || expected === 'no_stream'
        ? this.storedAt(streamId, events, expected === 'no_stream' ? 0 : expected + 1)
        : undefined;
      if (retry) return { result: retry, head };
      throw new ConcurrencyConflictError(streamId, expected, stream ? stream.last_revision : 'no_stream');
    }
    if (events.length === 0) {
      return {
        result: {
          nextExpectedRevision: stream ? stream.last_revision : -1,
          position: stream ? stream.last_position : -1,
          recorded: [],
        },
        head,
      };
    }
    try {
      const write = (): Step => this.writeEvents(request, stream, head);
      // A single event is one INSERT, atomic by itself; several need a savepoint to undo the
      // first ones if a later one hits a duplicate id, as does any append sharing a transaction.
      return isolate || events.length > 1 ? this.inSavepoint(write) : write();
    } catch (error) {
      if (!(error instanceof EventIdTaken)) throw error;
      return { result: this.explainTakenId(request, stream), head };
    }
  }

  private writeEvents(request: PendingAppend, stream: StreamRow | undefined, head: Head): Step {
    const { streamId, events } = request;
    const recordedAt = this.now().toISOString();
    let revision = stream ? stream.last_revision : -1;
    let streamHash = stream ? stream.last_hash : '';
    let position = head.position;
    let globalHash = head.hash;
    const rows: RawEventRow[] = [];
    for (const event of events) {
      revision++;
      position++;
      const hash = eventHashOfEncoded(
        { id: event.id, streamId, revision, position, type: event.type, schemaVersion: event.schemaVersion, recordedAt },
        event.dataJson,
        event.metadataJson,
        streamHash,
        globalHash,
      );
      try {
        this.insertEvent.run(
          position,
          streamId,
          revision,
          event.idBytes,
          event.type,
          event.schemaVersion,
          event.dataJson,
          event.metadataJson,
          recordedAt,
          hash,
        );
      } catch (error) {
        if (isEventIdViolation(error)) throw new EventIdTaken();
        throw error;
      }
      rows.push([position, streamId, revision, event.idBytes, event.type, event.schemaVersion, event.dataJson, event.metadataJson, recordedAt, hash]);
      streamHash = hash;
      globalHash = hash;
    }
    if (stream) this.updateStream.run(revision, position, streamHash, streamId);
    else this.insertStream.run(streamId, revision, position, streamHash);
    return { result: withRecorded({ nextExpectedRevision: revision, position, alreadyStored: false }, () => rows.map(fromRawRow)), head: { position, hash: globalHash } };
  }

  /** The original result if `events` are stored in `streamId` from `fromRevision` on, in order. */
  private storedAt(streamId: string, events: readonly PreparedEvent[], fromRevision: number): AppendResult | undefined {
    if (events.length === 0) return undefined;
    const rows = this.selectRevisions.all(streamId, fromRevision, fromRevision + events.length - 1);
    if (rows.length !== events.length) return undefined;
    for (let i = 0; i < rows.length; i++) if (!rows[i].event_id.equals(events[i].idBytes)) return undefined;
    const last = rows[rows.length - 1];
    const stored = this.readForwards.all(streamId, fromRevision, events.length);
    return withRecorded({ nextExpectedRevision: last.revision, position: last.position, alreadyStored: true }, () => stored.map(fromRawRow));
  }

  /** An insert hit an id already stored (nothing of this append is written any more). */
  private explainTakenId(request: PendingAppend, stream: StreamRow | undefined): AppendResult {
    const { streamId, events, expected } = request;
    const first = this.selectById.get(events[0].idBytes);
    if (first && first.stream_id === streamId) {
      const retry = this.storedAt(streamId, events, first.revision);
      if (retry && (expected === 'any' || expected === 'stream_exists')) return retry;
      if (!retry) throw new ConcurrencyConflictError(streamId, expected, stream ? stream.last_revision : 'no_stream');
    }
    for (const event of events) {
      const existing = this.selectById.get(event.idBytes);
      if (existing) {
        throw new DuplicateEventIdError(streamId, event.id, {
          streamId: existing.stream_id,
          revision: existing.revision,
        });
      }
    }
    throw new Error(`Stream ${streamId}: an event id was refused as duplicate but none is stored`);
  }

  private readAfter(after: number, limit: number, filter: EventFilter | undefined): RecordedEvent[] {
    const types = filter?.types ?? [];
    const prefixes = filter?.streamPrefixes ?? [];
    const key = `${types.length}/${prefixes.length}`;
    let statement = this.filteredStatements.get(key);
    if (!statement) {
      let where = 'position > ?';
      if (types.length > 0) where += ` AND type IN (${types.map(() => '?').join(', ')})`;
      if (prefixes.length > 0) {
        where += ` AND (${prefixes.map(() => 'substr(stream_id, 1, length(?)) = ?').join(' OR ')})`;
      }
      statement = this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${where} ORDER BY position LIMIT ?`).raw(true);
      this.filteredStatements.set(key, statement);
    }
    const params: unknown[] = [after, ...types];
    for (const prefix of prefixes) params.push(prefix, prefix);
    params.push(limit);
    return (statement.all(...params) as RawEventRow[]).map(fromRawRow);
  }

  private guard<T>(read: () => T): T {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
    try {
      return read();
    } catch (error) {
      throw mapError(error);
    }
  }
}

/**
 * The result of an append with the events it stands for as stored (`recorded`), made into
 * RecordedEvents only when read: writers that do not look at them pay nothing for them.
 */
function withRecorded(result: { nextExpectedRevision: number; position: number; alreadyStored?: boolean }, events: () => RecordedEvent[]): AppendResult {
  let recorded: RecordedEvent[] | undefined;
  return Object.defineProperty({ ...result }, 'recorded', {
    enumerable: true,
    get: () => (recorded ??= events()),
  }) as AppendResult;
}

function fromRawRow(row: RawEventRow): RecordedEvent {
  return {
    id: bytesToUuid(row[3]),
    streamId: row[1],
    revision: row[2],
    position: row[0],
    type: row[4],
    schemaVersion: row[5],
    data: JSON.parse(row[6]) as unknown,
    metadata: JSON.parse(row[7]) as EventMetadata,
    recordedAt: row[8],
    hash: row[9],
  };
}

function limitOf(maxCount: number | undefined): number {
  if (maxCount === undefined || maxCount === Number.POSITIVE_INFINITY) return -1;
  return Math.max(0, Math.trunc(maxCount));
}

/**
 * Duck-typed, not `instanceof`: the native addon keeps the error class of the first copy of
 * better-sqlite3 loaded in the process, and under Jest that copy (and its `Error`) can belong
 * to another test file's context.
 */
function sqliteErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || (error as { name?: unknown }).name !== 'SqliteError') {
    return undefined;
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function isEventIdViolation(error: unknown): boolean {
  return (
    sqliteErrorCode(error) === 'SQLITE_CONSTRAINT_UNIQUE' &&
    String((error as { message?: unknown }).message).includes('events.event_id')
  );
}

/** How long readiness waits for the write lock before it reports the store unavailable. */
const PING_BUSY_TIMEOUT_MS = 250;

const UNAVAILABLE_CODES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_PROTOCOL',
  'SQLITE_PERM',
];

function mapError(error: unknown): unknown {
  if (error instanceof EventStoreError) return error;
  const code = sqliteErrorCode(error);
  if (code !== undefined && UNAVAILABLE_CODES.some((prefix) => code.startsWith(prefix))) {
    return new EventStoreUnavailableError(`SQLite event store unavailable: ${describe(error)}`, { cause: error });
  }
  if (/database connection is not open/i.test(describe(error))) {
    return new EventStoreUnavailableError('The event store is closed', { cause: error });
  }
  return error;
}

function describe(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
