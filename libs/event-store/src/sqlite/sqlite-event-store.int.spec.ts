import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError } from '../errors';
import { verifyHashChain } from '../hash-chain';
import type { RecordedEvent } from '../event-store.port';
import { describeEventStoreContract, newEvent } from '../testing/event-store.contract';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

const root = mkdtempSync(join(tmpdir(), 'ppl-sqlite-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => join(root, `nested-${++files}`, 'events.db');
const open = (options: Partial<SqliteEventStoreOptions> = {}): SqliteEventStore =>
  new SqliteEventStore({ path: freshPath(), pollIntervalMs: 50, ...options });

// Small pages so that catch-up crosses many page boundaries before going live.
describeEventStoreContract('SQLite (durability full)', async () => open({ subscriptionPageSize: 7 }), { freshStore: true });
describeEventStoreContract('SQLite (durability normal)', async () => open({ durability: 'normal', subscriptionPageSize: 3 }), {
  freshStore: true,
});

describe('SqliteEventStore specifics', () => {
  it('a batch whose transaction SQLite itself rolls back (disk full) fails every append in it and stores none of them', async () => {
    const store = open({ durability: 'normal' });
    await store.append('before', [newEvent()]);
    const db = (store as unknown as { db: { pragma(sql: string, options?: { simple: boolean }): unknown } }).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 8}`);
    // Issued together, they go into one transaction; b's large event fills the disk.
    const big = { ...newEvent(), data: { text: 'x'.repeat(2_000_000) } };
    const outcomes = await Promise.allSettled([
      store.append('a', [newEvent()]),
      store.append('b', [big]),
      store.append('c', [newEvent()]),
      store.append('d', [newEvent()]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'EventStoreUnavailableError' });
    db.pragma(`max_page_count = ${2 ** 30}`);
    const all = await store.readAll();
    expect(all.map((e) => e.streamId)).toEqual(['before']);
    // Room again: the store goes on with an intact chain.
    await store.append('c', [newEvent()]);
    expect(verifyHashChain(await store.readAll())).toMatchObject({ ok: true, checked: 2 });
    await store.close();
  });

  it('chains every event to its stream predecessor and its global predecessor', async () => {
    const store = open();
    await Promise.all([
      store.append('a-1', [newEvent(), newEvent()]),
      store.append('b-1', [newEvent()]),
      store.append('a-1', [newEvent()], { expectedRevision: 9 }).catch(() => undefined),
    ]);
    await store.append('a-1', [newEvent()]);
    const all = await store.readAll();
    expect(verifyHashChain(all)).toEqual({ ok: true, checked: 4, lastHash: all[3].hash });
    const tampered: RecordedEvent[] = all.map((e, i) => (i === 1 ? { ...e, data: { forged: true } } : e));
    expect(verifyHashChain(tampered)).toMatchObject({ ok: false, position: all[1].position });
    const dropped = all.filter((_, i) => i !== 2);
    expect(verifyHashChain(dropped)).toMatchObject({ ok: false });
    await store.close();
  });

  it('an append answers with the events as stored, as readStream returns them; a retry with those of the first append', async () => {
    const store = open();
    await store.append('a-1', [newEvent()]);
    const batch = [newEvent('Dated', { when: new Date('2025-01-02T03:04:05Z'), skipped: undefined, n: 1 }), newEvent()];
    const first = await store.append('a-1', batch, { expectedRevision: 0 });
    const stored = await store.readStream('a-1', { fromRevision: 1 });
    expect(stored).toHaveLength(2);
    expect(first.recorded).toEqual(stored);
    expect(stored[0]?.data).toEqual({ when: '2025-01-02T03:04:05.000Z', n: 1 });
    const retry = await store.append('a-1', batch, { expectedRevision: 0 });
    expect(first.alreadyStored).toBe(false);
    expect(retry).toMatchObject({ nextExpectedRevision: first.nextExpectedRevision, position: first.position, alreadyStored: true });
    expect(retry.recorded).toEqual(stored);
    await store.close();
  });

  it('keeps event ids unique across streams', async () => {
    const store = open();
    const event = newEvent();
    await store.append('a-1', [event]);
    const error = await store.append('b-1', [newEvent(), event]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error).toMatchObject({ eventId: event.id, existing: { streamId: 'a-1', revision: 0 } });
    expect(await store.readStream('b-1')).toEqual([]);
    // The same id at a matching expected revision but stored earlier in the stream: refused too.
    await expect(store.append('a-1', [event], { expectedRevision: 0 })).rejects.toBeInstanceOf(DuplicateEventIdError);
    await store.close();
  });

  it('persists across reopening and positions start at 1', async () => {
    const path = freshPath();
    const first = new SqliteEventStore({ path });
    const result = await first.append('a-1', [newEvent()]);
    expect(result.position).toBe(1);
    await first.close();
    const second = new SqliteEventStore({ path, durability: 'normal' });
    expect(await second.readStream('a-1')).toHaveLength(1);
    expect((await second.append('a-1', [newEvent()], { expectedRevision: 0 })).position).toBe(2);
    await second.close();
  });

  it('appends accepted before close() are written, appends after it are refused', async () => {
    const path = freshPath();
    const store = new SqliteEventStore({ path });
    const pending = store.append('a-1', [newEvent()]);
    await store.close();
    await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0, position: 1 });
    await expect(store.append('a-1', [newEvent()])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(store.ping()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const reopened = new SqliteEventStore({ path });
    await reopened.ping();
    expect(await reopened.readStream('a-1')).toHaveLength(1);
    await reopened.close();
  });

  it('a live subscription sees appends made by another connection (polling)', async () => {
    const path = freshPath();
    const reader = new SqliteEventStore({ path, pollIntervalMs: 20 });
    const writer = new SqliteEventStore({ path });
    const subscription = reader.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const next = iterator.next();
    const event = newEvent();
    await writer.append('other-process-1', [event]);
    await expect(next).resolves.toMatchObject({ done: false, value: { id: event.id } });
    await subscription.stop();
    await writer.close();
    await reader.close();
  });

  it('close() ends live subscriptions', async () => {
    const store = open();
    const subscription = store.subscribeToAll();
    const next = subscription[Symbol.asyncIterator]().next();
    await store.close();
    await expect(next).resolves.toEqual({ value: undefined, done: true });
  });

  it('normalises ids to lower case and refuses an id twice in one batch', async () => {
    const store = open();
    const id = randomUUID();
    await store.append('a-1', [{ ...newEvent(), id: id.toUpperCase() }]);
    expect((await store.readStream('a-1'))[0].id).toBe(id);
    const event = newEvent();
    await expect(store.append('a-2', [event, event])).rejects.toMatchObject({ code: 'INVALID_APPEND' });
    await store.close();
  });
});
