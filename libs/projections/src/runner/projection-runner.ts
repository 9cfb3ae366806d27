import { EventStoreUnavailableError, type EventFilter, type EventStore, type EventSubscription, type RecordedEvent } from '@ppl/event-store';
import {
  CheckpointConflictError,
  NO_CHECKPOINT,
  ReadModelUnavailableError,
  SchemaRegistry,
  type ReadModelStore,
  type RebuildWriter,
} from '@ppl/read-model';
import {
  ProjectionApplyError,
  ProjectionFailedError,
  ProjectionLaggingError,
  RebuildInterruptedError,
  UnknownProjectionError,
  type LaggingProjection,
} from './errors';
import { EventBatch, type BatchTarget } from './event-batch';
import type { Projection } from './projection';
import { RateMeter } from './rate-meter';

export type ProjectionState =
  /** Registered, not started (or stopped). */
  | 'STOPPED'
  /** Reading events that were already in the store. */
  | 'CATCHING_UP'
  /** Caught up: waiting for new events. */
  | 'LIVE'
  /** The stored copy was built by another version; a shadow copy is being built. */
  | 'REBUILDING'
  /**
   * A store it reads or writes was unavailable (`error` says which): it tries again from its
   * checkpoint, after 0.5 s, then twice as long each time up to `retryMaxMs`.
   */
  | 'RETRYING'
  /** Its own code failed on an event (`error` names it): stays stopped until restarted. */
  | 'FAILED';

const STATES: Record<ProjectionState, true> = { STOPPED: true, CATCHING_UP: true, LIVE: true, REBUILDING: true, RETRYING: true, FAILED: true };
/** Every ProjectionState (e.g. to publish one gauge per state). */
export const PROJECTION_STATES = Object.keys(STATES) as readonly ProjectionState[];

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly state: ProjectionState;
  /** Everything up to this global position is reflected in what queries read. */
  readonly position: number;
  /** Newest position in the event store (when this status was taken). */
  readonly head: number;
  /** head − position (≥ 0). */
  readonly lag: number;
  /** Events applied per second over the last 10 s. */
  readonly eventsPerSecond: number;
  readonly error?: { readonly message: string; readonly code?: string };
  /** Present while a rebuild of this projection runs. */
  readonly rebuild?: RebuildProgress;
}

export interface RebuildProgress {
  readonly projection: string;
  readonly generation: number;
  readonly phase: 'replaying' | 'swapping' | 'done';
  /** Global position replayed so far (read and applied, or about to be at the next commit; see `committed`). */
  readonly position: number;
  /** Shadow checkpoint: what is committed, where a resume would continue (≤ position). */
  readonly committed: number;
  /** Event store head; positions approximate event counts (`total≈head`). */
  readonly head: number;
  /** Events replayed by this run, up to `position` (a resumed run starts counting at its resume point). */
  readonly processed: number;
  /** position / head, 0..1. */
  readonly ratio: number;
  readonly eventsPerSecond: number;
  /** Estimated seconds to reach the head at the current pace; undefined before any progress. */
  readonly etaSeconds?: number;
}

export interface RebuildOptions {
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Events read per page. Default 2000 (a page is dropped once folded: small pages die young). */
  readonly batchSize?: number;
  /**
   * A projection without `startFold` holds the pages read for it in memory (about 1 KB per event)
   * and applies and commits them together (changes and checkpoint) once it holds this many
   * events: a document touched by every page is derived and written once per commit, not once
   * per page. Default 200000 (at least `batchSize`).
   */
  readonly commitEvery?: number;
  /**
   * A projection with `startFold` folds each page as it is read and commits once its fold holds
   * this many documents (memory grows with the documents touched, not with the events read).
   * Default 250000 (the portfolio of 10,000 partnerships with 160,000 escalations: about 1 GB).
   */
  readonly foldLimit?: number;
  /** Most time between two commits of a projection's replay. Default 60000 ms. */
  readonly commitIntervalMs?: number;
  /** Minimum time between two onProgress calls (the last one always comes). Default 250 ms. */
  readonly progressIntervalMs?: number;
  /** Abort: after the current page, the rebuild applies and commits what it has read, then stops, keeping its shadow for a resume. */
  readonly signal?: AbortSignal;
  /** Discard an interrupted shadow instead of resuming it. */
  readonly fresh?: boolean;
}

