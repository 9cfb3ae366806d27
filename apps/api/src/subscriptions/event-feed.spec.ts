import type { EventSubscription, RecordedEvent } from '@ppl/event-store';
import { EventFeed, type FeedEnd } from './event-feed';

/** A store subscription over `count` events that then waits (live) until stopped; counts reads. */
function source(count: number): EventSubscription & { read: () => number; stopped: () => boolean } {
  let next = 1;
  let stopped = false;
  let wake: (() => void) | undefined;
  return {
    read: () => next - 1,
    stopped: () => stopped,
    [Symbol.asyncIterator]() {
      return {
        next: async (): Promise<IteratorResult<RecordedEvent>> => {
          if (!stopped && next > count) await new Promise<void>((r) => (wake = r));
          if (stopped) return { value: undefined, done: true };
          const position = next++;
          return { value: { position, id: `e${position}`, streamId: 's', type: 'T', schemaVersion: 1, data: {}, metadata: {}, revision: 0, recordedAt: '' }, done: false };
        },
      };
    },
    async stop() {
      stopped = true;
      wake?.();
    },
  };
}

const flush = () => new Promise((r) => setImmediate(r));

function feed(src: EventSubscription, now: () => number, ended: [FeedEnd, number][] = []) {
  return new EventFeed(src, {
    after: 0,
    capacity: 5,
    map: (e) => e.position,
    now,
    onEnd: (reason, cursor) => ended.push([reason, cursor]),
    slowConsumerError: (cursor) => Object.assign(new Error('slow'), { cursor }),
    sourceEndedError: (cursor) => Object.assign(new Error('ended'), { cursor }),
  });
}

describe('EventFeed', () => {
  it('reads from the store only as the consumer takes events (at most `capacity` ahead)', async () => {
    const src = source(100);
    const f = feed(src, () => 0);
    await flush();
    expect(src.read()).toBe(5);
    expect((await f.next()).value).toBe(1);
    await flush();
    expect(src.read()).toBe(6);
    expect(f.buffered).toBe(5);
  });

  it('is not stalled while nothing waits, and stalls when events wait untaken', async () => {
    let clock = 0;
    const src = source(0);
    const f = feed(src, () => clock);
    await flush();
    clock = 10_000;
    expect(f.stalledFor()).toBe(0);
    const busy = source(3);
    const g = feed(busy, () => clock);
    await flush();
    clock = 12_500;
    expect(g.stalledFor()).toBe(2500);
    await g.next();
    expect(g.stalledFor()).toBe(0);
  });

  it('closes a slow consumer with the cursor of the last event it was given, dropping the buffer', async () => {
    const ended: [FeedEnd, number][] = [];
    const src = source(50);
    const f = feed(src, () => 0, ended);
    await flush();
    expect((await f.next()).value).toBe(1);
    expect((await f.next()).value).toBe(2);
    expect(f.closeSlowConsumer()).toBe(2);
    expect(f.buffered).toBe(0);
    expect(src.stopped()).toBe(true);
    await expect(f.next()).rejects.toMatchObject({ message: 'slow', cursor: 2 });
    expect(ended).toEqual([['slow_consumer', 2]]);
  });

  it('ends with an error carrying the cursor when the store ends the subscription, and stops on return()', async () => {
    const src = source(2);
    const f = feed(src, () => 0);
    expect((await f.next()).value).toBe(1);
    expect((await f.next()).value).toBe(2);
    const pending = f.next();
    await src.stop();
    await expect(pending).rejects.toMatchObject({ message: 'ended', cursor: 2 });
    const ended: [FeedEnd, number][] = [];
    const other = source(10);
    const g = feed(other, () => 0, ended);
    await g.next();
    await g.return();
    expect(other.stopped()).toBe(true);
    expect(await g.next()).toEqual({ value: undefined, done: true });
    expect(ended).toEqual([['client', 1]]);
  });
});
