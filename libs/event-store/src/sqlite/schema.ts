import type Database from 'better-sqlite3';

/**
 * Storage layout of the embedded event store (PRAGMA user_version 1).
 *
 * - `events.position` is the INTEGER PRIMARY KEY, i.e. SQLite's rowid: the table is a B-tree
 *   clustered on the one global order, so appends always go to its right-hand edge and reading
 *   the global order is a sequential scan. Positions start at 1 (0 and -1 both mean "before the
 *   first event").
 * - UNIQUE (stream_id, revision) is the optimistic-concurrency backstop and the index behind
 *   readStream.
 * - Event ids are stored as 16-byte BLOBs with a UNIQUE index. Measured here, a unique index on
 *   random-looking keys (our ids are UUID v5 of command ids) costs more and more per insert as it
 *   outgrows the page cache, while time-ordered keys stay flat. We keep the unique index (it is
 *   what makes a retried command detectable with 'any' and ids unique store-wide) but make it as
 *   cheap as it can be: 16-byte keys instead of 36-character text (an index entry of ~26 bytes,
 *   so ~150 per 4 KiB page instead of ~90), and a page cache sized to hold it (`cacheSizeMiB`).
 *   The append path never reads it: the fast path relies on the (stream, revision) check and
 *   lets the UNIQUE constraint report a duplicate id; only then is the id looked up to decide
 *   between "idempotent retry" and "error".
 * - `streams` holds each stream's last revision, position and hash: the revision check and the
 *   stream link of the hash chain are one primary-key lookup (WITHOUT ROWID: clustered on the id).
 * - data and metadata are canonical JSON text (keys sorted, see hash-chain.ts); recorded_at an
 *   ISO-8601 string; hash hex sha256.
 * - The audit timeline (the auditors' search by type, actor and recording time, in global order)
 *   is answered from this table itself, so it has one index per filter, each ending in the
 *   position (`AUDIT_INDEXES`; a stream filter uses `events_stream_revision`). A store created
 *   before them gets them when it is opened (`ensureAuditIndexes`, once; over a large store it
 *   takes seconds, and says so). They are plain secondary indexes: code that predates them reads
 *   and writes the file unchanged, so the layout version stays 1.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  stream_id      TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  event_id       BLOB    NOT NULL,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  hash           TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id);
CREATE TABLE IF NOT EXISTS streams (
  stream_id     TEXT    NOT NULL PRIMARY KEY,
  last_revision INTEGER NOT NULL,
  last_position INTEGER NOT NULL,
  last_hash     TEXT    NOT NULL
) WITHOUT ROWID;
`;

/** The actor id of an event, as the audit timeline filters it (the expression of its index). */
export const ACTOR_ID_SQL = "json_extract(metadata, '$.actor.id')";

/** The audit timeline's indexes on `events` (name → definition). */
export const AUDIT_INDEXES: Readonly<Record<string, string>> = {
  events_type_position: 'events (type, position)',
  events_actor_position: `events (${ACTOR_ID_SQL}, position)`,
  events_recorded_at_position: 'events (recorded_at, position)',
};

const AUDIT_INDEX_SQL = Object.entries(AUDIT_INDEXES)
  .map(([name, definition]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${definition};`)
  .join('\n');

/**
 * How long opening waits for another process that holds the write lock while it builds the
 * indexes (about 3.4 s per million events here): far past any ordinary busy timeout.
 */
export const INDEX_BUILD_WAIT_MS = 30 * 60_000;

/**
 * Builds the audit indexes a store file lacks (one created before them), in one write
 * transaction; tells `log` before and after when there are events to index. Returns the names
 * of the indexes built. When another process is building them at the same moment (it holds the
 * write lock), this says so and waits for it up to `waitMs`, then finds them built.
 */
export function ensureAuditIndexes(
  db: Database.Database,
  log: (message: string) => void = logToStderr,
  waitMs: number = INDEX_BUILD_WAIT_MS,
): string[] {
  const missing = missingAuditIndexes(db);
  if (missing.length === 0) return [];
  const events = Number((db.prepare('SELECT max(position) AS head FROM events').get() as { head: number | null }).head ?? 0);
  const started = Date.now();
  let built: string[] = [];
  const build = db.transaction(() => {
    built = missingAuditIndexes(db);
    if (built.length > 0 && events > 0) log(`event store ${db.name}: building the audit timeline's indexes (${built.join(', ')}) over ${events} events, once; this takes a few seconds per million events`);
    for (const name of built) db.exec(`CREATE INDEX ${name} ON ${AUDIT_INDEXES[name]}`);
  });
  try {
    build.immediate();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
    log(`event store ${db.name}: another process holds the write lock (it may be building the same indexes); waiting for it up to ${Math.round(waitMs / 60_000)} min`);
    const previous = Number(db.pragma('busy_timeout', { simple: true }));
    db.pragma(`busy_timeout = ${Math.trunc(waitMs)}`);
    try {
      build.immediate();
    } finally {
      db.pragma(`busy_timeout = ${previous}`);
    }
  }
  if (built.length > 0 && events > 0) log(`event store ${db.name}: audit timeline indexes built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return built;
}

function missingAuditIndexes(db: Database.Database): string[] {
  const present = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").all() as { name: string }[]).map((r) => r.name),
  );
  return Object.keys(AUDIT_INDEXES).filter((name) => !present.has(name));
}

function logToStderr(message: string): void {
  process.stderr.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: message })}\n`);
}

/**
 * Durability, i.e. SQLite's `synchronous` in WAL mode:
 * - 'normal': a commit is written to the WAL file (the OS page cache) before the append is
 *   acknowledged; the WAL is fsynced at checkpoints only. Survives a process crash or kill -9
 *   (the kernel still holds the written pages). An OS crash or power loss may lose the last
 *   acknowledged commits (never corrupts: the WAL is checksummed, the file rolls back to the
 *   last synced commit).
 * - 'full': the WAL is fsynced at every commit before the append is acknowledged. Survives
 *   process crash, kill -9, OS crash and power loss (as far as the disk honours fsync).
 *   Batching amortises the fsync over all appends issued in the same tick.
 */
export type SqliteDurability = 'normal' | 'full';

export interface ConnectionSettings {
  readonly durability: SqliteDurability;
  readonly cacheSizeMiB: number;
  readonly busyTimeoutMs: number;
  /** Where opening says that it builds missing indexes. Default: a JSON line on stderr. */
  readonly log?: (message: string) => void;
}

/** Pragmas and schema; shared with the benchmark's raw ceiling so both run the same setup. */
export function prepareConnection(db: Database.Database, settings: ConnectionSettings): void {
  db.pragma(`busy_timeout = ${Math.trunc(settings.busyTimeoutMs)}`);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal') throw new Error(`SQLite refused WAL journal mode (got ${String(mode)})`);
  db.pragma(`synchronous = ${settings.durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`cache_size = ${-Math.trunc(settings.cacheSizeMiB * 1024)}`);
  db.pragma('temp_store = MEMORY');
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new Error(`Event store schema version ${version} is newer than this code (${SCHEMA_VERSION})`);
  }
  if (version < SCHEMA_VERSION) {
    db.transaction(() => {
      db.exec(SCHEMA_SQL);
      db.exec(AUDIT_INDEX_SQL);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  }
  ensureAuditIndexes(db, settings.log);
}
