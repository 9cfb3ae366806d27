import type { RecordedEvent } from '@ppl/event-store';
import {
  applyChange,
  documentKey,
  InvalidChangeError,
  put,
  remove,
  type Change,
  type CommitOptions,
  type Document,
  type FindQuery,
  type Page,
  type SchemaRegistry,
} from '@ppl/read-model';
import { ProjectionApplyError } from './errors';
import type { Projection, ProjectionFold, ProjectionView } from './projection';

/** Where a batch reads from and commits to: the active copy, or a rebuild's shadow. */
export interface BatchTarget {
  get(collection: string, id: string): Promise<Document | undefined>;
  find(collection: string, query?: FindQuery): Promise<Page>;
  commit(changes: readonly Change[], checkpoint: number, options: CommitOptions): Promise<void>;
}

/**
 * Events applied but not yet committed. Each event's changes are staged and validated on their
 * own, so a failing event leaves the batch as it was (the events before it can still be
 * committed). `view.get` reads through the batch; `flush` commits it with the checkpoint of its
 * last event, expecting the checkpoint it started from (so two writers, or a swap, conflict
 * instead of double-applying).
 */
export class EventBatch {
  /** Final value of every document the pending events changed (undefined: deleted), by key. */
  private overlay = new Map<string, Document | undefined>();
  private overlayTargets = new Map<string, { collection: string; id: string }>();
  /**
   * Documents as stored (undefined: known to be absent), by key: those read during this batch,
   * kept across commits with the values the commits wrote (this projection is their only
   * writer; a commit that fails, or conflicts, ends the batch's use), up to `cacheLimit` (beyond
   * it, only those the last commit wrote are kept).
   */
  private stored = new Map<string, Document | undefined>();
  private lastPosition: number | undefined;
  private pendingEvents = 0;
  /**
   * A replay's events read but not yet staged (see `accumulate`): folded (projections with
   * `startFold`), or held as they are (the others). Staged by `settle`, which `flush` calls first.
   */
  private folding: { fold: ProjectionFold; events: number; last: RecordedEvent } | undefined;
  private held: RecordedEvent[] = [];

  constructor(
    private readonly projection: Projection,
    private readonly registry: SchemaRegistry,
    private readonly target: BatchTarget,
    /** Checkpoint already committed. */
    private committed: number,
    private readonly onCommitted: (checkpoint: number, events: number) => void = () => undefined,
    /** Most stored documents kept across commits (beyond it, only those the last commit wrote). */
    private readonly cacheLimit = 10_000,
  ) {}

  get checkpoint(): number {
    return this.committed;
  }

  get size(): number {
    return this.pendingEvents;
  }

  /** Position up to which events are applied (committed, pending or accumulated). */
  get position(): number {
    return this.folding?.last.position ?? this.held.at(-1)?.position ?? this.lastPosition ?? this.committed;
  }

  /** What `accumulate` holds in memory: documents of a fold, or events held as they are. */
  get accumulated(): number {
    return (this.folding?.fold.size ?? 0) + this.held.length;
  }

  /** Applies one event; false when it was already applied (a redelivery: ignored). */
  async apply(event: RecordedEvent): Promise<boolean> {
    if (event.position <= this.position) return false;
    await this.stage(1, event, (view) => this.projection.apply(event, view), true);
    return true;
  }

  /**
   * Applies events in order (those at or below the position are ignored): runs of events go to
   * the projection's `applyBatch` when it has one (events it `appliesAlone` go through `apply`
   * on their own). When a run fails, its events are applied one by one instead, so the events
   * before the failing one stay staged and the error names the failing event, as with `apply`.
   */
  async applyAll(events: readonly RecordedEvent[]): Promise<void> {
    await this.settle();
    const applyBatch = this.batchOf(this.projection);
    let run: RecordedEvent[] = [];
    const applyRun = async (): Promise<void> => {
      const group = run;
      run = [];
      if (group.length === 0) return;
      if (group.length === 1 || applyBatch === undefined) {
        for (const event of group) await this.apply(event);
        return;
      }
      try {
        await this.stage(group.length, group[group.length - 1], (view) => applyBatch(group, view), false);
      } catch {
        for (const event of group) await this.apply(event);
      }
    };
    let position = this.position;
    for (const event of events) {
      if (event.position <= position) continue;
      position = event.position;
      if (applyBatch !== undefined && this.projection.appliesAlone?.(event)) {
        await applyRun();
        await this.apply(event);
      } else {
        run.push(event);
      }
    }
    await applyRun();
  }

