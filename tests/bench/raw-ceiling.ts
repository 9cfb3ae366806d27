import Database from 'better-sqlite3';
import type { NewEvent } from '../../libs/event-store/src';
import { prepareConnection, type SqliteDurability } from '../../libs/event-store/src/sqlite/schema';
import { uuidToBytes } from '../../libs/event-store/src/uuid-bytes';

const PLACEHOLDER_HASH = 'f'.repeat(64);

/**
 * The ceiling the SQLite adapter is compared with: hand-written better-sqlite3 on the same
 * schema (same tables, indexes, pragmas, durability), one transaction per append with the
 * revision check, JSON serialisation of the same events, and nothing else: no hashing, no
 * batching, no promises, no idempotency handling. A constant stands in for the hash column.
 */
export class RawAppender {
  private readonly db: Database.Database;
  private readonly appendInTransaction: Database.Transaction<
    (streamId: string, events: readonly NewEvent[], expected: number) => number
  >;

  constructor(path: string, durability: SqliteDurability) {
    this.db = new Database(path);
    prepareConnection(this.db, { durability, cacheSizeMiB: 64, busyTimeoutMs: 5000 });
    const select = this.db.prepare<[string], { last_revision: number }>(
      'SELECT last_revision, last_position, last_hash FROM streams WHERE stream_id = ?',
    );
    const insert = this.db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertStream = this.db.prepare(
      'INSERT INTO streams (stream_id, last_revision, last_position, last_hash) VALUES (?, ?, ?, ?)',
    );
    const updateStream = this.db.prepare(
      'UPDATE streams SET last_revision = ?, last_position = ?, last_hash = ? WHERE stream_id = ?',
    );
    this.appendInTransaction = this.db.transaction((streamId: string, events: readonly NewEvent[], expected: number) => {
      const row = select.get(streamId);
      const actual = row ? row.last_revision : -1;
      if (actual !== expected) throw new Error(`conflict on ${streamId}: expected ${expected}, actual ${actual}`);
      const recordedAt = new Date().toISOString();
      let revision = actual;
      let position = 0;
      for (const event of events) {
        revision++;
        const info = insert.run(
          streamId,
          revision,
          uuidToBytes(event.id),
          event.type,
          event.schemaVersion,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          recordedAt,
          PLACEHOLDER_HASH,
        );
        position = Number(info.lastInsertRowid);
      }
      if (row) updateStream.run(revision, position, PLACEHOLDER_HASH, streamId);
      else insertStream.run(streamId, revision, position, PLACEHOLDER_HASH);
      return revision;
    });
  }

  /** `expected` is the stream's last revision, -1 for a new stream. Returns the new last revision. */
  append(streamId: string, events: readonly NewEvent[], expected: number): number {
    return this.appendInTransaction.immediate(streamId, events, expected);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The read ceiling: the same SELECT of the global order, rows as arrays (better-sqlite3's raw
 * mode, its cheapest form), plus JSON.parse of data and metadata.
 */
export function rawReadAll(path: string, pageSize: number, onEvent: (event: unknown) => void): number {
  const db = new Database(path, { readonly: true });
  try {
    const page = db
      .prepare<[number, number], [number, string, number, Buffer, string, number, string, string, string, string]>(
        'SELECT position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
      )
      .raw(true);
    let after = 0;
    let count = 0;
    for (;;) {
      const rows = page.all(after, pageSize);
      if (rows.length === 0) return count;
      for (const row of rows) {
        onEvent({ row, data: JSON.parse(row[6]) as unknown, metadata: JSON.parse(row[7]) as unknown });
      }
      count += rows.length;
      after = rows[rows.length - 1][0];
    }
  } finally {
    db.close();
  }
}