export interface RebuildResult {
  readonly projection: string;
  readonly generation: number;
  readonly version: number;
  readonly resumed: boolean;
  readonly fromPosition: number;
  readonly position: number;
  readonly processed: number;
  readonly durationMs: number;
  /** Time spent on this projection alone: applying its events and committing its changes. */
  readonly busyMs: number;
}

export interface ProjectionRunnerOptions {
  /** Most events in one commit once live. Default 500 (a batch also ends when no event is ready). */
  readonly batchSize?: number;
  /** Most events in one commit while catching up (start, restart). Default: `batchSize` when given, else 5000. */
  readonly catchUpBatchSize?: number;
  /** waitFor's default timeout. Default 5000 ms. */
  readonly defaultWaitMs?: number;
  /** Rebuild a projection whose stored copy has another version on start(). Default true. */
  readonly rebuildOnVersionChange?: boolean;
  /** Longest wait between two tries while a store is unavailable (RETRYING). Default 30,000 ms. */
  readonly retryMaxMs?: number;
  readonly logger?: { error(message: string, error?: unknown): void; info?(message: string): void };
}

const RETRY_FIRST_MS = 500;

/**
 * Is this the event store or the read model being unavailable (or closed), here or as the cause
 * of a failed apply (a projection's `view.get`)? Those pass; the projection's own errors do not.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof EventStoreUnavailableError || e instanceof ReadModelUnavailableError) return true;
  }
  return false;
}

const IDLE = Symbol('idle');
const nextMacrotask = (): Promise<typeof IDLE> =>
  new Promise((resolve) => setImmediate(() => resolve(IDLE)));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves after `ms`, or at once when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
const afterOption = (checkpoint: number): number | undefined =>
  checkpoint === NO_CHECKPOINT ? undefined : checkpoint;

/** One projection's live loop: subscription → batches → commits. */
class Worker {
  state: ProjectionState = 'STOPPED';
  checkpoint = NO_CHECKPOINT;
  /** Everything up to here is known to be reflected (no matching event between checkpoint and it). */
  verifiedUpTo = NO_CHECKPOINT;
  error: Error | undefined;
  rebuild: RebuildProgress | undefined;
  readonly rate = new RateMeter();
  private subscription: EventSubscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private abort = new AbortController();
  private pulseResolve!: () => void;
  pulse!: Promise<void>;

  constructor(
    readonly projection: Projection,
    readonly registry: SchemaRegistry,
    private readonly runner: ProjectionRunner,
  ) {
    this.newPulse();
  }

  get position(): number {
    return Math.max(this.checkpoint, this.verifiedUpTo);
  }

  /** Wake waitFor() callers: something changed. */
  signal(): void {
    this.pulseResolve();
    this.newPulse();
  }

  private newPulse(): void {
    this.pulse = new Promise((resolve) => (this.pulseResolve = resolve));
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.abort = new AbortController();
    this.error = undefined;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      this.signal();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.subscription?.stop();
    await this.loop;
    if (this.state !== 'FAILED') this.state = 'STOPPED';
  }

  fail(error: unknown): void {
    this.state = 'FAILED';
    this.error = error instanceof Error ? error : new Error(String(error));
    this.runner.logger?.error(
      `Projection ${this.projection.name} FAILED: ${this.error.message}`,
      error,
    );
    this.signal();
  }

