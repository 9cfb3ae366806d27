import { EventStoreUnavailableError } from '../errors';
import { EventStoreDbEventStore, mapError } from './eventstoredb-event-store';

/**
 * The adapter's own logic, without a server (no connection is made: the client's calls are
 * replaced). What the server does is the contract suite's to check, against a real one.
 */
describe('EventStoreDB adapter, its own logic', () => {
  it('a connection reset under a stream (INTERNAL, RST_STREAM) is unavailable; another INTERNAL error is not', () => {
    const reset = Object.assign(new Error('13 INTERNAL: Received RST_STREAM with code 2 triggered by internal client error'), { code: 13 });
    expect(mapError(reset)).toBeInstanceOf(EventStoreUnavailableError);
    const other = Object.assign(new Error('13 INTERNAL: something else'), { code: 13 });
    expect(mapError(other)).toBe(other);
    expect(mapError(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }))).toBeInstanceOf(EventStoreUnavailableError);
  });

  it('a subscription the server ends (not stopped) fails as unavailable, so its consumer resumes instead of waiting on nothing', async () => {
    const store = new EventStoreDbEventStore({ connectionString: 'esdb://127.0.0.1:1?tls=false' });
    const client = (store as unknown as { client: Record<string, unknown> }).client;
    client.subscribeToAll = () => Object.assign((async function* () {})(), { unsubscribe: async () => undefined });
    const ended = store.subscribeToAll();
    await expect(ended[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    const stopped = store.subscribeToAll();
    await stopped.stop();
    await expect(stopped[Symbol.asyncIterator]().next()).resolves.toEqual({ value: undefined, done: true });
    await store.close();
  });

  it('sends a stream’s appends one at a time, other streams’ at once, and reads the last event before each (no remembered hash)', async () => {
    const store = new EventStoreDbEventStore({ connectionString: 'esdb://127.0.0.1:1?tls=false' });
    const client = (store as unknown as { client: Record<string, unknown> }).client;
    const started: string[] = [];
    const finish: (() => void)[] = [];
    client.readStream = () => (async function* () {})();
    let reads = 0;
    const readStream = client.readStream as () => AsyncIterable<unknown>;
    client.readStream = () => {
      reads++;
      return readStream();
    };
    client.appendToStream = (streamId: string) => {
      started.push(streamId);
      return new Promise((resolve) => finish.push(() => resolve({ success: true, nextExpectedRevision: 0n, position: { commit: 10n, prepare: 10n } })));
    };
    const event = (id: string) => ({ id, type: 'A', schemaVersion: 1, data: {}, metadata: {} });
    const first = store.append('thing-1', [event('0f8fad5b-d9cb-469f-a165-70867728950e')], { expectedRevision: 'no_stream' });
    // After the first, at the revision it returned: its hash is read from the stream, not remembered
    // (an idempotent retry is answered like a write, with hashes that are not the stored ones).
    const second = store.append('thing-1', [event('1f8fad5b-d9cb-469f-a165-70867728950e')], { expectedRevision: 0 });
    const other = store.append('thing-2', [event('2f8fad5b-d9cb-469f-a165-70867728950e')]);
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual(['thing-1', 'thing-2']);
    finish.shift()?.();
    await first;
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual(['thing-1', 'thing-2', 'thing-1']);
    for (const done of finish.splice(0)) done();
    await Promise.all([second, other]);
    // The second append and the one to another stream ('any') read the last event; 'no_stream' needs not.
    expect(reads).toBe(2);
    await store.close();
  });
});