  /**
   * For replays: takes events in order (those at or below the position are ignored) without
   * staging them yet. A projection with `startFold` folds them into one fold kept until the next
   * `settle` (events it `appliesAlone` settle the fold first, then apply alone); the others' are
   * held and applied together by `settle` (`applyAll`). Pages read one after the other thus
   * derive each touched document once per commit, and a folding projection keeps documents, not
   * events. After a throw, `reset` and apply the events since the checkpoint one by one.
   */
  async accumulate(events: readonly RecordedEvent[]): Promise<void> {
    const startFold = this.projection.startFold?.bind(this.projection);
    let position = this.position;
    if (startFold === undefined) {
      for (const event of events) {
        if (event.position <= position) continue;
        position = event.position;
        this.held.push(event);
      }
      return;
    }
    let run: RecordedEvent[] = [];
    const addRun = async (): Promise<void> => {
      if (run.length === 0) return;
      const group = run;
      run = [];
      const last = group[group.length - 1];
      const folding = (this.folding ??= { fold: startFold(), events: 0, last });
      try {
        await folding.fold.add(group, this.readOnlyView());
      } catch (error) {
        throw new ProjectionApplyError(this.projection.name, last.position, last.type, error);
      }
      folding.events += group.length;
      folding.last = last;
    };
    for (const event of events) {
      if (event.position <= position) continue;
      position = event.position;
      if (this.projection.appliesAlone?.(event)) {
        await addRun();
        await this.settle();
        await this.apply(event);
      } else {
        run.push(event);
      }
    }
    await addRun();
  }

  /** Stages what `accumulate` took: the fold's changes, or the held events applied together. */
  async settle(): Promise<void> {
    const folding = this.folding;
    if (folding !== undefined) {
      this.folding = undefined;
      await this.stage(folding.events, folding.last, (view) => folding.fold.changes(view), false);
    }
    if (this.held.length > 0) {
      const held = this.held;
      this.held = [];
      await this.applyAll(held);
    }
  }

  /** The projection's applyBatch, or one fold over the run when it only has startFold. */
  private batchOf(projection: Projection): Projection['applyBatch'] {
    if (projection.applyBatch) return projection.applyBatch.bind(projection);
    const startFold = projection.startFold?.bind(projection);
    if (startFold === undefined) return undefined;
    return async (events, view) => {
      const fold = startFold();
      await fold.add(events, view);
      return fold.changes(view);
    };
  }

  /** `view.get` for folds (reads through the batch); `find` would have to commit first: not there. */
  private readOnlyView(): ProjectionView {
    return {
      get: async <T extends Document = Document>(collection: string, id: string) => {
        this.owned(collection);
        // No defensive copy: projections build new documents (a document read here is read-only),
        // and copying a large folded state on every event dominated rebuild time.
        return (await this.read(collection, id)) as T | undefined;
      },
      find: () => Promise.reject(new InvalidChangeError('view.find is not available to a fold: let such events apply alone')),
    };
  }

  /**
   * Stage the changes `compute` returns for `events` events ending with `last` (validated on
   * their own: on a throw the batch stays as it was). `canFind`: `view.find` commits the pending
   * batch first, which only an event applied on its own may do.
   */
  private async stage(
    events: number,
    last: RecordedEvent,
    compute: (view: ProjectionView) => Promise<readonly Change[]> | readonly Change[],
    canFind: boolean,
  ): Promise<void> {
    const staged = new Map<string, Document | undefined>();
    const read = async (collection: string, id: string): Promise<Document | undefined> => {
      const key = documentKey(collection, id);
      if (staged.has(key)) return staged.get(key);
      return this.read(collection, id);
    };
    const view: ProjectionView = {
      get: this.readOnlyView().get,
      find: async <T extends Document = Document>(collection: string, query?: FindQuery) => {
        this.owned(collection);
        if (!canFind) throw new InvalidChangeError('view.find is not available to applyBatch: let such events apply alone');
        await this.flush();
        return (await this.target.find(collection, query)) as Page<T>;
      },
    };
    const targets: { key: string; collection: string; id: string }[] = [];
    try {
      const changes = await compute(view);
      if (!Array.isArray(changes))
        throw new InvalidChangeError('apply must return an array of changes');
      for (const change of changes as readonly Change[]) {
        this.owned(change.collection);
        const key = documentKey(change.collection, change.id);
        // A put is staged as given and normalised once per document when the batch is committed
        // (the store validates it then); patches need the current document now.
        staged.set(
          key,
          change.op === 'put'
            ? stagedPut(change)
            : applyChange(this.registry.collection(change.collection), await read(change.collection, change.id), change),
        );
        targets.push({ key, collection: change.collection, id: change.id });
      }
    } catch (error) {
      throw new ProjectionApplyError(this.projection.name, last.position, last.type, error);
    }
    for (const { key, collection, id } of targets) this.overlayTargets.set(key, { collection, id });
    for (const [key, doc] of staged) this.overlay.set(key, doc);
    this.lastPosition = last.position;
    this.pendingEvents += events;
  }