  private async run(): Promise<void> {
    try {
      const stored = await this.runner.readModel.describe(this.projection.name);
      if (
        stored.active &&
        stored.active.version !== this.projection.version &&
        this.runner.rebuildOnVersionChange
      ) {
        this.state = 'REBUILDING';
        this.signal();
        await replayIntoShadow(this.runner, [this], { signal: this.abort.signal });
        if (this.stopping) return;
      }
      let delay = RETRY_FIRST_MS;
      while (!this.stopping) {
        const from = this.checkpoint;
        try {
          await this.follow();
          return;
        } catch (error) {
          // Another writer or a swap moved the checkpoint: start again from what is stored.
          if (error instanceof CheckpointConflictError) continue;
          if (!isStoreUnavailable(error)) throw error;
          // The stores closing under a stop is no failure.
          if (this.stopping) return;
          // A store is down: what was committed stands, nothing after it was; try again from there.
          if (this.checkpoint !== from) delay = RETRY_FIRST_MS;
          this.state = 'RETRYING';
          this.error = error as Error;
          this.signal();
          this.runner.logger?.info?.(`Projection ${this.projection.name}: ${(error as Error).message}; trying again in ${delay} ms`);
          await pause(delay, this.abort.signal);
          delay = Math.min(delay * 2, this.runner.retryMaxMs);
        }
      }
    } catch (error) {
      if (!(this.stopping && error instanceof RebuildInterruptedError)) this.fail(error);
    }
  }

  private async follow(): Promise<void> {
    const { eventStore, readModel, batchSize, catchUpBatchSize } = this.runner;
    const name = this.projection.name;
    this.checkpoint = await readModel.getCheckpoint(name);
    this.verifiedUpTo = NO_CHECKPOINT;
    const target: BatchTarget = {
      get: (collection, id) => readModel.get(collection, id),
      find: (collection, query) => readModel.find(collection, query),
      commit: (changes, checkpoint, options) =>
        readModel.commit(name, changes, checkpoint, options),
    };
    const batch = new EventBatch(
      this.projection,
      this.registry,
      target,
      this.checkpoint,
      (checkpoint, events) => {
        this.checkpoint = checkpoint;
        this.error = undefined;
        this.rate.record(events);
        this.signal();
      },
    );
    this.state = 'CATCHING_UP';
    this.signal();
    const subscription = eventStore.subscribeToAll({
      after: afterOption(this.checkpoint),
      filter: this.projection.filter,
    });
    this.subscription = subscription;
    if (this.stopping) await subscription.stop();
    const events = subscription[Symbol.asyncIterator]();
    // Events that were ready together are applied together (applyAll: a projection with
    // applyBatch derives each touched document once per group), then committed.
    let ready: RecordedEvent[] = [];
    const commitReady = async (): Promise<void> => {
      const group = ready;
      ready = [];
      try {
        await batch.applyAll(group);
      } catch (error) {
        // Keep what the events before the failing one did; then stop on it.
        await batch.flush();
        throw error;
      }
      await batch.flush();
    };
    try {
      for (;;) {
        const next = events.next();
        let result: IteratorResult<RecordedEvent>;
        // Commit what we have as soon as the next event is not ready right now.
        const first = await Promise.race([next, nextMacrotask()]);
        if (first === IDLE) {
          await commitReady();
          this.state = 'LIVE';
          this.error = undefined;
          this.signal();
          result = await next;
        } else {
          result = first;
        }
        if (result.done) break;
        ready.push(result.value);
        // Small commits once live (latency), large ones while catching up (throughput).
        if (ready.length >= (this.state === 'LIVE' ? batchSize : catchUpBatchSize)) await commitReady();
      }
      await commitReady();
    } finally {
      this.subscription = undefined;
      await subscription.stop();
    }
  }
}

/**
 * Feeds registered projections from the event store's global stream, each from its own
 * checkpoint, committing changes and checkpoint together (see ReadModelStore.commit): a crash
 * at any point neither skips nor double-applies an event. Events at or below the checkpoint
 * that a subscription delivers again are ignored.
 */
export class ProjectionRunner {
  readonly batchSize: number;
  readonly catchUpBatchSize: number;
  readonly rebuildOnVersionChange: boolean;
  readonly logger: ProjectionRunnerOptions['logger'];
  readonly retryMaxMs: number;
  private readonly defaultWaitMs: number;
  private readonly workers = new Map<string, Worker>();
  private started = false;

