import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflictError, InvalidAppendError } from '../errors';
import type {
  AppendResult,
  EventFilter,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';

export interface EventStoreContractOptions {
  /** Each factory call returns an empty store (enables the tests of an empty store). */
  readonly freshStore?: boolean;
  /** How long a subscription may take to deliver what the test waits for. Default 15 s. */
  readonly liveTimeoutMs?: number;
}

/**
 * The one suite every EventStore adapter must pass. It only uses the port, and tolerates a
 * store shared with other data (EventStoreDB): every test writes to streams under its own
 * random prefix and reads the global order filtered by that prefix, after the head it saw
 * before writing.
 */
export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStore>,
  options: EventStoreContractOptions = {},
): void {
  const liveTimeoutMs = options.liveTimeoutMs ?? 15_000;
  // Jest's timeout is global config (a project's testTimeout does not apply): set it here.
  jest.setTimeout(liveTimeoutMs + 10_000);

  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let prefix: string;
    let headBefore: number;
    const stream = (name: string): string => `${prefix}${name}`;
    const mine = (extra: EventFilter = {}): EventFilter => ({ streamPrefixes: [prefix], ...extra });

    beforeEach(async () => {
      store = await factory();
      prefix = `ctr${randomUUID().replace(/-/g, '').slice(0, 12)}_`;
      headBefore = await store.headPosition();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('append and readStream', () => {
      it('appends to a new stream and reads the whole envelope back', async () => {
        const events = [newEvent('ThingProposed', { n: 1, nested: { b: [1, 'x', null], a: true } }), newEvent('ThingAccepted')];
        const result = await store.append(stream('thing-1'), events, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);

        const read = await store.readStream(stream('thing-1'));
        expect(read).toHaveLength(2);
        read.forEach((recorded, i) => {
          expect(recorded.id).toBe(events[i].id);
          expect(recorded.type).toBe(events[i].type);
          expect(recorded.schemaVersion).toBe(events[i].schemaVersion);
          expect(recorded.data).toEqual(events[i].data);
          expect(recorded.metadata).toEqual(events[i].metadata);
          expect(recorded.streamId).toBe(stream('thing-1'));
          expect(recorded.revision).toBe(i);
          expect(Number.isNaN(Date.parse(recorded.recordedAt))).toBe(false);
          expect(typeof recorded.hash).toBe('string');
        });
        expect(read[1].position).toBeGreaterThan(read[0].position);
        expect(read[0].position).toBeGreaterThan(headBefore);
        expect(result.position).toBe(read[1].position);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });

      it('continues the revisions of an existing stream', async () => {
        await store.append(stream('thing-1'), [newEvent(), newEvent()]);
        const result = await store.append(stream('thing-1'), [newEvent()]);
        expect(result.nextExpectedRevision).toBe(2);
        expect((await store.readStream(stream('thing-1'))).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(stream('never-written'))).toEqual([]);
        expect(await store.readStream(stream('never-written'), { direction: 'backwards' })).toEqual([]);
      });

      it('refuses an event id that is not a UUID and a negative expected revision', async () => {
        await expect(
          store.append(stream('thing-1'), [{ ...newEvent(), id: 'not-a-uuid' }]),
        ).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(
          store.append(stream('thing-1'), [newEvent()], { expectedRevision: -1 }),
        ).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await store.readStream(stream('thing-1'))).toEqual([]);
      });

      it('keeps data and metadata types intact', async () => {
        const data = { text: 'é ✓ "quoted" \n', int: 42, float: 1.5, negative: -3, bool: false, nil: null, list: [{ a: 1 }, []], empty: {} };
        const event: NewEvent = {
          ...newEvent('Typed'),
          data,
          metadata: { commandId: randomUUID(), actor: { id: 'user-1', role: 'board', organisationId: 'org-1' }, businessTime: '2026-01-31T10:00:00.000Z', custom: [1, 2] },
        };
        await store.append(stream('typed'), [event]);
        const [read] = await store.readStream(stream('typed'));
        expect(read.data).toEqual(data);
        expect(read.metadata).toEqual(event.metadata);
      });
    });

    describe('expected revision', () => {
      it("'no_stream' succeeds on a new stream and conflicts on an existing one", async () => {
        await store.append(stream('a'), [newEvent()], { expectedRevision: 'no_stream' });
        await expectConflict(store.append(stream('a'), [newEvent()], { expectedRevision: 'no_stream' }), stream('a'), 'no_stream', 0);
      });

      it('an exact revision succeeds when it is the last one and conflicts otherwise, naming both', async () => {
        await store.append(stream('a'), [newEvent(), newEvent()]);
        await expectConflict(store.append(stream('a'), [newEvent()], { expectedRevision: 0 }), stream('a'), 0, 1);
        await expectConflict(store.append(stream('a'), [newEvent()], { expectedRevision: 5 }), stream('a'), 5, 1);
        const result = await store.append(stream('a'), [newEvent()], { expectedRevision: 1 });
        expect(result.nextExpectedRevision).toBe(2);
        expect(await store.readStream(stream('a'))).toHaveLength(3);
      });

      it('an exact revision on a stream that does not exist conflicts with actual no_stream', async () => {
        await expectConflict(store.append(stream('missing'), [newEvent()], { expectedRevision: 0 }), stream('missing'), 0, 'no_stream');
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it("'stream_exists' conflicts on a missing stream and succeeds on an existing one", async () => {
        await expectConflict(store.append(stream('b'), [newEvent()], { expectedRevision: 'stream_exists' }), stream('b'), 'stream_exists', 'no_stream');
        await store.append(stream('b'), [newEvent()]);
        const result = await store.append(stream('b'), [newEvent()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it("'any' (the default) succeeds on missing and existing streams", async () => {
        expect((await store.append(stream('c'), [newEvent()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0);
        expect((await store.append(stream('c'), [newEvent()])).nextExpectedRevision).toBe(1);
      });

      it('a conflict stores nothing', async () => {
        await store.append(stream('d'), [newEvent()]);
        const head = await store.headPosition();
        await expectConflict(store.append(stream('d'), [newEvent(), newEvent()], { expectedRevision: 3 }), stream('d'), 3, 0);
        expect(await store.readStream(stream('d'))).toHaveLength(1);
        expect(await store.headPosition()).toBe(head);
      });
    });

    describe('idempotent append', () => {
      /** A retry's answer is the original result; `alreadyStored` (when the store says) is then true. */
      const asRetry = (result: AppendResult): Omit<AppendResult, 'alreadyStored'> => {
        const { alreadyStored: _told, ...rest } = result;
        return { ...rest };
      };
      it('a retry with the same expected revision returns the original result and stores nothing', async () => {
        const first = [newEvent(), newEvent()];
        const second = [newEvent()];
        const r1 = await store.append(stream('x'), first, { expectedRevision: 'no_stream' });
        const r2 = await store.append(stream('x'), second, { expectedRevision: 1 });
        await store.append(stream('x'), [newEvent()], { expectedRevision: 2 });
        const head = await store.headPosition();

        expect(r1.alreadyStored).not.toBe(true);
        expect(asRetry(await store.append(stream('x'), first, { expectedRevision: 'no_stream' }))).toEqual(asRetry(r1));
        expect(asRetry(await store.append(stream('x'), second, { expectedRevision: 1 }))).toEqual(asRetry(r2));
        expect(await store.readStream(stream('x'))).toHaveLength(4);
        expect(await store.headPosition()).toBe(head);
      });

      it("a retry with 'any' returns the original result and stores nothing", async () => {
        const batch = [newEvent(), newEvent()];
        await store.append(stream('y'), [newEvent()]);
        const original = await store.append(stream('y'), batch);
        await store.append(stream('y'), [newEvent()]);
        const head = await store.headPosition();
        expect(asRetry(await store.append(stream('y'), batch))).toEqual(asRetry(original));
        expect(asRetry(await store.append(stream('y'), batch, { expectedRevision: 'any' }))).toEqual(asRetry(original));
        expect(await store.readStream(stream('y'))).toHaveLength(4);
        expect(await store.headPosition()).toBe(head);
      });

      it('a batch that only partly matches what is stored is a conflict', async () => {
        const a = newEvent();
        await store.append(stream('z'), [a, newEvent()], { expectedRevision: 'no_stream' });
        await expectConflict(store.append(stream('z'), [a, newEvent()], { expectedRevision: 'no_stream' }), stream('z'), 'no_stream', 1);
        expect(await store.readStream(stream('z'))).toHaveLength(2);
      });

      it('stored ids at other revisions than the expected revision implies are a conflict', async () => {
        const a = newEvent();
        await store.append(stream('w'), [a], { expectedRevision: 'no_stream' });
        await store.append(stream('w'), [newEvent()], { expectedRevision: 0 });
        await expectConflict(store.append(stream('w'), [a], { expectedRevision: 0 }), stream('w'), 0, 1);
        expect(await store.readStream(stream('w'))).toHaveLength(2);
      });

      it('identical appends issued concurrently all get the one original result', async () => {
        await store.append(stream('v'), [newEvent()]);
        const batch = [newEvent(), newEvent()];
        const results = await Promise.all(
          Array.from({ length: 8 }, () => store.append(stream('v'), batch, { expectedRevision: 0 })),
        );
        for (const result of results) expect(asRetry(result)).toEqual(asRetry(results[0]));
        // Exactly one of them wrote; a store that tells retries apart says so of the others only.
        expect(results.filter((r) => r.alreadyStored !== true)).toHaveLength(results.some((r) => r.alreadyStored) ? 1 : results.length);
        expect(results[0].nextExpectedRevision).toBe(2);
        expect(await store.readStream(stream('v'))).toHaveLength(3);
      });
    });

    describe('readStream options', () => {
      const revisions = (events: RecordedEvent[]): number[] => events.map((e) => e.revision);
      beforeEach(async () => {
        await store.append(stream('r'), [newEvent(), newEvent(), newEvent()]);
        await store.append(stream('r'), [newEvent(), newEvent()]);
      });

      it('reads forwards from a revision, inclusive, up to maxCount', async () => {
        expect(revisions(await store.readStream(stream('r')))).toEqual([0, 1, 2, 3, 4]);
        expect(revisions(await store.readStream(stream('r'), { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(revisions(await store.readStream(stream('r'), { maxCount: 2 }))).toEqual([0, 1]);
        expect(revisions(await store.readStream(stream('r'), { fromRevision: 1, maxCount: 3 }))).toEqual([1, 2, 3]);
        expect(await store.readStream(stream('r'), { fromRevision: 9 })).toEqual([]);
      });

      it('reads backwards from the end or from a revision, inclusive, up to maxCount', async () => {
        expect(revisions(await store.readStream(stream('r'), { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(revisions(await store.readStream(stream('r'), { direction: 'backwards', maxCount: 2 }))).toEqual([4, 3]);
        expect(revisions(await store.readStream(stream('r'), { direction: 'backwards', fromRevision: 2 }))).toEqual([2, 1, 0]);
        expect(
          revisions(await store.readStream(stream('r'), { direction: 'backwards', fromRevision: 3, maxCount: 2 })),
        ).toEqual([3, 2]);
      });
    });

    describe('readAll', () => {
      async function writeMixed(): Promise<{ ids: string[]; results: AppendResult[] }> {
        const ids: string[] = [];
        const results: AppendResult[] = [];
        const plan: Array<[string, string[]]> = [
          ['order-1', ['OrderPlaced']],
          ['invoice-1', ['InvoiceIssued', 'InvoiceSent']],
          ['order-2', ['OrderPlaced', 'OrderShipped']],
          ['order-1', ['OrderShipped']],
          ['invoice-1', ['InvoicePaid']],
        ];
        for (const [name, types] of plan) {
          const events = types.map((type) => newEvent(type));
          results.push(await store.append(stream(name), events));
          ids.push(...events.map((e) => e.id));
        }
        return { ids, results };
      }

      it('returns all streams in one total order, the order of the appends', async () => {
        const { ids, results } = await writeMixed();
        const all = await store.readAll({ after: headBefore, filter: mine() });
        expect(all.map((e) => e.id)).toEqual(ids);
        expectStrictlyIncreasing(all.map((e) => e.position));
        for (const result of results) expect(all.map((e) => e.position)).toContain(result.position);
        const unfiltered = (await store.readAll({ after: headBefore })).filter((e) => e.streamId.startsWith(prefix));
        expect(unfiltered.map((e) => e.id)).toEqual(ids);
      });

      it('reads strictly after a position, at most maxCount', async () => {
        const { ids } = await writeMixed();
        const all = await store.readAll({ after: headBefore, filter: mine() });
        const after = await store.readAll({ after: all[2].position, filter: mine() });
        expect(after.map((e) => e.id)).toEqual(ids.slice(3));
        const page = await store.readAll({ after: all[2].position, maxCount: 2, filter: mine() });
        expect(page.map((e) => e.id)).toEqual(ids.slice(3, 5));
        const firstTwo = await store.readAll({ after: headBefore, maxCount: 2 });
        expect(firstTwo).toHaveLength(2);
        expect(await store.readAll({ after: await store.headPosition() })).toEqual([]);
      });

      it('filters by event types and by stream prefixes', async () => {
        await writeMixed();
        const orders = await store.readAll({ after: headBefore, filter: mine({ streamPrefixes: [stream('order-')] }) });
        expect(orders.map((e) => `${e.streamId.slice(prefix.length)}:${e.type}`)).toEqual([
          'order-1:OrderPlaced',
          'order-2:OrderPlaced',
          'order-2:OrderShipped',
          'order-1:OrderShipped',
        ]);
        const placedOrPaid = await store.readAll({ after: headBefore, filter: mine({ types: ['OrderPlaced', 'InvoicePaid'] }) });
        expect(placedOrPaid.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderPlaced', 'InvoicePaid']);
        const both = await store.readAll({
          after: headBefore,
          filter: { types: ['OrderShipped', 'InvoiceSent'], streamPrefixes: [stream('order-2'), stream('invoice-')] },
        });
        expect(both.map((e) => `${e.streamId.slice(prefix.length)}:${e.type}`)).toEqual([
          'invoice-1:InvoiceSent',
          'order-2:OrderShipped',
        ]);
        expect(await store.readAll({ after: headBefore, filter: mine({ types: ['NeverHappened'] }) })).toEqual([]);
      });

      if (options.freshStore) {
        it('an empty store has head -1 and nothing to read', async () => {
          expect(await store.headPosition()).toBe(-1);
          expect(await store.readAll()).toEqual([]);
          await store.append(stream('first'), [newEvent()]);
          const all = await store.readAll();
          expect(all).toHaveLength(1);
          expect(await store.headPosition()).toBe(all[0].position);
          expect(await store.readAll({ after: -1 })).toEqual(all);
        });
      }
    });

    describe('concurrent appenders', () => {
      it('of N parallel appends with the same expected revision exactly one wins', async () => {
        await store.append(stream('race'), [newEvent()]);
        const attempts = Array.from({ length: 10 }, () => [newEvent()]);
        const settled = await Promise.allSettled(
          attempts.map((events) => store.append(stream('race'), events, { expectedRevision: 0 })),
        );
        const won = settled.filter((s) => s.status === 'fulfilled');
        const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const loss of lost) {
          expect(loss.reason).toBeInstanceOf(ConcurrencyConflictError);
          expect((loss.reason as ConcurrencyConflictError).actual).toBe(1);
        }
        const winner = attempts[settled.findIndex((s) => s.status === 'fulfilled')];
        const read = await store.readStream(stream('race'));
        expect(read.map((e) => e.id)).toEqual([read[0].id, winner[0].id]);
      });

      it("of N parallel 'no_stream' appends exactly one creates the stream", async () => {
        const settled = await Promise.allSettled(
          Array.from({ length: 6 }, () => store.append(stream('create'), [newEvent()], { expectedRevision: 'no_stream' })),
        );
        expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream('create'))).toHaveLength(1);
      });

      it('a failing append does not fail the others issued at the same time', async () => {
        const settled = await Promise.allSettled([
          store.append(stream('ok-1'), [newEvent()], { expectedRevision: 'no_stream' }),
          store.append(stream('bad'), [newEvent()], { expectedRevision: 7 }),
          store.append(stream('ok-2'), [newEvent(), newEvent()]),
          store.append(stream('ok-1'), [newEvent()], { expectedRevision: 0 }),
        ]);
        expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
        expect(await store.readStream(stream('ok-1'))).toHaveLength(2);
        expect(await store.readStream(stream('ok-2'))).toHaveLength(2);
        expect(await store.readStream(stream('bad'))).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, then goes live through concurrent appends: the same events, in the same order, as readAll', async () => {
        const before = await appendMany(store, stream('sub-'), 25);
        const subscription = store.subscribeToAll({ after: headBefore, filter: mine() });
        const writers = Promise.all(
          [0, 1, 2].map(async (w) => {
            for (let i = 0; i < 15; i++) {
              await store.append(stream(`sub-live-${w}-${i % 3}`), [newEvent(), ...(i % 4 === 0 ? [newEvent()] : [])]);
              if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
            }
          }),
        );
        const liveCount = 3 * (15 + 4);
        const delivered = await take(subscription, before + liveCount, liveTimeoutMs);
        await writers;
        await subscription.stop();
        const expected = await store.readAll({ after: headBefore, filter: mine() });
        expect(expected).toHaveLength(before + liveCount);
        expect(delivered.map((e) => e.id)).toEqual(expected.map((e) => e.id));
        expect(new Set(delivered.map((e) => e.id)).size).toBe(delivered.length);
        expectStrictlyIncreasing(delivered.map((e) => e.position));
        expect(delivered).toEqual(expected);
      });

      it('starts strictly after the given position', async () => {
        await appendMany(store, stream('after-'), 6);
        const all = await store.readAll({ after: headBefore, filter: mine() });
        const subscription = store.subscribeToAll({ after: all[2].position, filter: mine() });
        const delivered = await take(subscription, 3, liveTimeoutMs);
        await subscription.stop();
        expect(delivered.map((e) => e.id)).toEqual(all.slice(3).map((e) => e.id));
      });

      it('applies type and stream-prefix filters, in catch-up and live', async () => {
        await store.append(stream('keep-1'), [newEvent('Kept'), newEvent('Dropped')]);
        await store.append(stream('skip-1'), [newEvent('Kept')]);
        const subscription = store.subscribeToAll({
          after: headBefore,
          filter: { types: ['Kept'], streamPrefixes: [stream('keep-')] },
        });
        const first = await take(subscription, 1, liveTimeoutMs);
        await store.append(stream('skip-2'), [newEvent('Kept')]);
        await store.append(stream('keep-2'), [newEvent('Dropped'), newEvent('Kept')]);
        const second = await take(subscription, 1, liveTimeoutMs);
        await subscription.stop();
        expect([...first, ...second].map((e) => `${e.streamId.slice(prefix.length)}:${e.type}`)).toEqual([
          'keep-1:Kept',
          'keep-2:Kept',
        ]);
      });

      it('stop() resolves a pending next() with done and ends the iteration', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition(), filter: mine() });
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.stop();
        await expect(pending).resolves.toEqual({ value: undefined, done: true });
        await expect(iterator.next()).resolves.toMatchObject({ done: true });
      });

      it('stop() from outside ends a for-await loop, and breaking out of the loop stops it', async () => {
        await appendMany(store, stream('loop-'), 3);
        const subscription = store.subscribeToAll({ after: headBefore, filter: mine() });
        const seen: RecordedEvent[] = [];
        const loop = (async () => {
          for await (const event of subscription) {
            seen.push(event);
            if (seen.length === 3) void subscription.stop();
          }
        })();
        await withTimeout(loop, liveTimeoutMs, 'the loop did not end after stop()');
        expect(seen).toHaveLength(3);

        const second = store.subscribeToAll({ after: headBefore, filter: mine() });
        let count = 0;
        for await (const _event of second) {
          if (++count === 2) break;
        }
        const iterator = second[Symbol.asyncIterator]();
        await expect(withTimeout(iterator.next(), 2000, 'next() after break did not end')).resolves.toMatchObject({ done: true });
      });
    });
  });
}

export function newEvent(type = 'ThingHappened', data: unknown = { at: Date.now() }): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { commandId: randomUUID(), correlationId: randomUUID(), actor: { id: 'user-1', role: 'board' } },
  };
}

async function appendMany(store: EventStore, streamPrefix: string, count: number): Promise<number> {
  let written = 0;
  let i = 0;
  while (written < count) {
    const size = Math.min(count - written, 1 + (i % 3));
    await store.append(`${streamPrefix}${i % 4}`, Array.from({ length: size }, () => newEvent()));
    written += size;
    i++;
  }
  return written;
}

async function take(subscription: EventSubscription, count: number, timeoutMs: number): Promise<RecordedEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const events: RecordedEvent[] = [];
  const collect = async (): Promise<RecordedEvent[]> => {
    while (events.length < count) {
      const next = await iterator.next();
      if (next.done) throw new Error(`The subscription ended after ${events.length} of ${count} events`);
      events.push(next.value);
    }
    return events;
  };
  return withTimeout(collect(), timeoutMs, () => `Only ${events.length} of ${count} events arrived`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(typeof message === 'string' ? message : message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectConflict(
  append: Promise<AppendResult>,
  streamId: string,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): Promise<void> {
  const error = await append.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConcurrencyConflictError);
  expect(error).toMatchObject({ code: 'CONCURRENCY_CONFLICT', streamId, expected, actual });
}

function expectStrictlyIncreasing(values: number[]): void {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
}
