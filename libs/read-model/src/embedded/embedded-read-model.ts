import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { getPath, normalizedWithJson, resolveChanges } from '../core/documents';
import { compileFilter, compileQuery, pageOf, type Condition } from '../core/query';
import { SchemaRegistry, type CollectionInfo, type FieldInfo } from '../core/schema-registry';
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
  type JsonValue,
  type Page,
  type ProjectionSchema,
  type ProjectionStorageState,
  type ReadModelStore,
  type RebuildWriter,
} from '../read-model.port';
import { columnName, extractExpression, fieldExpression, icontains, toOrderBy, toSql, type SqlParam } from './sql';

export interface EmbeddedReadModelOptions {
  /** Directory of `read-model.sqlite` (created if missing). */
  readonly dataDir?: string;
  /** Explicit file (wins over dataDir); `:memory:` for throwaway stores. */
  readonly filename?: string;
  readonly projections?: readonly ProjectionSchema[];
  /** Default NORMAL: with WAL, durable across a process crash; data and checkpoint roll back together. */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
}

type GenerationState = 'active' | 'shadow' | 'retired';

interface WriteStatements {
  /** The declared fields (id excluded), in the order of `upsertFields`' parameters. */
  readonly declared: readonly FieldInfo[];
  readonly upsertDoc: Database.Statement;
  readonly upsertFields: Database.Statement;
  readonly deleteDoc: Database.Statement;
  readonly deleteFields: Database.Statement;
}

interface GenerationRow {
  projection: string;
  generation: number;
  version: number;
  state: GenerationState;
  checkpoint: number;
  collections: string;
}

/** A collection's fields table: narrow rows (id and the declared fields), what queries scan. */
const tableName = (collection: string, generation: number): string =>
  `r_${collection}_g${generation}`;
/** A collection's documents, read by id once a query knows which it needs. */
const docTableName = (collection: string, generation: number): string =>
  `${tableName(collection, generation)}__docs`;
const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Embedded read model: better-sqlite3, one file, WAL. A projection's generation holds, per
 * collection, a narrow fields table `r_<collection>_g<generation>` (id and one column per
 * declared field, each indexed with the id) and its documents table (id, JSON text).
 * Filters, sorts and counts read only the narrow rows — a table of 10,000 portfolio rows is
 * a few hundred pages, not 10,000 — and a page's documents are then read by id.
 * `rm_generations` holds each generation's state and checkpoint, written in the same
 * transaction as the documents.
 */
export class EmbeddedReadModelStore implements ReadModelStore {
  private readonly registry = new SchemaRegistry();
  private readonly statements = new Map<string, Database.Statement>();
  /** Prepared writes by collection and generation; cleared when tables change (see ensureTables, dropGeneration). */
  private readonly writes = new Map<string, WriteStatements>();
  private closed = false;

  /** One read transaction function, made once: better-sqlite3 builds four wrappers per `transaction()`. */
  private readonly inReadTransaction: <T>(read: () => T) => T;

  private constructor(private readonly db: Database.Database) {
    const transaction = db.transaction((read: () => unknown) => read());
    this.inReadTransaction = <T>(read: () => T): T => transaction(read) as T;
  }