  constructor(
    readonly eventStore: EventStore,
    readonly readModel: ReadModelStore,
    projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.catchUpBatchSize = Math.max(this.batchSize, options.catchUpBatchSize ?? options.batchSize ?? 5_000);
    this.defaultWaitMs = options.defaultWaitMs ?? 5_000;
    this.rebuildOnVersionChange = options.rebuildOnVersionChange ?? true;
    this.logger = options.logger;
    this.retryMaxMs = Math.max(RETRY_FIRST_MS, options.retryMaxMs ?? 30_000);
    const registry = new SchemaRegistry();
    for (const projection of projections) {
      if (this.workers.has(projection.name))
        throw new Error(`Projection ${projection.name} registered twice`);
      registry.register(projection);
      this.workers.set(projection.name, new Worker(projection, registry, this));
    }
  }

  get projections(): Projection[] {
    return [...this.workers.values()].map((w) => w.projection);
  }

  /** Registers the projections' collections with the store and starts every projection. */
  async start(): Promise<void> {
    for (const worker of this.workers.values())
      await this.readModel.registerProjection(worker.projection);
    this.started = true;
    for (const worker of this.workers.values()) worker.start();
  }

  /** Stops every projection after committing what it has applied. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }

  /** Restart one projection (e.g. after FAILED, once the cause is fixed). */
  async restart(name: string): Promise<void> {
    const worker = this.worker(name);
    await worker.stop();
    await this.readModel.registerProjection(worker.projection);
    worker.start();
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.eventStore.headPosition();
    const result: ProjectionStatus[] = [];
    for (const worker of this.workers.values()) {
      if (worker.state === 'LIVE') await this.reached(worker, head, head);
      const position = worker.position;
      result.push({
        name: worker.projection.name,
        version: worker.projection.version,
        state: worker.state,
        position,
        head,
        lag: Math.max(0, head - position),
        eventsPerSecond: worker.rate.perSecond(),
        ...(worker.error
          ? {
              error: {
                message: worker.error.message,
                code: (worker.error as { code?: string }).code,
              },
            }
          : {}),
        ...(worker.rebuild ? { rebuild: worker.rebuild } : {}),
      });
    }
    return result;
  }

