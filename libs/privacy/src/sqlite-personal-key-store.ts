import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersonalKeyStore, StoredPersonalKey } from './personal-key-store.port';
import { newPersonalKey } from './sealed-value';

type Row = { person_id: string; key_id: string; key: Buffer };
const toKey = (row: Row): StoredPersonalKey => ({ personId: row.person_id, keyId: row.key_id, key: row.key });

/**
 * Embedded key store: `DATA_DIR/privacy/keys.sqlite`. `secure_delete` overwrites a deleted key's
 * bytes in the database file, and a destroy ends with a WAL checkpoint (TRUNCATE), so the key is
 * gone from the files on disk, not only from the table. Several processes may share the file.
 */
export class SqlitePersonalKeyStore implements PersonalKeyStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], Row>;
  private readonly selectById: Database.Statement<[string], Row>;
  private readonly insert: Database.Statement<[string, string, Buffer]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS personal_keys (person_id TEXT PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, key BLOB NOT NULL) WITHOUT ROWID',
    );
    this.select = this.db.prepare('SELECT person_id, key_id, key FROM personal_keys WHERE person_id = ?');
    this.selectById = this.db.prepare('SELECT person_id, key_id, key FROM personal_keys WHERE key_id = ?');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO personal_keys (person_id, key_id, key) VALUES (?, ?, ?)');
    this.remove = this.db.prepare('DELETE FROM personal_keys WHERE person_id = ?');
  }

  async keyFor(personId: string): Promise<StoredPersonalKey> {
    const found = this.select.get(personId);
    if (found) return toKey(found);
    const fresh = newPersonalKey();
    this.insert.run(personId, fresh.keyId, fresh.key);
    // Another process may have created one first: its key is the person's key.
    return toKey(this.select.get(personId) as Row);
  }

  async byKeyId(keyId: string): Promise<StoredPersonalKey | null> {
    const row = this.selectById.get(keyId);
    return row ? toKey(row) : null;
  }

  async destroy(personId: string): Promise<boolean> {
    const removed = this.remove.run(personId).changes > 0;
    if (removed) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return removed;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
