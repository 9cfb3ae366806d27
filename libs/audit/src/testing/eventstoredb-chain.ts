import { eventHash, type EventStore, type RecordedEvent } from '@ppl/event-store';

/**
 * Test support: events chained as the EventStoreDB adapter chains them (hash over position -1,
 * no global link; positions are log offsets), and a read-only store serving them.
 */
export function eventStoreDbChain(count: number, streams = 3): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const last = new Map<string, RecordedEvent>();
  for (let i = 0; i < count; i++) {
    const streamId = `partnership-p-${i % streams}`;
    const prev = last.get(streamId);
    const unhashed = {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      streamId,
      revision: prev ? prev.revision + 1 : 0,
      position: 1000 + i * 137,
      type: 'NoteTaken',
      schemaVersion: 1,
      data: { note: `note ${i}` },
      metadata: { actor: { id: 'clerk' } },
      recordedAt: new Date(Date.UTC(2026, 0, 1, 9, i)).toISOString(),
    };
    const event = { ...unhashed, hash: eventHash({ ...unhashed, position: -1 }, prev?.hash ?? '', '') };
    events.push(event);
    last.set(streamId, event);
  }
  return events;
}

/** A store that only reads the given global order (readAll, readStream, headPosition). */
export function readOnlyStore(events: readonly RecordedEvent[]): EventStore {
  const refuse = () => Promise.reject(new Error('read-only test store'));
  return {
    readAll: async ({ after, maxCount, filter } = {}) =>
      events
        .filter((e) => after === undefined || e.position > after)
        .filter((e) => !filter?.streamPrefixes?.length || filter.streamPrefixes.some((p) => e.streamId.startsWith(p)))
        .slice(0, maxCount ?? Number.MAX_SAFE_INTEGER),
    readStream: async (streamId) => events.filter((e) => e.streamId === streamId),
    headPosition: async () => events[events.length - 1]?.position ?? -1,
    append: refuse,
    subscribeToAll: () => {
      throw new Error('read-only test store');
    },
    ping: async () => undefined,
    close: async () => undefined,
  };
}