  /**
   * Read-your-writes: resolves once every projection (or the named ones) reflects everything up
   * to `position`. A projection with a filter may never see an event at that exact position: it
   * has reached it when no event it subscribes to lies between its checkpoint and `position`.
   * Rejects with ProjectionLaggingError (PROJECTION_LAGGING) on timeout, ProjectionFailedError
   * when one of them has failed.
   */
  async waitFor(
    position: number,
    timeoutMs = this.defaultWaitMs,
    projections?: readonly string[],
  ): Promise<void> {
    const workers = (projections ?? [...this.workers.keys()]).map((name) => this.worker(name));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = await this.eventStore.headPosition();
      const behind: Worker[] = [];
      for (const worker of workers) {
        if (worker.state === 'FAILED') {
          throw new ProjectionFailedError(
            worker.projection.name,
            worker.error?.message ?? 'failed',
            { cause: worker.error },
          );
        }
        if (!(await this.reached(worker, position, head))) behind.push(worker);
      }
      if (behind.length === 0) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const lagging: LaggingProjection[] = behind.map((w) => ({
          name: w.projection.name,
          position: w.position,
        }));
        throw new ProjectionLaggingError(position, timeoutMs, lagging);
      }
      await Promise.race([...behind.map((w) => w.pulse), sleep(Math.min(remaining, 50))]);
    }
  }

  /** Has the worker's committed state reflected everything up to `position`? */
  private async reached(worker: Worker, position: number, head: number): Promise<boolean> {
    if (worker.position >= position) return true;
    if (position > head) return false;
    const checkpoint = worker.checkpoint;
    const [next] = await this.eventStore.readAll({
      after: afterOption(checkpoint),
      filter: worker.projection.filter,
      maxCount: 1,
    });
    // Only meaningful for the copy queries read: a rebuilding or swapped worker re-reads its checkpoint.
    if (worker.checkpoint !== checkpoint || worker.state === 'REBUILDING') return false;
    if (next !== undefined && next.position <= position) return false;
    const known = next === undefined ? head : next.position - 1;
    worker.verifiedUpTo = Math.max(worker.verifiedUpTo, Math.min(known, head));
    return true;
  }

  /**
   * Replay the store into a fresh shadow copy of the projection, in large batches, then swap it
   * in atomically once it has caught up with the head; queries read the old copy until then.
   * Interrupted (signal, crash), it keeps its shadow and checkpoint: calling it again resumes.
   * The live projection keeps serving (and updating) the old copy meanwhile, and restarts on the
   * new copy after the swap.
   */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    const worker = this.worker(name);
    if (worker.rebuild) throw new Error(`A rebuild of ${name} is already running`);
    await this.readModel.registerProjection(worker.projection);
    const [result] = await this.replay([worker], options);
    return result;
  }

  /**
   * `rebuild` of several projections (default: all) in one pass over the store: each page of
   * events is read once and fed to every projection, each into its own shadow with its own
   * checkpoint (so each resumes where it stood); all are swapped in once caught up.
   */
  async rebuildAll(names: readonly string[] = [...this.workers.keys()], options: RebuildOptions = {}): Promise<RebuildResult[]> {
    const workers = [...new Set(names)].map((name) => this.worker(name));
    const running = workers.find((w) => w.rebuild);
    if (running) throw new Error(`A rebuild of ${running.projection.name} is already running`);
    for (const worker of workers) await this.readModel.registerProjection(worker.projection);
    return this.replay(workers, options);
  }

  private async replay(workers: readonly Worker[], options: RebuildOptions): Promise<RebuildResult[]> {
    const results = await replayIntoShadow(this, workers, options);
    if (this.started) {
      // The live loops restart on the copies just swapped in, from their checkpoints.
      for (const worker of workers) {
        await worker.stop();
        worker.start();
      }
    }
    return results;
  }

  private worker(name: string): Worker {
    const worker = this.workers.get(name);
    if (!worker) throw new UnknownProjectionError(name);
    return worker;
  }
}

/** Does the event pass the filter (as the event store applies it)? */
function passes(filter: EventFilter | undefined, event: RecordedEvent): boolean {
  if (filter === undefined) return true;
  if (filter.types && filter.types.length > 0 && !filter.types.includes(event.type)) return false;
  if (filter.streamPrefixes && filter.streamPrefixes.length > 0 && !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix)))
    return false;
  return true;
}

/** The filter that lets through what any of these filters does (undefined: everything). */
function unionFilter(filters: readonly (EventFilter | undefined)[]): EventFilter | undefined {
  const types = new Set<string>();
  const prefixes = new Set<string>();
  for (const filter of filters) {
    const byType = filter?.types !== undefined && filter.types.length > 0;
    const byPrefix = filter?.streamPrefixes !== undefined && filter.streamPrefixes.length > 0;
    // A filter on both lists is narrower than either alone; a union of those is not expressible, read all.
    if (!filter || byType === byPrefix) return undefined;
    for (const t of filter.types ?? []) types.add(t);
    for (const p of filter.streamPrefixes ?? []) prefixes.add(p);
  }
  if (types.size > 0 && prefixes.size > 0) return undefined;
  return types.size > 0 ? { types: [...types] } : { streamPrefixes: [...prefixes] };
}

/** Documents a replay keeps parsed across its commits (e.g. two per partnership for the portfolio). */
const REPLAY_CACHE_LIMIT = 100_000;

/** One projection of a replay: its shadow, batch and progress. */
interface Replay {
  readonly worker: Worker;
  readonly writer: RebuildWriter;
  readonly batch: EventBatch;
  readonly fromPosition: number;
  readonly rate: RateMeter;
  processed: number;
  busyMs: number;
  /** When it last committed (performance.now()). */
  lastCommit: number;
  /** Position up to which events are read for it (accumulated or committed). */
  readTo: number;
  /** It commits once it holds this much: documents of a fold, or events held. */
  readonly commitAt: number;
}

