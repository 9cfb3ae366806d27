import {
  MongoClient,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type ClientSession,
  type Collection,
  type Db,
  type AnyBulkWriteOperation,
  type Filter as MongoFilter,
  type IndexDescription,
} from 'mongodb';
import { patchTargets, resolveChanges } from '../core/documents';
import { compileFilter, compileQuery, pageOf } from '../core/query';
import { SchemaRegistry, type CollectionInfo } from '../core/schema-registry';
import {
  CheckpointConflictError,
  InvalidChangeError,
  ReadModelUnavailableError,
  RebuildStaleError,
} from '../errors';
import {
  emptyPage,
  NO_CHECKPOINT,
  type BeginRebuildOptions,
  type Change,
  type CommitOptions,
  type Document,
  type Filter,
  type FindQuery,
  type GenerationInfo,
  type Page,
  type ProjectionSchema,
  type ProjectionStorageState,
  type ReadModelStore,
  type RebuildWriter,
} from '../read-model.port';
import { fieldPath, toMongoFilter, toMongoSort } from './mongo-filter';

export interface MongoReadModelOptions {
  /** e.g. `mongodb://localhost:27017/?replicaSet=rs0` (transactions need a replica set). */
  readonly url?: string;
  /** Use this client instead of connecting (it is not closed by `close()`). */
  readonly client?: MongoClient;
  /** Default `ppl_read_model`. */
  readonly databaseName?: string;
  readonly projections?: readonly ProjectionSchema[];
}

type GenerationState = 'active' | 'shadow' | 'retired';

interface GenerationDoc {
  _id: string;
  projection: string;
  generation: number;
  version: number;
  state: GenerationState;
  checkpoint: number;
  collections: string[];
  createdAt: Date;
}

interface SequenceDoc {
  _id: string;
  last: number;
}

interface StoredDoc {
  _id: string;
  d: Document;
}

const collectionName = (collection: string, generation: number): string =>
  `${collection}__g${generation}`;
const generationId = (projection: string, generation: number): string =>
  `${projection}:${generation}`;
const NAMESPACE_EXISTS = 48;
const DUPLICATE_KEY = 11000;

/**
 * MongoDB read model (official driver). A projection's generation is a set of collections
 * `<collection>__g<generation>` holding `{ _id, d: document }`, with an index per declared field
 * (`d.<path>`, `_id`) created up front; `rm_generations` holds each generation's state and
 * checkpoint. A commit writes documents and checkpoint in ONE transaction
 * (`session.withTransaction`), so it needs a replica set (a single-node one will do).
 */
