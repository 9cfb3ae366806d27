import { afterAll, describe, expect, it, jest } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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

/**
 * Another process building the indexes: holds the write lock for `ms` (as a long build does),
 * builds them, commits. Resolves `locked` once it holds the lock, `done` once it has let go.
 */
function buildElsewhere(file: string, ms: number): { locked: Promise<unknown>; done: Promise<unknown> } {
  const builder = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require('better-sqlite3');
     const db = new Database(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     for (const [name, on] of Object.entries(workerData.indexes)) db.exec('CREATE INDEX ' + name + ' ON ' + on);
     db.exec('COMMIT');
     db.close();`,
    { eval: true, workerData: { file, ms, indexes: AUDIT_INDEXES } },
  );
  const done = new Promise((resolve, reject) => {
    builder.once('exit', resolve);
    builder.once('error', reject);
  });
  return { locked: new Promise((resolve) => builder.once('message', resolve)), done };
}

/** A store with `count` events, made before the audit indexes existed (they are dropped). */
async function olderStore(file: string, count: number) {
  const first = new SqliteEventStore({ path: file, durability: 'normal' });
  await first.append('s-1', Array.from({ length: count }, () => newEvent()));
  const before = await first.readAll();
  await first.close();
  const older = new Database(file);
  for (const name of Object.keys(AUDIT_INDEXES)) older.exec(`DROP INDEX ${name}`);
  older.close();
  return before;
}

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

  it('a second process opening the store while the first builds them waits for it instead of failing, and builds nothing', async () => {
    const file = join(root, 'shared.sqlite');
    await olderStore(file, 3);
    const { locked, done } = buildElsewhere(file, 1500);
    await locked;

    // A busy timeout far shorter than the build: opening used to fail with SQLITE_BUSY here.
    const waiting = new Database(file);
    waiting.pragma('busy_timeout = 100');
    const said: string[] = [];
    const started = Date.now();
    expect(ensureAuditIndexes(waiting, (message) => said.push(message))).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(said).toEqual([expect.stringMatching(/another process holds the write lock .* waiting for it/)]);
    expect(Number(waiting.pragma('busy_timeout', { simple: true }))).toBe(100);
    waiting.close();
    await done;
    expect(indexesOf(file)).toEqual(expect.arrayContaining(Object.keys(AUDIT_INDEXES)));
  });

  it('the event store opens while another process holds the write lock to build them', async () => {
    const file = join(root, 'shared-store.sqlite');
    const before = await olderStore(file, 1);
    const { locked, done } = buildElsewhere(file, 1000);
    await locked;
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let store: SqliteEventStore;
    try {
      store = new SqliteEventStore({ path: file, durability: 'normal', busyTimeoutMs: 100 });
    } finally {
      stderr.mockRestore();
    }
    expect(await store.readAll()).toEqual(before);
    await store.close();
    await done;
  });
});

