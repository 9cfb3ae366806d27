import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventFilter, type RecordedEvent, SqliteEventStore } from '@ppl/event-store';
import { EventFeed, type FeedEnd } from './event-feed';
import { SharedTail, matchesFilter } from './shared-tail';

const flush = () => new Promise((r) => setImmediate(r));
/** Lets the feeds' own work (reads, joining) run until `done` holds. */
const settle = async (done: () => boolean) => {
  while (!done()) await flush();
};

describe('EventFeed over the shared tail', () => {
  let dir: string;
  let store: SqliteEventStore;
  let tail: SharedTail;
  let reads: number;
  let subscriptions: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ppl-feed-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal', pollIntervalMs: 10_000 });
    reads = 0;
    subscriptions = 0;
    const readAll = store.readAll.bind(store);
    store.readAll = (options) => {
      reads++;
      return readAll(options);
    };
    const subscribeToAll = store.subscribeToAll.bind(store);
    store.subscribeToAll = (options) => {
      subscriptions++;
      return subscribeToAll(options);
    };
    tail = new SharedTail(store, 8);
  });
  afterEach(async () => {
    await tail.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = async (count: number, stream = `s-${randomUUID()}`, type = 'T'): Promise<number> => {
    let last = 0;
    for (let i = 0; i < count; i++) {
      last = (await store.append(stream, [{ id: randomUUID(), type, schemaVersion: 1, data: { i }, metadata: {} }])).position;
    }
    return last;
  };

  const feed = (
    after: number,
    options: { capacity?: number; filter?: EventFilter; now?: () => number; ended?: [FeedEnd, number][] } = {},
  ): EventFeed<number> => {
    const filter = options.filter ?? {};
    return new EventFeed<number>(tail, {
      after,
      capacity: options.capacity ?? 5,
      read: (from, limit) => store.readAll({ after: from, maxCount: limit, filter }),
      accept: (e) => matchesFilter(filter, e),
      map: (e) => e.position,
      now: options.now,
      onEnd: (reason, cursor) => options.ended?.push([reason, cursor]),
      slowConsumerError: (cursor) => Object.assign(new Error('slow'), { cursor }),
      sourceEndedError: (cursor) => Object.assign(new Error('ended'), { cursor }),
    });
  };

  const take = async (f: EventFeed<number>, count: number): Promise<number[]> => {
    const out: number[] = [];
    while (out.length < count) out.push((await f.next()).value as number);
    return out;
  };

  const positions = async (filter: EventFilter = {}): Promise<number[]> =>
    (await store.readAll({ maxCount: 100_000, filter })).map((e: RecordedEvent) => e.position);

  it('catches up by its own reads, then every caught-up subscriber is fed by one store subscription, with no gap or duplicate', async () => {
    await append(12);
    const feeds = Array.from({ length: 20 }, () => feed(0));
    const received = await Promise.all(feeds.map((f) => take(f, 12)));
    // Live: writes race the subscribers' switch from their own reads to the tail.
    const writes = append(30);
    const live = await Promise.all(feeds.map((f) => take(f, 30)));
    await writes;
    const all = await positions();
    for (let i = 0; i < feeds.length; i++) expect([...received[i], ...live[i]]).toEqual(all);
    expect(subscriptions).toBe(1);
    await settle(() => feeds.every((f) => f.live));
    // Once live, appends cost no read per subscriber.
    const readsBefore = reads;
    await append(10);
    await Promise.all(feeds.map((f) => take(f, 10)));
    expect(reads).toBe(readsBefore);
  });

  it('a subscriber starting far behind the running tail catches up and joins it exactly where its reads ended', async () => {
    const early = feed(0);
    await append(3);
    await take(early, 3);
    await append(40);
    const late = feed(0, { capacity: 7 });
    const got: number[] = [];
    const writes = (async () => {
      for (let i = 0; i < 10; i++) await append(3);
    })();
    while (got.length < 73) got.push((await late.next()).value as number);
    await writes;
    expect(got).toEqual(await positions());
    expect(late.live).toBe(true);
    expect(subscriptions).toBe(1);
  });

  it('switches to a tail that lags behind its reads with no duplicate, and to one ahead of them with no gap', async () => {
    // The tail's store subscription, driven by hand: it delivers what the test releases.
    const released: RecordedEvent[] = [];
    let wake: (() => void) | undefined;
    const manual = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<RecordedEvent>> => {
          while (released.length === 0) await new Promise<void>((r) => (wake = r));
          return { value: released.shift() as RecordedEvent, done: false };
        },
      }),
      stop: async () => undefined,
    };
    const lagging = new SharedTail({ subscribeToAll: () => manual, headPosition: () => store.headPosition() } as unknown as SqliteEventStore, 4);
    const release = async (from: number, to: number) => {
      released.push(...(await store.readAll({ after: from, maxCount: to - from })));
      wake?.();
      await flush();
    };
    const make = () =>
      new EventFeed<number>(lagging, {
        after: 0,
        capacity: 50,
        read: (from, limit) => store.readAll({ after: from, maxCount: limit }),
        accept: () => true,
        map: (e) => e.position,
        slowConsumerError: () => new Error('slow'),
        sourceEndedError: () => new Error('ended'),
      });
    await append(3);
    const first = make();
    expect(await take(first, 3)).toEqual([1, 2, 3]);
    await settle(() => first.live);
    // The store holds 1..10; the tail has delivered up to 3: a new feed reads 1..10 itself, joins,
    // and must ignore 4..10 when the tail delivers them.
    await append(7);
    const behind = make();
    expect(await take(behind, 10)).toEqual(await positions());
    await settle(() => behind.live);
    await release(3, 10);
    await append(2);
    await release(10, 12);
    expect(await take(behind, 2)).toEqual([11, 12]);
    expect(await take(first, 9)).toEqual((await positions()).slice(3));
    await lagging.stop();
  });

  it('a cursor beyond the head does not make the tail skip what others are owed', async () => {
    await append(3);
    const ahead = feed(1000);
    await flush();
    await flush();
    const behind = feed(0);
    expect(await take(behind, 3)).toEqual([1, 2, 3]);
    await append(4);
    expect(await take(behind, 4)).toEqual([4, 5, 6, 7]);
    expect(ahead.buffered).toBe(0);
    expect(ahead.live && behind.live).toBe(true);
  });

  it('filters the tail as the store filters reads', async () => {
    const filter: EventFilter = { types: ['Wanted'], streamPrefixes: ['keep-'] };
    await append(3, 'keep-1', 'Wanted');
    await append(3, 'drop-1', 'Wanted');
    const everything = feed(0);
    const filtered = feed(0, { filter });
    await take(everything, 6);
    await append(2, 'keep-2', 'Other');
    await append(4, 'keep-2', 'Wanted');
    await append(2, 'drop-2', 'Wanted');
    await take(everything, 8);
    const expected = await positions(filter);
    expect(expected).toHaveLength(7);
    expect(await take(filtered, 7)).toEqual(expected);
    expect(filtered.live).toBe(true);
  });

  it('holds at most `capacity` events for a consumer that stops taking, without holding others back, and loses nothing when it takes again', async () => {
    const slow = feed(0, { capacity: 4 });
    const fast = feed(0, { capacity: 4 });
    await append(1);
    await take(slow, 1);
    await take(fast, 1);
    const got: number[] = [];
    for (let i = 0; i < 10; i++) {
      await append(3);
      got.push(...(await take(fast, 3)));
      await flush();
      expect(slow.buffered).toBeLessThanOrEqual(4);
    }
    expect(slow.live).toBe(false);
    expect(fast.live).toBe(true);
    const all = await positions();
    expect([all[0], ...got]).toEqual(all);
    expect(await take(slow, 30)).toEqual(all.slice(1));
    await append(2);
    expect(await take(slow, 2)).toEqual((await positions()).slice(-2));
    expect(slow.live).toBe(true);
  });

  it('stalls only while events wait untaken, and closes a slow consumer with the cursor of the last event it was given', async () => {
    let clock = 0;
    const ended: [FeedEnd, number][] = [];
    const idle = feed(0, { now: () => clock });
    await flush();
    clock = 10_000;
    expect(idle.stalledFor()).toBe(0);
    const slow = feed(0, { now: () => clock, ended });
    await append(6);
    await flush();
    clock = 12_500;
    expect(slow.stalledFor()).toBe(2500);
    expect(await take(slow, 2)).toEqual([1, 2]);
    expect(slow.stalledFor()).toBe(0);
    expect(slow.closeSlowConsumer()).toBe(2);
    expect(slow.buffered).toBe(0);
    await expect(slow.next()).rejects.toMatchObject({ message: 'slow', cursor: 2 });
    expect(ended).toEqual([['slow_consumer', 2]]);
    expect(tail.size).toBe(idle.live ? 1 : 0);
  });

  it('a store that fails under a catch-up: the events read are delivered, then the typed end with their cursor, never the store’s own error', async () => {
    await append(3);
    const failures: Error[] = [];
    const ended: [FeedEnd, number][] = [];
    let calls = 0;
    const failing = new EventFeed<number>(tail, {
      after: 0,
      capacity: 2,
      read: async (from, limit) => {
        if (++calls > 1) throw new Error('SQLITE_IOERR: disk I/O error at /data/events.sqlite');
        return store.readAll({ after: from, maxCount: limit });
      },
      accept: () => true,
      map: (e) => e.position,
      onEnd: (reason, cursor) => ended.push([reason, cursor]),
      onSourceError: (error) => failures.push(error),
      slowConsumerError: (cursor) => Object.assign(new Error('slow'), { cursor }),
      sourceEndedError: (cursor) => Object.assign(new Error('ended'), { cursor }),
    });
    expect(await take(failing, 2)).toEqual([1, 2]);
    await expect(failing.next()).rejects.toMatchObject({ message: 'ended', cursor: 2 });
    expect(failures.map((e) => e.message)).toEqual(['SQLITE_IOERR: disk I/O error at /data/events.sqlite']);
    expect(ended).toEqual([['source_ended', 2]]);
  });

  it('ends with an error carrying the cursor when the store ends the tail, and leaves the tail on return()', async () => {
    const ended: [FeedEnd, number][] = [];
    const gone = feed(0, { ended });
    const staying = feed(0);
    await append(2);
    await take(gone, 2);
    await take(staying, 2);
    await gone.return();
    expect(await gone.next()).toEqual({ value: undefined, done: true });
    expect(ended).toEqual([['client', 2]]);
    expect(tail.size).toBe(1);
    const pending = staying.next();
    await tail.stop();
    await store.close();
    await expect(pending).rejects.toMatchObject({ message: 'ended', cursor: 2 });
  });
});
