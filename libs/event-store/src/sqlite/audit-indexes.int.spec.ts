import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent } from '../testing/event-store.contract';
import { AUDIT_INDEXES, ensureAuditIndexes } from './schema';
import { SqliteEventStore } from './sqlite-event-store';

const root = mkdtempSync(join(tmpdir(), 'ppl-audit-indexes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const indexesOf = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe("the audit timeline's indexes on the embedded store", () => {
  it('a new store has them', async () => {
    const file = join(root, 'new.sqlite');
    const store = new SqliteEventStore({ path: file, durability: 'normal' });
    await store.close();
    expect(indexesOf(file)).toEqual(expect.arrayContaining(Object.keys(AUDIT_INDEXES)));
  });

  it('a store created before them gets them when opened, says so, and keeps its events', async () => {
    const file = join(root, 'older.sqlite');
    const first = new SqliteEventStore({ path: file, durability: 'normal' });
    await first.append('s-1', [newEvent(), newEvent()]);
    const before = await first.readAll();
    await first.close();
    const older = new Database(file);
    for (const name of Object.keys(AUDIT_INDEXES)) older.exec(`DROP INDEX ${name}`);
    expect(indexesOf(file)).not.toEqual(expect.arrayContaining(Object.keys(AUDIT_INDEXES)));

    const said: string[] = [];
    expect(ensureAuditIndexes(older, (message) => said.push(message))).toEqual(Object.keys(AUDIT_INDEXES));
    expect(said).toEqual([expect.stringMatching(/building the audit timeline's indexes .* over 2 events/), expect.stringMatching(/built in/)]);
    expect(indexesOf(file)).toEqual(expect.arrayContaining(Object.keys(AUDIT_INDEXES)));
    // Once built, opening builds nothing and says nothing.
    expect(ensureAuditIndexes(older, (message) => said.push(message))).toEqual([]);
    expect(said).toHaveLength(2);
    for (const name of Object.keys(AUDIT_INDEXES)) older.exec(`DROP INDEX ${name}`);
    older.close();

    const reopened = new SqliteEventStore({ path: file, durability: 'normal' });
    expect(indexesOf(file)).toEqual(expect.arrayContaining(Object.keys(AUDIT_INDEXES)));
    expect(await reopened.readAll()).toEqual(before);
    await reopened.close();
  });
});
