/**
 * The read-model store port: the board's queries shape it.
 *
 * - Documents are plain JSON objects, addressed by collection and id.
 * - A collection belongs to exactly one projection and declares up front the fields that may be
 *   filtered or sorted on (`defineCollection`). Anything else is refused with a typed error, so
 *   every query an adapter runs is backed by an index.
 * - Writes happen only through `commit(projection, changes, checkpoint)`: the changes and the
 *   projection's checkpoint (global position of the last applied event) are stored in ONE
 *   transaction, so a crash never applies an event twice nor skips one.
 * - Rebuilds: a projection's collections live in numbered "generations". Queries always read the
 *   ACTIVE generation; `beginRebuild` returns a writer bound to a SHADOW generation with its own
 *   checkpoint (resumable); `swapIn` makes the shadow active atomically. A shadow is loaded
 *   without its secondary indexes (its writer's `find` stays correct, scanning): `swapIn` builds
 *   them once, before the swap. The previous active
 *   generation is kept (RETIRED) until the next rebuild begins, so a query that resolved the old
 *   generation a moment before the swap still reads a complete copy.
 *
 * Two adapters pass one contract suite (`testing/read-model.contract.ts`): embedded SQLite and
 * MongoDB. Same inputs give the same results in the same order on both.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** A stored document: a plain JSON object. */
export type Document = { [key: string]: JsonValue };

/**
 * Types of declared (indexed) fields. Documents are checked against them on write, so both
 * adapters compare like with like (SQLite and MongoDB order mixed types differently).
 * Dates are ISO-8601 strings (`string`): they sort correctly as text.
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]';

export interface CollectionDefinition<TFields extends string = string> {
  /** `[A-Za-z][A-Za-z0-9_]*`, unique across projections. */
  readonly name: string;
  /**
   * Declared fields: a top-level name or a dot path (`health.overall`) → type.
   * `id` is always declared (string) and maps to the document id.
   */
  readonly indexes: { readonly [F in TFields]: FieldType };
}

/** Declare a collection (identity function, kept for readability and literal field types). */
export function defineCollection<const TFields extends string>(
  definition: CollectionDefinition<TFields>,
): CollectionDefinition<TFields> {
  return definition;
}

