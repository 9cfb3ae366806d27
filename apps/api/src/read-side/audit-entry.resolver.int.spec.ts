import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore, type ReadStreamOptions } from '@ppl/event-store';
import { newEvent } from '../../../../libs/event-store/src/testing/event-store.contract';
import { eventsAt, type EventAddress } from './audit-entry.resolver';

describe('AuditEntry.event: the events of a page of audit entries, from the store', () => {
  let dir: string;
  let store: SqliteEventStore;
  const reads: { streamId: string; options?: ReadStreamOptions }[] = [];
  let counting: EventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ppl-audit-entry-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    // Two streams, interleaved in the global order.
    for (let i = 0; i < 30; i++) {
      await store.append('partnership-a', [newEvent('A', { i })]);
      await store.append('strategy-home', [newEvent('S', { i })]);
    }
    counting = new Proxy(store, {
      get: (target, key) =>
        key === 'readStream'
          ? (streamId: string, options?: ReadStreamOptions) => {
              reads.push({ streamId, options });
              return target.readStream(streamId, options);
            }
          : (Reflect.get(target, key) as unknown),
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const address = async (streamId: string, revision: number): Promise<EventAddress> => {
    const [event] = await store.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return { streamId, revision, position: event.position };
  };

  it('answers each entry with its own event, in the order asked, reading runs of a stream at once', async () => {
    const wanted = [await address('strategy-home', 7), await address('partnership-a', 3), await address('partnership-a', 4), await address('partnership-a', 6), await address('partnership-a', 28), await address('strategy-home', 8)];
    reads.length = 0;
    const events = await eventsAt(counting, wanted);
    expect(events.map((e) => (e instanceof Error ? e.message : [e.streamId, e.revision, e.position, (e.data as { i: number }).i]))).toEqual(
      wanted.map((a) => [a.streamId, a.revision, a.position, a.revision]),
    );
    // partnership-a 3..6 is one run, 28 another (the gap is too wide to read through); strategy-home 7..8 one.
    expect(reads.map((r) => [r.streamId, r.options?.fromRevision, r.options?.maxCount]).sort()).toEqual([
      ['partnership-a', 28, 1],
      ['partnership-a', 3, 4],
      ['strategy-home', 7, 2],
    ]);
  });

  it('an entry whose event is not at its address is an error, never another event', async () => {
    const right = await address('partnership-a', 2);
    const [wrongPosition, missing] = await eventsAt(store, [
      { ...right, position: right.position + 1 },
      { streamId: 'partnership-a', revision: 99, position: 999 },
    ]);
    expect(wrongPosition).toBeInstanceOf(Error);
    expect(missing).toBeInstanceOf(Error);
    expect((missing as Error).message).toBe('no event at position 999 (partnership-a@99) in the event store');
  });
});