export class MongoReadModelStore implements ReadModelStore {
  private readonly registry = new SchemaRegistry();
  private readonly generations: Collection<GenerationDoc>;
  private readonly sequences: Collection<SequenceDoc>;
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly ownsClient: boolean,
  ) {
    this.generations = db.collection<GenerationDoc>('rm_generations');
    this.sequences = db.collection<SequenceDoc>('rm_generation_sequence');
  }

  static async connect(options: MongoReadModelOptions): Promise<MongoReadModelStore> {
    let client = options.client;
    const ownsClient = client === undefined;
    if (client === undefined) {
      if (options.url === undefined) throw new Error('MongoReadModelStore: give url or client');
      client = new MongoClient(options.url);
      try {
        await client.connect();
      } catch (error) {
        throw new ReadModelUnavailableError(`Cannot connect to MongoDB: ${String(error)}`, {
          cause: error,
        });
      }
    }
    const store = new MongoReadModelStore(
      client,
      client.db(options.databaseName ?? 'ppl_read_model'),
      ownsClient,
    );
    try {
      await store.generations.createIndexes([
        {
          key: { projection: 1 },
          name: 'one_active',
          unique: true,
          partialFilterExpression: { state: 'active' },
        },
        {
          key: { projection: 1 },
          name: 'one_shadow',
          unique: true,
          partialFilterExpression: { state: 'shadow' },
        },
        { key: { projection: 1, generation: 1 }, name: 'by_projection' },
      ]);
      for (const schema of options.projections ?? []) await store.registerProjection(schema);
    } catch (error) {
      if (ownsClient) await client.close();
      throw error;
    }
    return store;
  }

  // -- schema --------------------------------------------------------------------------------

  async registerProjection(schema: ProjectionSchema): Promise<void> {
    return this.guarded(async () => {
      this.assertOpen();
      this.registry.register(schema);
      for (const row of await this.generations
        .find({ projection: schema.name, state: { $ne: 'retired' } })
        .toArray()) {
        await this.ensureCollections(row);
      }
    });
  }

  /**
   * Create the collections the registered schema needs (idempotent), and their indexes unless
   * the generation is a shadow: a rebuild loads its collections without them and `swapIn`
   * builds them once, before the swap.
   */
  private async ensureCollections(row: GenerationDoc): Promise<void> {
    const names: string[] = [];
    for (const info of this.registry.collectionsOf(row.projection)) {
      const name = collectionName(info.name, row.generation);
      try {
        await this.db.createCollection(name);
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
      }
      if (row.state !== 'shadow') await this.ensureIndexes(info, row.generation);
      names.push(info.name);
    }
    await this.generations.updateOne(
      { _id: row._id },
      { $addToSet: { collections: { $each: names } } },
    );
  }

  /** A collection's indexes, one per declared field: `(field, _id)` (idempotent). */
  private async ensureIndexes(info: CollectionInfo, generation: number): Promise<void> {
    const indexes: IndexDescription[] = info.indexed.map((field) => ({
      key: { [fieldPath(field)]: 1, _id: 1 },
      name: field.path,
    }));
    if (indexes.length > 0) await this.data(info, generation).createIndexes(indexes);
  }

  private data(info: CollectionInfo, generation: number): Collection<StoredDoc> {
    return this.db.collection<StoredDoc>(collectionName(info.name, generation));
  }

  // -- generations ---------------------------------------------------------------------------

  private generationIn(
    projection: string,
    state: 'active' | 'shadow',
    session?: ClientSession,
  ): Promise<GenerationDoc | null> {
    return this.generations.findOne({ projection, state }, { session });
  }

  private async createGeneration(
    projection: string,
    version: number,
    state: 'active' | 'shadow',
  ): Promise<GenerationDoc> {
    // Generation numbers are never reused, so a writer bound to a dropped shadow stays stale.
    const sequence = await this.sequences.findOneAndUpdate(
      { _id: projection },
      { $inc: { last: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    const generation = sequence?.last ?? 1;
    const row: GenerationDoc = {
      _id: generationId(projection, generation),
      projection,
      generation,
      version,
      state,
      checkpoint: NO_CHECKPOINT,
      collections: [],
      createdAt: new Date(),
    };
    await this.generations.insertOne(row);
    await this.ensureCollections(row);
    return row;
  }

  /** The active generation, created (outside any transaction: it creates collections) if missing. */
  private async ensureActive(projection: string): Promise<GenerationDoc> {
    const existing = await this.generationIn(projection, 'active');
    if (existing) return existing;
    try {
      return await this.createGeneration(
        projection,
        this.registry.projection(projection).version,
        'active',
      );
    } catch (error) {
      // Another writer created it first (unique partial index on the active generation).
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
        const created = await this.generationIn(projection, 'active');
        if (created) return created;
      }
      throw error;
    }
  }

  private async dropGeneration(row: GenerationDoc): Promise<void> {
    await this.generations.deleteOne({ _id: row._id });
    for (const collection of row.collections)
      await this.db.dropCollection(collectionName(collection, row.generation));
  }

  private info(row: GenerationDoc | null): GenerationInfo | undefined {
    return row
      ? { generation: row.generation, version: row.version, checkpoint: row.checkpoint }
      : undefined;
  }

  // -- reads ---------------------------------------------------------------------------------

  async get<T extends Document = Document>(collection: string, id: string): Promise<T | undefined> {
    return this.guarded(async () => {
      this.assertOpen();
      const info = this.registry.collection(collection);
      const row = await this.generationIn(info.projection, 'active');
      return (await this.getIn(info, row?.generation, id)) as T | undefined;
    });
  }

  async find<T extends Document = Document>(
    collection: string,
    query?: FindQuery,
  ): Promise<Page<T>> {
    return this.guarded(async () => {
      this.assertOpen();
      const info = this.registry.collection(collection);
      const compiled = compileQuery(info, query);
      const row = await this.generationIn(info.projection, 'active');
      return (await this.findIn(info, row?.generation, compiled)) as Page<T>;
    });
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    return this.guarded(async () => {
      this.assertOpen();
      const info = this.registry.collection(collection);
      const condition = compileFilter(info, filter);
      const row = await this.generationIn(info.projection, 'active');
      if (!row) return 0;
      return this.data(info, row.generation).countDocuments(
        toMongoFilter(condition) as MongoFilter<StoredDoc>,
      );
    });
  }

  private async getIn(
    info: CollectionInfo,
    generation: number | undefined,
    id: string,
    session?: ClientSession,
  ): Promise<Document | undefined> {
    if (generation === undefined) return undefined;
    const stored = await this.data(info, generation).findOne({ _id: id }, { session });
    return stored?.d;
  }

  private async findIn(
    info: CollectionInfo,
    generation: number | undefined,
    compiled: ReturnType<typeof compileQuery>,
  ): Promise<Page> {
    if (generation === undefined) return emptyPage();
    const data = this.data(info, generation);
    const preceding = compiled.precedingFilter;
    const [totalCount, rows, before] = await Promise.all([
      data.countDocuments(toMongoFilter(compiled.filter) as MongoFilter<StoredDoc>),
      data
        .find(toMongoFilter(compiled.pageFilter) as MongoFilter<StoredDoc>)
        .sort(toMongoSort(compiled.sort))
        .limit(compiled.first + 1) // first + 1 >= 1: limit(0) would mean "no limit"
        .toArray(),
      preceding === null
        ? Promise.resolve(null)
        : data.findOne(toMongoFilter(preceding) as MongoFilter<StoredDoc>, {
            projection: { _id: 1 },
          }),
    ]);
    const page = rows.slice(0, compiled.first).map((r) => ({ id: r._id, doc: r.d }));
    return pageOf(compiled, page, rows.length > compiled.first, totalCount, before !== null);
  }

  // -- writes --------------------------------------------------------------------------------

  async commit(
    projection: string,
    changes: readonly Change[],
    checkpoint: number,
    options?: CommitOptions,
  ): Promise<void> {
    return this.guarded(async () => {
      this.assertOpen();
      this.registry.projection(projection);
      const active = await this.ensureActive(projection);
      await this.transaction(async (session) => {
        const row = await this.generations.findOne({ _id: active._id }, { session });
        if (!row || row.state !== 'active') {
          // Swapped or dropped since: the caller re-reads the checkpoint and starts again.
          throw new CheckpointConflictError(
            projection,
            options?.expectedCheckpoint ?? 'an active generation',
            row?.checkpoint ?? NO_CHECKPOINT,
          );
        }
        await this.commitTo(row, changes, checkpoint, options, session);
      });
    });
  }

  private async commitTo(
    row: GenerationDoc,
    changes: readonly Change[],
    checkpoint: number,
    options: CommitOptions | undefined,
    session: ClientSession,
  ): Promise<void> {
    if (!Number.isSafeInteger(checkpoint))
      throw new InvalidChangeError(`Checkpoint must be an integer, got ${checkpoint}`);
    if (
      options?.expectedCheckpoint !== undefined &&
      options.expectedCheckpoint !== row.checkpoint
    ) {
      throw new CheckpointConflictError(row.projection, options.expectedCheckpoint, row.checkpoint);
    }
    if (checkpoint <= row.checkpoint)
      throw new CheckpointConflictError(row.projection, `< ${checkpoint}`, row.checkpoint);

    const stored = new Map<string, Document>();
    for (const [collection, ids] of patchTargets(this.registry, row.projection, changes)) {
      const info = this.registry.collection(collection);
      for (const doc of await this.data(info, row.generation)
        .find({ _id: { $in: ids } }, { session })
        .toArray()) {
        stored.set(`${collection}\u0000${doc._id}`, doc.d);
      }
    }
    const resolved = resolveChanges(this.registry, row.projection, changes, (collection, id) =>
      stored.get(`${collection}\u0000${id}`),
    );

    const operations = new Map<string, AnyBulkWriteOperation<StoredDoc>[]>();
    for (const { collection, id, doc } of resolved) {
      let list = operations.get(collection);
      if (!list) operations.set(collection, (list = []));
      list.push(
        doc === undefined
          ? { deleteOne: { filter: { _id: id } } }
          : { replaceOne: { filter: { _id: id }, replacement: { d: doc }, upsert: true } },
      );
    }
    for (const [collection, list] of operations) {
      await this.data(this.registry.collection(collection), row.generation).bulkWrite(list, {
        session,
        ordered: true,
      });
    }
    const updated = await this.generations.updateOne(
      { _id: row._id, state: row.state, checkpoint: row.checkpoint },
      { $set: { checkpoint } },
      { session },
    );
    if (updated.matchedCount !== 1)
      throw new CheckpointConflictError(row.projection, row.checkpoint, NO_CHECKPOINT);
  }

  async getCheckpoint(projection: string): Promise<number> {
    return this.guarded(async () => {
      this.assertOpen();
      return (await this.generationIn(projection, 'active'))?.checkpoint ?? NO_CHECKPOINT;
    });
  }

  async describe(projection: string): Promise<ProjectionStorageState> {
    return this.guarded(async () => {
      this.assertOpen();
      const rows = await this.generations
        .find({ projection, state: { $in: ['active', 'shadow'] } })
        .toArray();
      return {
        projection,
        active: this.info(rows.find((r) => r.state === 'active') ?? null),
        shadow: this.info(rows.find((r) => r.state === 'shadow') ?? null),
      };
    });
  }

  // -- rebuilds ------------------------------------------------------------------------------

  async beginRebuild(
    projection: string,
    options: BeginRebuildOptions = {},
  ): Promise<RebuildWriter> {
    return this.guarded(async () => {
      this.assertOpen();
      const version = options.version ?? this.registry.projection(projection).version;
      for (const row of await this.generations.find({ projection, state: 'retired' }).toArray())
        await this.dropGeneration(row);
      const existing = await this.generationIn(projection, 'shadow');
      if (existing && !options.fresh && existing.version === version) {
        await this.ensureCollections(existing);
        return this.writer(existing, true);
      }
      if (existing) await this.dropGeneration(existing);
      return this.writer(await this.createGeneration(projection, version, 'shadow'), false);
    });
  }

  private writer(bound: GenerationDoc, resumed: boolean): RebuildWriter {
    const { projection, generation, version } = bound;
    const shadow = async (session?: ClientSession): Promise<GenerationDoc> => {
      this.assertOpen();
      const row = await this.generations.findOne({ _id: bound._id }, { session });
      if (!row || row.state !== 'shadow') throw new RebuildStaleError(projection, generation);
      return row;
    };
    return {
      projection,
      generation,
      version,
      resumed,
      maxChangesPerCommit: MAX_CHANGES_PER_REBUILD_COMMIT,
      getCheckpoint: async () => this.guarded(async () => (await shadow()).checkpoint),
      get: async <T extends Document = Document>(collection: string, id: string) =>
        this.guarded(async () => {
          const info = this.registry.collection(collection);
          await shadow();
          return (await this.getIn(info, generation, id)) as T | undefined;
        }),
      find: async <T extends Document = Document>(collection: string, query?: FindQuery) =>
        this.guarded(async () => {
          const info = this.registry.collection(collection);
          const compiled = compileQuery(info, query);
          await shadow();
          return (await this.findIn(info, generation, compiled)) as Page<T>;
        }),
      commit: (changes, checkpoint, options) =>
        this.guarded(() =>
          this.transaction(async (session) =>
            this.commitTo(await shadow(session), changes, checkpoint, options, session),
          ),
        ),
      swapIn: async () =>
        this.guarded(async () => {
          // Built over the loaded collections before the swap (outside the transaction: index
          // builds on existing collections may not run in one).
          const loaded = await shadow();
          for (const info of this.registry.collectionsOf(projection))
            if (loaded.collections.includes(info.name)) await this.ensureIndexes(info, generation);
          await this.transaction(async (session) => {
            await shadow(session);
            await this.generations.updateMany(
              { projection, state: 'active' },
              { $set: { state: 'retired' } },
              { session },
            );
            await this.generations.updateOne(
              { _id: bound._id, state: 'shadow' },
              { $set: { state: 'active' } },
              { session },
            );
          });
        }),
      abandon: async () => this.guarded(async () => this.dropGeneration(await shadow())),
    };
  }

  async drop(projection: string): Promise<void> {
    return this.guarded(async () => {
      this.assertOpen();
      for (const row of await this.generations.find({ projection }).toArray())
        await this.dropGeneration(row);
    });
  }

  // -- lifecycle -----------------------------------------------------------------------------

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.db.command({ ping: 1 });
    } catch (error) {
      throw new ReadModelUnavailableError(`MongoDB ping failed: ${String(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.client.close();
  }

  /**
   * One transaction, retried by the driver on transient errors (write conflicts, failovers):
   * callbacks re-read everything they decide on, so a retry is safe.
   */
  private async transaction(work: (session: ClientSession) => Promise<void>): Promise<void> {
    const session = this.client.startSession();
    try {
      await session.withTransaction(() => work(session), {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority' },
        readPreference: 'primary',
      });
    } finally {
      await session.endSession();
    }
  }

  /** Runs a public operation; a server that cannot be reached now becomes ReadModelUnavailableError. */
  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mongoUnavailable(error) ?? error;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadModelUnavailableError('Read-model store is closed');
  }
}

/**
 * About how many changes one commit of a rebuild should carry: a MongoDB transaction must finish
 * within the server's lifetime limit (transactionLifetimeLimitSeconds, 60 s by default) and fit in
 * a share of the WiredTiger cache, where the embedded store takes a rebuild's 200,000 events at once.
 */
const MAX_CHANGES_PER_REBUILD_COMMIT = 5_000;

/** Server error codes of a replica set changing primary or shutting down: the next try may succeed. */
const UNAVAILABLE_SERVER_CODES = new Set([
  6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436,
]);

/**
 * A ReadModelUnavailableError for a driver error that says the server cannot serve now (network,
 * no primary selectable, failover, shutdown; the driver's own retryable labels), else undefined:
 * the projections try again on it instead of stopping.
 */
export function mongoUnavailable(error: unknown): ReadModelUnavailableError | undefined {
  if (error instanceof ReadModelUnavailableError || !(error instanceof MongoError))
    return undefined;
  const transient =
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError ||
    ['RetryableWriteError', 'TransientTransactionError', 'ResetPool'].some((label) =>
      error.hasErrorLabel(label),
    ) ||
    (error instanceof MongoServerError &&
      typeof error.code === 'number' &&
      UNAVAILABLE_SERVER_CODES.has(error.code));
  return transient
    ? new ReadModelUnavailableError(`MongoDB unavailable: ${error.message}`, { cause: error })
    : undefined;
}
