import { describe, expect, it } from '@jest/globals';
import { EventStoreUnavailableError } from '../errors';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/** The same contract as the SQLite adapter, against a real EventStoreDB/KurrentDB. Never mocked. */
const url = process.env.EVENTSTORE_URL;
const HOW = 'set EVENTSTORE_URL=esdb://localhost:2113?tls=false to run it';

if (url) {
  describeEventStoreContract('EventStoreDB', async () => new EventStoreDbEventStore({ connectionString: url }), {
    freshStore: false,
    liveTimeoutMs: 30_000,
  });
} else {
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPED: EventStoreDB contract suite (EVENTSTORE_URL is not set).\n!! ${HOW}\n${'!'.repeat(78)}\n`,
  );
  describe(`SKIPPED: EventStoreDB contract suite — ${HOW}`, () => {
    it.skip(`SKIPPED: EventStoreDB contract suite — ${HOW}`, () => undefined);
  });
}

// Runs everywhere: a real refused connection (nothing listens on port 1), not a mock.
describe('EventStoreDbEventStore without a server', () => {
  it('reports an unreachable server as EventStoreUnavailableError', async () => {
    const store = new EventStoreDbEventStore({ connectionString: 'esdb://127.0.0.1:1?tls=false' });
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(
        store.append('thing-1', [{ id: '0f8fad5b-d9cb-469f-a165-70867728950e', type: 'A', schemaVersion: 1, data: {}, metadata: {} }]),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await store.close();
    }
  }, 20_000);
});