  /**
   * Commit pending events (if any) with their checkpoint. The batch's changes are coalesced:
   * each document it touched is written once, as the overlay holds it after the last event
   * (a put of the final value, or a delete) — the same end state as replaying every change in
   * order, without rewriting a document once per event (a summary document, a growing state).
   * With `upTo` beyond the last event, the checkpoint moves there in the same commit.
   */
  async flush(upTo?: number): Promise<void> {
    await this.settle();
    if (this.lastPosition === undefined) {
      if (upTo !== undefined) await this.advanceTo(upTo);
      return;
    }
    // `upTo`: the caller knows nothing this projection reads lies between the last event and it.
    const checkpoint = Math.max(this.lastPosition, upTo ?? this.lastPosition);
    const events = this.pendingEvents;
    const changes: Change[] = [];
    for (const [key, doc] of this.overlay) {
      const target = this.overlayTargets.get(key);
      if (!target) continue;
      changes.push(doc === undefined ? remove(target.collection, target.id) : put(target.collection, target.id, doc));
    }
    await this.target.commit(changes, checkpoint, { expectedCheckpoint: this.committed });
    this.committed = checkpoint;
    // What was read stays known, as just written: a document read by every batch (a growing
    // state, a summary) is not read back and parsed again after each commit.
    const stored = this.stored;
    const written = this.overlay;
    for (const [key, doc] of written) if (stored.has(key)) stored.set(key, doc);
    this.reset();
    if (stored.size <= this.cacheLimit) {
      this.stored = stored;
    } else {
      // Too many: keep those this commit wrote (read again by the next batches, typically: a
      // partnership's state and row), not every document ever read.
      const kept = new Map<string, Document | undefined>();
      for (const key of written.keys()) if (stored.has(key)) kept.set(key, stored.get(key));
      if (kept.size <= this.cacheLimit) this.stored = kept;
    }
    this.onCommitted(checkpoint, events);
  }

  /** Advance the checkpoint without changes (nothing relevant happened up to `position`). */
  async advanceTo(position: number): Promise<void> {
    await this.flush();
    if (position <= this.committed) return;
    await this.target.commit([], position, { expectedCheckpoint: this.committed });
    this.committed = position;
    this.onCommitted(position, 0);
  }

  /** Forget pending events (they will be re-read from the committed checkpoint). */
  reset(): void {
    this.overlay = new Map();
    this.overlayTargets = new Map();
    this.stored = new Map();
    this.lastPosition = undefined;
    this.pendingEvents = 0;
    this.folding = undefined;
    this.held = [];
  }

  /**
   * A document as the batch sees it: its pending value, else the stored one. Stored documents are
   * cached (this projection is their only writer), so a document read by every event — the
   * strategy, a summary, a partnership's state — is parsed once, not once per event or batch.
   */
  private async read(collection: string, id: string): Promise<Document | undefined> {
    const key = documentKey(collection, id);
    if (this.overlay.has(key)) return this.overlay.get(key);
    if (this.stored.has(key)) return this.stored.get(key);
    const doc = await this.target.get(collection, id);
    this.stored.set(key, doc);
    return doc;
  }

  private owned(collection: string): void {
    const owner = this.registry.collection(collection).projection;
    if (owner !== this.projection.name) {
      throw new InvalidChangeError(
        `Projection ${this.projection.name} cannot use ${collection}, which belongs to ${owner}`,
      );
    }
  }
}

function stagedPut(change: Extract<Change, { op: 'put' }>): Document {
  const doc = change.doc as unknown;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InvalidChangeError(`${change.collection}/${change.id}: a document must be a JSON object`);
  }
  return doc as Document;
}