  static open(options: EmbeddedReadModelOptions): EmbeddedReadModelStore {
    let filename = options.filename;
    if (filename === undefined) {
      if (options.dataDir === undefined)
        throw new Error('EmbeddedReadModelStore: give dataDir or filename');
      mkdirSync(options.dataDir, { recursive: true });
      filename = join(options.dataDir, 'read-model.sqlite');
    }
    const db = new Database(filename);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.function('ppl_icontains', { deterministic: true }, icontains);
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_generations (
        projection TEXT NOT NULL,
        generation INTEGER NOT NULL,
        version INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'shadow', 'retired')),
        checkpoint INTEGER NOT NULL DEFAULT -1,
        collections TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (projection, generation)
      );
      CREATE UNIQUE INDEX IF NOT EXISTS rm_generations_one_active ON rm_generations (projection) WHERE state = 'active';
      CREATE TABLE IF NOT EXISTS rm_generation_sequence (projection TEXT NOT NULL PRIMARY KEY, last INTEGER NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS rm_generations_one_shadow ON rm_generations (projection) WHERE state = 'shadow';
    `);
    const store = new EmbeddedReadModelStore(db);
    for (const schema of options.projections ?? []) store.registerSync(schema);
    return store;
  }

  // -- schema --------------------------------------------------------------------------------

  registerProjection(schema: ProjectionSchema): Promise<void> {
    return this.run(() => this.registerSync(schema));
  }

  private registerSync(schema: ProjectionSchema): void {
    this.registry.register(schema);
    this.db
      .transaction(() => {
        for (const row of this.generations(schema.name)) {
          if (row.state !== 'retired') this.ensureTables(row);
        }
      })
      .immediate();
  }

  /**
   * Create the tables the registered schema needs in this generation (idempotent), and their
   * indexes unless it is a shadow: a rebuild fills its tables without secondary indexes (a
   * row per event of the audit timeline would otherwise update six B-trees at random places);
   * `swapIn` builds them once, sorting each column, before the generation becomes active.
   */
  private ensureTables(row: GenerationRow): void {
    this.writes.clear();
    const names = new Set(JSON.parse(row.collections) as string[]);
    for (const info of this.registry.collectionsOf(row.projection)) {
      const table = tableName(info.name, row.generation);
      const docs = docTableName(info.name, row.generation);
      const declared = info.indexed.filter((field) => !field.isId);
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${quote(table)} (id TEXT NOT NULL PRIMARY KEY${declared
          .map((field) => `, ${quote(columnName(field))}`)
          .join('')}) WITHOUT ROWID`,
      );
      // WITHOUT ROWID: one B-tree keyed by id (a rowid table adds an index of its text key).
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${quote(docs)} (id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID`);
      // A field declared after the table was made: add its column and fill it from the documents.
      const columns = new Set(
        (this.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name),
      );
      for (const field of declared) {
        if (!columns.has(columnName(field))) {
          this.db.exec(`ALTER TABLE ${quote(table)} ADD COLUMN ${quote(columnName(field))}`);
          this.db.exec(
            `UPDATE ${quote(table)} SET ${quote(columnName(field))} = (SELECT ${extractExpression(field)} FROM ${quote(docs)} AS d WHERE d.id = ${quote(table)}.id)`,
          );
        }
      }
      if (row.state !== 'shadow') this.ensureIndexes(info, row.generation);
      names.add(info.name);
    }
    this.db
      .prepare('UPDATE rm_generations SET collections = ? WHERE projection = ? AND generation = ?')
      .run(JSON.stringify([...names].sort()), row.projection, row.generation);
  }

  /** A collection's secondary indexes, one per declared field: `(column, id)` (idempotent). */
  private ensureIndexes(info: CollectionInfo, generation: number): void {
    const table = tableName(info.name, generation);
    for (const field of info.indexed) {
      this.db.exec(
        `CREATE INDEX IF NOT EXISTS ${quote(indexName(table, field))} ON ${quote(table)} (${fieldExpression(field)}, id)`,
      );
    }
  }

  // -- generations ---------------------------------------------------------------------------

  private generations(projection: string): GenerationRow[] {
    return this.statement(
      'SELECT * FROM rm_generations WHERE projection = ? ORDER BY generation',
    ).all(projection) as GenerationRow[];
  }

  private generationIn(projection: string, state: 'active' | 'shadow'): GenerationRow | undefined {
    return this.statement('SELECT * FROM rm_generations WHERE projection = ? AND state = ?').get(
      projection,
      state,
    ) as GenerationRow | undefined;
  }

  private generationRow(projection: string, generation: number): GenerationRow | undefined {
    return this.statement(
      'SELECT * FROM rm_generations WHERE projection = ? AND generation = ?',
    ).get(projection, generation) as GenerationRow | undefined;
  }

  private createGeneration(
    projection: string,
    version: number,
    state: 'active' | 'shadow',
  ): GenerationRow {
    // Generation numbers are never reused, so a writer bound to a dropped shadow stays stale.
    const { next } = this.statement(
      `INSERT INTO rm_generation_sequence (projection, last) VALUES (?, 1)
       ON CONFLICT (projection) DO UPDATE SET last = last + 1 RETURNING last AS next`,
    ).get(projection) as { next: number };
    const row: GenerationRow = {
      projection,
      generation: next,
      version,
      state,
      checkpoint: NO_CHECKPOINT,
      collections: '[]',
    };
    this.statement(
      'INSERT INTO rm_generations (projection, generation, version, state, checkpoint, collections, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(projection, next, version, state, NO_CHECKPOINT, '[]', new Date().toISOString());
    this.ensureTables(row);
    return row;
  }

  private dropGeneration(row: GenerationRow): void {
    this.writes.clear();
    for (const collection of JSON.parse(row.collections) as string[]) {
      this.db.exec(`DROP TABLE IF EXISTS ${quote(tableName(collection, row.generation))}`);
      this.db.exec(`DROP TABLE IF EXISTS ${quote(docTableName(collection, row.generation))}`);
    }
    this.statement('DELETE FROM rm_generations WHERE projection = ? AND generation = ?').run(
      row.projection,
      row.generation,
    );
  }

  private info(row: Pick<GenerationRow, 'generation' | 'version' | 'checkpoint'> | undefined): GenerationInfo | undefined {
    return row && { generation: row.generation, version: row.version, checkpoint: row.checkpoint };
  }

  // -- reads ---------------------------------------------------------------------------------

  get<T extends Document = Document>(collection: string, id: string): Promise<T | undefined> {
    return this.run(
      () =>
        this.inReadTransaction(() =>
          this.getIn(this.registry.collection(collection), this.activeGeneration(collection), id),
        ) as T | undefined,
    );
  }

  find<T extends Document = Document>(collection: string, query?: FindQuery): Promise<Page<T>> {
    return this.run(
      () =>
        this.inReadTransaction(() =>
          this.findIn(
            this.registry.collection(collection),
            this.activeGeneration(collection),
            query,
            true,
          ),
        ) as Page<T>,
    );
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return this.run(() =>
      this.inReadTransaction(() =>
        this.countIn(
          this.registry.collection(collection),
          this.activeGeneration(collection),
          filter,
        ),
      ),
    );
  }

  private activeGeneration(collection: string): number | undefined {
    return this.statement("SELECT generation FROM rm_generations WHERE projection = ? AND state = 'active'")
      .pluck()
      .get(this.registry.collection(collection).projection) as number | undefined;
  }

  private getIn(
    info: CollectionInfo,
    generation: number | undefined,
    id: string,
  ): Document | undefined {
    if (generation === undefined) return undefined;
    const doc = this.statement(`SELECT doc FROM ${quote(docTableName(info.name, generation))} WHERE id = ?`)
      .pluck()
      .get(id) as string | undefined;
    return doc === undefined ? undefined : (JSON.parse(doc) as Document);
  }

  private countIn(
    info: CollectionInfo,
    generation: number | undefined,
    filter: Filter | undefined,
  ): number {
    const condition = compileFilter(info, filter);
    if (generation === undefined) return 0;
    const params: SqlParam[] = [];
    const table = quote(tableName(info.name, generation));
    const where = toSql(condition, params, table);
    const row = this.statement(
      `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`,
    ).get(...params) as {
      n: number;
    };
    return row.n;
  }

  /** `indexed`: the generation has its secondary indexes (a shadow has none until swapIn). */
  private findIn(
    info: CollectionInfo,
    generation: number | undefined,
    query: FindQuery | undefined,
    indexed: boolean,
  ): Page<Document> {
    const compiled = compileQuery(info, query);
    if (generation === undefined) return emptyPage();
    const table = quote(tableName(info.name, generation));
    const countParams: SqlParam[] = [];
    const countWhere = toSql(compiled.filter, countParams, table);
    const { n } = this.statement(`SELECT COUNT(*) AS n FROM ${table} WHERE ${countWhere}`).get(
      ...countParams,
    ) as { n: number };
    const params: SqlParam[] = [];
    const where = toSql(compiled.pageFilter, params, table);
    // Plan by the count just taken: when many rows match, walk the first sort key's index in
    // order and stop after a page (a few rows read per result); when few match, find them by
    // the filter's index and sort those. SQLite alone would sort every match of a broad filter.
    const lead = compiled.sort[0]?.field;
    const walkSortIndex = indexed && lead !== undefined && !lead.isId && n > SORT_INDEX_WALK_ABOVE;
    const indexedBy = walkSortIndex ? ` INDEXED BY ${quote(indexName(tableName(info.name, generation), lead))}` : '';
    const ids = this.statement(
      `SELECT id FROM ${table}${indexedBy} WHERE ${where} ORDER BY ${toOrderBy(compiled.sort)} LIMIT ?`,
    ).all(...params, compiled.first + 1) as { id: string }[];
    // Read the page's documents by primary key once the page is known (sorting carries ids).
    const pageIds = ids.slice(0, compiled.first);
    const docs = new Map(
      (this.statement(`SELECT id, doc FROM ${quote(docTableName(info.name, generation))} WHERE id IN (SELECT value FROM json_each(?))`).all(
        JSON.stringify(pageIds.map((r) => r.id)),
      ) as { id: string; doc: string }[]).map((r) => [r.id, r.doc]),
    );
    const rows = pageIds.map((r) => ({ id: r.id, doc: JSON.parse(docs.get(r.id) as string) as Document }));
    const behind = compiled.precedingFilter !== null && this.anyMatch(table, compiled.precedingFilter);
    return pageOf(compiled, rows, ids.length > compiled.first, n, behind);
  }

  /** Whether any row of the fields table matches (one row read at most). */
  private anyMatch(table: string, condition: Condition): boolean {
    const params: SqlParam[] = [];
    const where = toSql(condition, params, table);
    return this.statement(`SELECT 1 FROM ${table} WHERE ${where} LIMIT 1`).get(...params) !== undefined;
  }

  // -- writes --------------------------------------------------------------------------------

  commit(
    projection: string,
    changes: readonly Change[],
    checkpoint: number,
    options?: CommitOptions,
  ): Promise<void> {
    return this.run(() =>
      this.db
        .transaction(() => {
          const schema = this.registry.projection(projection);
          const row =
            this.generationIn(projection, 'active') ??
            this.createGeneration(projection, schema.version, 'active');
          this.commitTo(row, changes, checkpoint, options);
        })
        .immediate(),
    );
  }

  private commitTo(
    row: GenerationRow,
    changes: readonly Change[],
    checkpoint: number,
    options: CommitOptions | undefined,
  ): void {
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
    // Puts are normalised one at a time as they are written (this runs in a transaction: a bad
    // document rolls the whole commit back), so their JSON texts do not all live at once.
    const resolved = resolveChanges(
      this.registry,
      row.projection,
      changes,
      (collection, id) => this.getIn(this.registry.collection(collection), row.generation, id),
      true,
    );
    // One final document per key: written in key order, a large commit (a rebuild's) appends to
    // each table's B-tree instead of inserting at random places (about five times faster).
    resolved.sort((a, b) => (a.collection < b.collection ? -1 : a.collection > b.collection ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const byCollection = new Map<string, WriteStatements>();
    for (const { collection, id, doc, put } of resolved) {
      let writes = byCollection.get(collection);
      if (!writes) byCollection.set(collection, (writes = this.writeStatements(collection, row.generation)));
      if (put !== undefined) {
        const normalized = normalizedWithJson(this.registry.collection(collection), id, put);
        writes.upsertDoc.run(id, normalized.json);
        writes.upsertFields.run(id, ...fieldValues(writes.declared, normalized.doc));
        continue;
      }
      if (doc === undefined) {
        writes.deleteFields.run(id);
        writes.deleteDoc.run(id);
        continue;
      }
      writes.upsertDoc.run(id, JSON.stringify(doc));
      writes.upsertFields.run(id, ...fieldValues(writes.declared, doc));
    }
    this.statement(
      'UPDATE rm_generations SET checkpoint = ? WHERE projection = ? AND generation = ?',
    ).run(checkpoint, row.projection, row.generation);
  }

  /** The prepared writes of a collection's generation (built once, not per document). */
  private writeStatements(collection: string, generation: number): WriteStatements {
    const key = `${collection}\u0000${generation}`;
    let writes = this.writes.get(key);
    if (!writes) {
      const table = quote(tableName(collection, generation));
      const docs = quote(docTableName(collection, generation));
      const declared = this.registry.collection(collection).indexed.filter((field) => !field.isId);
      const names = declared.map((field) => quote(columnName(field)));
      writes = {
        declared,
        upsertDoc: this.db.prepare(`INSERT INTO ${docs} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`),
        // The fields' values are computed from the document object (see fieldValues), not by
        // json_extract over its text: one parse of a large document per declared field.
        upsertFields: this.db.prepare(
          `INSERT INTO ${table} (id${names.map((n) => `, ${n}`).join('')}) VALUES (?${names
            .map(() => ', ?')
            .join('')}) ON CONFLICT (id) DO ${
            names.length > 0 ? `UPDATE SET ${names.map((n) => `${n} = excluded.${n}`).join(', ')}` : 'NOTHING'
          }`,
        ),
        deleteDoc: this.db.prepare(`DELETE FROM ${docs} WHERE id = ?`),
        deleteFields: this.db.prepare(`DELETE FROM ${table} WHERE id = ?`),
      };
      this.writes.set(key, writes);
    }
    return writes;
  }

  getCheckpoint(projection: string): Promise<number> {
    return this.run(() => this.generationIn(projection, 'active')?.checkpoint ?? NO_CHECKPOINT);
  }

  describe(projection: string): Promise<ProjectionStorageState> {
    return this.run(() =>
      this.inReadTransaction(() => {
        const rows = this.statement(
          "SELECT generation, version, checkpoint, state FROM rm_generations WHERE projection = ? AND state IN ('active', 'shadow')",
        ).all(projection) as Pick<GenerationRow, 'generation' | 'version' | 'checkpoint' | 'state'>[];
        return {
          projection,
          active: this.info(rows.find((row) => row.state === 'active')),
          shadow: this.info(rows.find((row) => row.state === 'shadow')),
        };
      }),
    );
  }

  // -- rebuilds ------------------------------------------------------------------------------

  beginRebuild(projection: string, options: BeginRebuildOptions = {}): Promise<RebuildWriter> {
    return this.run(() =>
      this.db
        .transaction(() => {
          const version = options.version ?? this.registry.projection(projection).version;
          for (const row of this.generations(projection))
            if (row.state === 'retired') this.dropGeneration(row);
          const existing = this.generationIn(projection, 'shadow');
          if (existing && !options.fresh && existing.version === version) {
            this.ensureTables(existing);
            return this.writer(existing, true);
          }
          if (existing) this.dropGeneration(existing);
          return this.writer(this.createGeneration(projection, version, 'shadow'), false);
        })
        .immediate(),
    );
  }

  private writer(row: GenerationRow, resumed: boolean): RebuildWriter {
    const { projection, generation, version } = row;
    const shadow = (): GenerationRow => {
      const current = this.generationRow(projection, generation);
      if (!current || current.state !== 'shadow')
        throw new RebuildStaleError(projection, generation);
      return current;
    };
    return {
      projection,
      generation,
      version,
      resumed,
      getCheckpoint: () => this.run(() => shadow().checkpoint),
      get: <T extends Document = Document>(collection: string, id: string) =>
        this.run(
          () =>
            this.inReadTransaction(
              () => (shadow(), this.getIn(this.registry.collection(collection), generation, id)),
            ) as T | undefined,
        ),
      find: <T extends Document = Document>(collection: string, query?: FindQuery) =>
        this.run(
          () =>
            this.inReadTransaction(
              () => (
                shadow(),
                this.findIn(this.registry.collection(collection), generation, query, false)
              ),
            ) as Page<T>,
        ),
      commit: (changes, checkpoint, options) =>
        this.run(() =>
          this.db
            .transaction(() => this.commitTo(shadow(), changes, checkpoint, options))
            .immediate(),
        ),
      swapIn: () =>
        this.run(() =>
          this.db
            .transaction(() => {
              const row = shadow();
              // Built once over the filled tables (a shadow is written without them).
              for (const info of this.registry.collectionsOf(projection))
                if ((JSON.parse(row.collections) as string[]).includes(info.name))
                  this.ensureIndexes(info, generation);
              this.statement(
                "UPDATE rm_generations SET state = 'retired' WHERE projection = ? AND state = 'active'",
              ).run(projection);
              this.statement(
                "UPDATE rm_generations SET state = 'active' WHERE projection = ? AND generation = ?",
              ).run(projection, generation);
            })
            .immediate(),
        ),
      abandon: () =>
        this.run(() => this.db.transaction(() => this.dropGeneration(shadow())).immediate()),
    };
  }

  drop(projection: string): Promise<void> {
    return this.run(() =>
      this.db
        .transaction(() => {
          for (const row of this.generations(projection)) this.dropGeneration(row);
        })
        .immediate(),
    );
  }

  // -- lifecycle -----------------------------------------------------------------------------

  ping(): Promise<void> {
    return this.run(() => {
      this.db.prepare('SELECT 1').get();
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.statements.clear();
      this.writes.clear();
      this.db.close();
    }
    return Promise.resolve();
  }

  /** better-sqlite3 is synchronous: run, and turn a throw into a rejected promise. */
  private run<T>(work: () => T): Promise<T> {
    if (this.closed)
      return Promise.reject(new ReadModelUnavailableError('Read-model store is closed'));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(unavailable(error) ?? (error instanceof Error ? error : new Error(String(error))));
    }
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size > 1000) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** SQLite result codes for a file that cannot serve now (locked, I/O, full, unreadable), as the event store counts them. */
const UNAVAILABLE_CODE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL|PERM)/;

/** A ReadModelUnavailableError for such an error (the projections try again on it), else undefined. */
function unavailable(error: unknown): ReadModelUnavailableError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !UNAVAILABLE_CODE.test(code)) return undefined;
  return new ReadModelUnavailableError(`SQLite read model unavailable: ${(error as Error).message}`, { cause: error });
}

/** Above this many matches a page is read by walking the sort key's index (see findIn). */
const SORT_INDEX_WALK_ABOVE = 2000;

/**
 * A declared field's column values, as SQLite's json_extract reads them from the document's
 * JSON text (the document is normalised: JSON values only): strings and numbers as they are
 * (integers as INTEGER), booleans 1/0, arrays as their JSON text, missing or null as NULL.
 */
function fieldValues(declared: readonly FieldInfo[], doc: Document): SqlValue[] {
  const values = new Array<SqlValue>(declared.length);
  for (let i = 0; i < declared.length; i++) {
    values[i] = toSqlValue(getPath(doc, declared[i].path));
  }
  return values;
}

type SqlValue = string | number | bigint | null;

function toSqlValue(value: JsonValue | undefined): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  // better-sqlite3 binds a number as REAL; json_extract gives an integer (and true/false) as INTEGER.
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  return JSON.stringify(value);
}

/** The index of a declared field: `(column, id)`, which also serves sorting by it. */
function indexName(table: string, field: FieldInfo): string {
  return `${table}__${field.path.replace(/\./g, '_')}`;
}
