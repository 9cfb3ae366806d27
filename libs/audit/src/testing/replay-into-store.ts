import type { EventStore, RecordedEvent } from '@ppl/event-store';

/**
 * Appends recorded events (e.g. a LedgerBuilder's) to a real store, one append per command, in
 * their global order. The store assigns its own positions, times and hashes.
 */
export async function replayIntoStore(
  store: EventStore,
  events: readonly RecordedEvent[],
): Promise<void> {
  let batch: RecordedEvent[] = [];
  const flush = async () => {
    const first = batch[0];
    if (!first) return;
    await store.append(
      first.streamId,
      batch.map((e) => ({
        id: e.id,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
      })),
    );
    batch = [];
  };
  for (const event of events) {
    const first = batch[0];
    if (
      first &&
      (first.streamId !== event.streamId || first.metadata.commandId !== event.metadata.commandId)
    )
      await flush();
    batch.push(event);
  }
  await flush();
}