/**
 * Replays the store into a shadow copy of each of the workers' projections in ONE pass over the
 * global order: each page is read once and each projection gets the events its filter selects
 * beyond its own shadow checkpoint (resumed shadows may stand at different positions), applied
 * with `applyAll` and committed with the page's last position as checkpoint. Once the head is
 * reached, each shadow is swapped in.
 */
async function replayIntoShadow(
  runner: ProjectionRunner,
  workers: readonly Worker[],
  options: RebuildOptions,
): Promise<RebuildResult[]> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 2_000;
  const commitEvery = Math.max(batchSize, options.commitEvery ?? 200_000);
  const foldLimit = Math.max(1, options.foldLimit ?? 250_000);
  const commitIntervalMs = options.commitIntervalMs ?? 60_000;
  const interval = options.progressIntervalMs ?? 250;
  const replays: Replay[] = [];
  for (const worker of workers) {
    const projection = worker.projection;
    const writer: RebuildWriter = await runner.readModel.beginRebuild(projection.name, {
      version: projection.version,
      fresh: options.fresh,
    });
    const fromPosition = await writer.getCheckpoint();
    // A store whose commits have limits of their own: a fold's entry becomes about two documents,
    // an event held changes a few.
    const cap = writer.maxChangesPerCommit ?? Number.POSITIVE_INFINITY;
    const commitAt = projection.startFold ? Math.min(foldLimit, Math.max(1, Math.floor(cap / 2))) : Math.min(commitEvery, Math.max(1, Math.floor(cap / 4)));
    const rate = new RateMeter();
    const target: BatchTarget = {
      get: (collection, id) => writer.get(collection, id),
      find: (collection, query) => writer.find(collection, query),
      commit: (changes, checkpoint, commitOptions) => writer.commit(changes, checkpoint, commitOptions),
    };
    const replay: Replay = {
      worker,
      writer,
      fromPosition,
      rate,
      processed: 0,
      busyMs: 0,
      lastCommit: performance.now(),
      readTo: fromPosition,
      commitAt,
      batch: new EventBatch(
        projection,
        worker.registry,
        target,
        fromPosition,
        () => undefined,
        REPLAY_CACHE_LIMIT,
      ),
    };
    replays.push(replay);
  }
  const report = (replay: Replay, phase: RebuildProgress['phase'], position: number, head: number, announce: boolean): void => {
    const committed = replay.batch.checkpoint;
    const eventsPerSecond = replay.rate.perSecond();
    const elapsed = (performance.now() - started) / 1000;
    const pace = elapsed > 0 ? (position - replay.fromPosition) / elapsed : 0;
    const progress: RebuildProgress = {
      projection: replay.worker.projection.name,
      generation: replay.writer.generation,
      phase,
      position: Math.max(position, 0),
      committed: Math.max(committed, 0),
      head: Math.max(head, 0),
      processed: replay.processed,
      ratio: head <= 0 ? 1 : Math.min(1, Math.max(position, 0) / head),
      eventsPerSecond,
      ...(pace > 0 ? { etaSeconds: Math.max(0, head - position) / pace } : {}),
    };
    replay.worker.rebuild = progress;
    // Replaying, the loop decides for every projection at once (one snapshot per report).
    if (announce) options.onProgress?.(progress);
  };
  const filter = unionFilter(workers.map((w) => w.projection.filter));
  /**
   * The projection's code threw on what was accumulated since the last commit: apply those
   * events again one by one (read again from the store), so the error names the failing event
   * (or, when they all apply alone, the replay goes on with them staged).
   */
  const replayOneByOne = async (replay: Replay): Promise<void> => {
    replay.batch.reset();
    const projectionFilter = replay.worker.projection.filter;
    for (let after = replay.batch.checkpoint; after < replay.readTo; ) {
      const events = await runner.eventStore.readAll({ after: afterOption(after), filter: projectionFilter, maxCount: batchSize });
      if (events.length === 0) break;
      for (const event of events) if (event.position <= replay.readTo) await replay.batch.apply(event);
      after = events[events.length - 1].position;
    }
  };
  /** Runs a step of a replay's batch; on a projection error, once more after replayOneByOne. */
  const guarded = async (replay: Replay, step: () => Promise<void>, retry: boolean): Promise<void> => {
    const t0 = performance.now();
    try {
      await step();
    } catch (error) {
      if (!(error instanceof ProjectionApplyError)) throw error;
      await replayOneByOne(replay);
      if (retry) await step();
    } finally {
      replay.busyMs += performance.now() - t0;
    }
  };
  /** Stage what a replay accumulated and commit it, its checkpoint moving to `upTo` (the last page's end). */
  const commit = async (replay: Replay, upTo: number | undefined): Promise<void> => {
    await guarded(replay, () => replay.batch.flush(upTo !== undefined && upTo > replay.batch.checkpoint ? upTo : undefined), true);
    replay.lastCommit = performance.now();
  };
  const commitAll = async (upTo: number | undefined): Promise<void> => {
    for (const replay of replays) await commit(replay, upTo);
  };
  let position = Math.min(...replays.map((r) => r.batch.checkpoint));
  let lastPageReport = performance.now();
  /** End of the last page read (undefined: none yet). */
  let pageEnd: number | undefined;
  try {
    const head0 = await runner.eventStore.headPosition();
    for (const replay of replays) report(replay, 'replaying', replay.fromPosition, head0, true);
    for (;;) {
      // The stores answer synchronously: let signals (Ctrl-C) and timers in between pages.
      await nextMacrotask();
      if (options.signal?.aborted) {
        // What is read is applied and committed: a resume continues exactly there.
        await commitAll(pageEnd);
        const first = replays.reduce((a, b) => (b.batch.checkpoint < a.batch.checkpoint ? b : a));
        throw new RebuildInterruptedError(first.worker.projection.name, first.batch.checkpoint);
      }
      const head = await runner.eventStore.headPosition();
      const events = await runner.eventStore.readAll({
        after: afterOption(position),
        filter,
        maxCount: batchSize,
      });
      if (events.length === 0) {
        await commitAll(pageEnd);
        // Nothing any of them reads lies between its checkpoint and the head: caught up.
        for (const replay of replays) if (head > replay.batch.checkpoint) await replay.batch.advanceTo(head);
        break;
      }
      position = events[events.length - 1].position;
      pageEnd = position;
      for (const replay of replays) {
        // Events at or below what it has read (a resumed replay further ahead) are not its own.
        const from = replay.readTo;
        const mine = events.filter((event) => event.position > from && passes(replay.worker.projection.filter, event));
        replay.readTo = Math.max(from, position);
        if (mine.length > 0) await guarded(replay, () => replay.batch.accumulate(mine), false);
        replay.processed += mine.length;
        replay.rate.record(mine.length);
        // Nothing else it reads lies up to the page's end: the checkpoint moves there with the changes.
        if (replay.batch.accumulated >= replay.commitAt || performance.now() - replay.lastCommit >= commitIntervalMs) await commit(replay, position);
      }
      // Every projection's progress at once, from the same page: one consistent snapshot.
      const due = performance.now() - lastPageReport >= interval;
      if (due) lastPageReport = performance.now();
      for (const replay of replays) report(replay, 'replaying', replay.readTo, Math.max(head, replay.readTo), due);
    }
    const results: RebuildResult[] = [];
    for (const replay of replays) {
      const at = replay.batch.checkpoint;
      report(replay, 'swapping', at, at, true);
      await replay.writer.swapIn();
      report(replay, 'done', at, at, true);
      results.push({
        projection: replay.worker.projection.name,
        generation: replay.writer.generation,
        version: replay.writer.version,
        resumed: replay.writer.resumed,
        fromPosition: replay.fromPosition,
        position: at,
        processed: replay.processed,
        durationMs: performance.now() - started,
        busyMs: replay.busyMs,
      });
    }
    return results;
  } finally {
    for (const worker of workers) worker.rebuild = undefined;
  }
}
