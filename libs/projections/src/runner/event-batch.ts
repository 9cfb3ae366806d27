import type { RecordedEvent } from '@ppl/event-store';
import {
  applyChange,
  documentKey,
  InvalidChangeError,
  type Change,
  type CommitOptions,
  type Document,
  type FindQuery,
  type Page,
  type SchemaRegistry,
} from '@ppl/read-model';
import { ProjectionApplyError } from './errors';
import type { Projection, ProjectionView } from './projection';

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
  private changes: Change[] = [];
  private overlay = new Map<string, Document | undefined>();
  private lastPosition: number | undefined;
  private pendingEvents = 0;

  constructor(
    private readonly projection: Projection,
    private readonly registry: SchemaRegistry,
    private readonly target: BatchTarget,
    /** Checkpoint already committed. */
    private committed: number,
    private readonly onCommitted: (checkpoint: number, events: number) => void = () => undefined,
  ) {}

  get checkpoint(): number {
    return this.committed;
  }

  get size(): number {
    return this.pendingEvents;
  }

  /** Position up to which events are applied (committed or pending). */
  get position(): number {
    return this.lastPosition ?? this.committed;
  }

  /** Applies one event; false when it was already applied (a redelivery: ignored). */
  async apply(event: RecordedEvent): Promise<boolean> {
    if (event.position <= this.position) return false;
    const staged = new Map<string, Document | undefined>();
    const read = async (collection: string, id: string): Promise<Document | undefined> => {
      const key = documentKey(collection, id);
      if (staged.has(key)) return staged.get(key);
      if (this.overlay.has(key)) return this.overlay.get(key);
      return this.target.get(collection, id);
    };
    const view: ProjectionView = {
      get: async <T extends Document = Document>(collection: string, id: string) => {
        this.owned(collection);
        const doc = this.overlay.has(documentKey(collection, id))
          ? this.overlay.get(documentKey(collection, id))
          : await this.target.get(collection, id);
        return doc === undefined ? undefined : (structuredClone(doc) as T);
      },
      find: async <T extends Document = Document>(collection: string, query?: FindQuery) => {
        this.owned(collection);
        await this.flush();
        return (await this.target.find(collection, query)) as Page<T>;
      },
    };
    let changes: readonly Change[];
    try {
      changes = await this.projection.apply(event, view);
      if (!Array.isArray(changes))
        throw new InvalidChangeError('apply must return an array of changes');
      for (const change of changes) {
        this.owned(change.collection);
        const before = await read(change.collection, change.id);
        staged.set(
          documentKey(change.collection, change.id),
          applyChange(this.registry.collection(change.collection), before, change),
        );
      }
    } catch (error) {
      throw new ProjectionApplyError(this.projection.name, event.position, event.type, error);
    }
    for (const [key, doc] of staged) this.overlay.set(key, doc);
    this.changes.push(...changes);
    this.lastPosition = event.position;
    this.pendingEvents += 1;
    return true;
  }

  /** Commit pending events (if any) with their checkpoint. */
  async flush(): Promise<void> {
    if (this.lastPosition === undefined) return;
    const checkpoint = this.lastPosition;
    const events = this.pendingEvents;
    await this.target.commit(this.changes, checkpoint, { expectedCheckpoint: this.committed });
    this.committed = checkpoint;
    this.reset();
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
    this.changes = [];
    this.overlay = new Map();
    this.lastPosition = undefined;
    this.pendingEvents = 0;
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