/** What the store needs to know about a projection: its name, version and collections. */
export interface ProjectionSchema {
  readonly name: string;
  /** Bump when the projection's output changes shape or meaning: the runner rebuilds it. */
  readonly version: number;
  readonly collections: readonly CollectionDefinition[];
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

export type Scalar = string | number | boolean;

/**
 * A condition on one declared field; several keys in one condition are ANDed.
 * Null/missing: `eq: null` and `exists: false` match documents where the field is missing or
 * null; `ne`/`nin` also match them (as in MongoDB); range operators never do.
 */
export interface FieldCondition {
  readonly eq?: Scalar | null;
  readonly ne?: Scalar | null;
  readonly in?: readonly (Scalar | null)[];
  readonly nin?: readonly (Scalar | null)[];
  readonly lt?: string | number;
  readonly lte?: string | number;
  readonly gt?: string | number;
  readonly gte?: string | number;
  /** Case-insensitive substring (string fields), e.g. name search. */
  readonly contains?: string;
  /** Array fields: the array contains this element. */
  readonly has?: string | number;
  /** Array fields: the array contains at least one of these. */
  readonly hasAny?: readonly (string | number)[];
  /** Array fields: the array contains all of these. */
  readonly hasAll?: readonly (string | number)[];
  /** Present and not null (`true`) or missing/null (`false`). */
  readonly exists?: boolean;
}

export type FieldFilter = FieldCondition | Scalar | null;

/**
 * A filter: field → condition (a bare scalar or null means `eq`), all ANDed; plus optional
 * `and`/`or` lists of sub-filters. With literal field names (`Filter<'phase' | 'health'>`)
 * unknown fields are compile errors; with plain strings they are runtime UndeclaredFieldErrors.
 */
export type Filter<TFields extends string = string> = string extends TFields
  ? {
      readonly [field: string]: FieldFilter | readonly Filter[] | undefined;
      readonly and?: readonly Filter[];
      readonly or?: readonly Filter[];
    }
  : { readonly [F in TFields]?: FieldFilter } & {
      readonly and?: readonly Filter<TFields>[];
      readonly or?: readonly Filter<TFields>[];
    };

export interface SortKey<TFields extends string = string> {
  readonly field: TFields;
  readonly direction?: 'asc' | 'desc';
}

export interface FindQuery<TFields extends string = string> {
  readonly filter?: Filter<TFields>;
  /** Applied in order; the document id (ascending) always breaks ties last. Default: id asc. */
  readonly sort?: readonly SortKey<TFields>[];
  /** Page size, 0..MAX_PAGE_SIZE. Default DEFAULT_PAGE_SIZE. */
  readonly first?: number;
  /** A cursor of a page of the same sort (any filter): the page starts right after it. */
  readonly after?: string | null;
  /**
   * Paging backward: the `last` documents (0..MAX_PAGE_SIZE) right before `before`, or the last
   * of all without it, still in the sort's order. Not together with `first` or `after`.
   */
  readonly last?: number;
  readonly before?: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 10_000;

/** A Relay-style page. Cursors are opaque (sort values + id), stable under ties. */
export interface Page<T extends Document = Document> {
  readonly items: T[];
  /** Documents matching the filter, ignoring paging. */
  readonly totalCount: number;
  /**
   * Whether a document matching the filter sorts after the page. Paging backward: whether one
   * sorts at or after the `before` cursor (false without one). Exact either way.
   */
  readonly hasNextPage: boolean;
  /**
   * Whether a document matching the filter sorts before the page. Paging forward: whether one
   * sorts at or before the `after` cursor (false without one). Exact either way.
   */
  readonly hasPreviousPage: boolean;
  /** Cursor of each item, in order: `after` (`before`) one of them continues right after (before) it. */
  readonly cursors: string[];
  /** Cursor of the first item, null when the page is empty. */
  readonly startCursor: string | null;
  /** Cursor of the last item, null when the page is empty. */
  readonly endCursor: string | null;
}

/** The page of a collection with no documents yet. */
export const emptyPage = <T extends Document = Document>(): Page<T> => ({
  items: [],
  totalCount: 0,
  hasNextPage: false,
  hasPreviousPage: false,
  cursors: [],
  startCursor: null,
  endCursor: null,
});

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

/** Replace (or create) a whole document. */
export interface PutChange {
  readonly op: 'put';
  readonly collection: string;
  readonly id: string;
  readonly doc: Document;
}

/**
 * Change some fields of an EXISTING document (a missing one fails the whole commit).
 * Keys of `set` and entries of `unset` are field names or dot paths; `set` creates missing
 * intermediate objects.
 */
export interface PatchChange {
  readonly op: 'patch';
  readonly collection: string;
  readonly id: string;
  readonly set?: { readonly [path: string]: JsonValue };
  readonly unset?: readonly string[];
}

/** Delete a document; deleting a missing one is a no-op. */
export interface DeleteChange {
  readonly op: 'delete';
  readonly collection: string;
  readonly id: string;
}

export type Change = PutChange | PatchChange | DeleteChange;

export const put = (collection: string, id: string, doc: Document): PutChange => ({
  op: 'put',
  collection,
  id,
  doc,
});
export const patch = (
  collection: string,
  id: string,
  set: { readonly [path: string]: JsonValue },
  unset?: readonly string[],
): PatchChange => ({ op: 'patch', collection, id, set, ...(unset ? { unset } : {}) });
export const remove = (collection: string, id: string): DeleteChange => ({
  op: 'delete',
  collection,
  id,
});

export interface CommitOptions {
  /**
   * Optimistic guard: the commit fails with CheckpointConflictError unless the stored
   * checkpoint is exactly this (another runner, or a swap, moved it). Independently of this
   * option, a commit whose checkpoint is not greater than the stored one always fails.
   */
  readonly expectedCheckpoint?: number;
}

/** Checkpoint of a projection that has applied nothing yet. */
export const NO_CHECKPOINT = -1;

// ---------------------------------------------------------------------------------------------
// Generations and rebuilds
// ---------------------------------------------------------------------------------------------

export interface GenerationInfo {
  readonly generation: number;
  readonly version: number;
  /** Global position of the last event applied to this generation, NO_CHECKPOINT if none. */
  readonly checkpoint: number;
}

export interface ProjectionStorageState {
  readonly projection: string;
  /** What queries read; undefined until the first commit or swap. */
  readonly active?: GenerationInfo;
  /** A rebuild in progress (or interrupted: resume it with beginRebuild). */
  readonly shadow?: GenerationInfo;
}

export interface BeginRebuildOptions {
  /** Version the shadow is built for. Default: the registered projection's version. */
  readonly version?: number;
  /** Discard an existing shadow instead of resuming it. */
  readonly fresh?: boolean;
}

/** A writer bound to a projection's shadow generation. Queries don't see it until `swapIn`. */
export interface RebuildWriter {
  readonly projection: string;
  readonly generation: number;
  readonly version: number;
  /** True when an interrupted shadow was resumed rather than created. */
  readonly resumed: boolean;
  /**
   * About the most changes one commit should carry (a store whose commit is a transaction with
   * limits of its own): a replay commits before it holds more. Undefined: no limit of the store's.
   */
  readonly maxChangesPerCommit?: number;
  getCheckpoint(): Promise<number>;
  /** Read a document of the shadow copy. */
  get<T extends Document = Document>(collection: string, id: string): Promise<T | undefined>;
  find<T extends Document = Document>(collection: string, query?: FindQuery): Promise<Page<T>>;
  commit(changes: readonly Change[], checkpoint: number, options?: CommitOptions): Promise<void>;
  /**
   * Build the shadow's indexes, then atomically make it the active generation (the old one is retired, dropped when the
   * next rebuild begins). Fails if the shadow was abandoned or replaced.
   */
  swapIn(): Promise<void>;
  /** Drop the shadow copy. */
  abandon(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

export interface ReadModelStore {
  /**
   * Declare a projection's collections (idempotent; adapters create tables/indexes as needed).
   * Queries on collections no registered projection declares fail with UnknownCollectionError.
   */
  registerProjection(schema: ProjectionSchema): Promise<void>;

  get<T extends Document = Document>(collection: string, id: string): Promise<T | undefined>;
  find<T extends Document = Document>(collection: string, query?: FindQuery): Promise<Page<T>>;
  count(collection: string, filter?: Filter): Promise<number>;

  /**
   * Apply `changes` in order to the projection's ACTIVE generation and set its checkpoint, all
   * or nothing. Creates the active generation (at the registered version) on first commit.
   */
  commit(
    projection: string,
    changes: readonly Change[],
    checkpoint: number,
    options?: CommitOptions,
  ): Promise<void>;
  /** Checkpoint of the active generation; NO_CHECKPOINT when none. */
  getCheckpoint(projection: string): Promise<number>;
  describe(projection: string): Promise<ProjectionStorageState>;

  /** Start (or resume, see options) building a shadow generation of the projection. */
  beginRebuild(projection: string, options?: BeginRebuildOptions): Promise<RebuildWriter>;
  /** Drop every generation and the checkpoints of the projection. */
  drop(projection: string): Promise<void>;
  /** Cheap liveness probe for `/health/ready`; throws ReadModelUnavailableError. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** DI token for the configured ReadModelStore. */
export const READ_MODEL_STORE = Symbol.for('ppl.ReadModelStore');
