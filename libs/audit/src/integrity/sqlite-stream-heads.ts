import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { StreamHead } from './verify-integrity';

/**
 * The embedded store's index of each stream's last revision and hash (its `streams` table),
 * read-only: the witness that lets `verifyIntegrity` tell a stream whose newest events were
 * deleted from one that simply ends there. Specific to the SQLite adapter's file layout.
 */
export function readSqliteStreamHeads(file: string): StreamHead[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT stream_id, last_revision, last_hash FROM streams ORDER BY stream_id')
      .all() as {
      stream_id: string;
      last_revision: number;
      last_hash: string;
    }[];
    return rows.map((r) => ({
      streamId: r.stream_id,
      lastRevision: r.last_revision,
      lastHash: r.last_hash,
    }));
  } finally {
    db.close();
  }
}
