import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ppl/event-store';
import type { TimelineDoc } from '@ppl/projections';

/** Where an audit entry's event is: its stream and revision (and, to check, its position). */
export type EventAddress = Pick<TimelineDoc, 'streamId' | 'revision' | 'position'>;

/**
 * The events of many audit entries at once, from the event store (the record itself, whichever
 * timeline answered the search). Entries of one stream are read as runs of revisions: a run is
 * one read, and a gap wider than the entries it would save is not read through. In the order
 * asked; an entry whose event is not at its address is an error, never another event.
 */
export async function eventsAt(store: EventStore, addresses: readonly EventAddress[]): Promise<(RecordedEvent | Error)[]> {
  const found = new Map<number, RecordedEvent>();
  const byStream = new Map<string, number[]>();
  for (const a of addresses) byStream.set(a.streamId, [...(byStream.get(a.streamId) ?? []), a.revision]);
  await Promise.all(
    [...byStream].map(async ([streamId, revisions]) => {
      const sorted = [...new Set(revisions)].sort((x, y) => x - y);
      for (let i = 0; i < sorted.length; ) {
        let j = i;
        // Extend the run while the next wanted revision is close (a gap of at most 8 unwanted events).
        while (j + 1 < sorted.length && sorted[j + 1] - sorted[j] <= 8) j++;
        const from = sorted[i];
        for (const event of await store.readStream(streamId, { fromRevision: from, maxCount: sorted[j] - from + 1 })) found.set(event.position, event);
        i = j + 1;
      }
    }),
  );
  return addresses.map((a) => {
    const event = found.get(a.position);
    return event && event.streamId === a.streamId && event.revision === a.revision
      ? event
      : new Error(`no event at position ${a.position} (${a.streamId}@${a.revision}) in the event store`);
  });
}

const loaders = new WeakMap<object, DataLoader<EventAddress, RecordedEvent>>();

/** `AuditEntry.event`: the recorded event, read only when asked for, one batch per request. */
@Resolver('AuditEntry')
export class AuditEntryResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @ResolveField('event')
  event(@Parent() entry: TimelineDoc, @Context() context: object): Promise<RecordedEvent> {
    let loader = loaders.get(context);
    if (!loader) {
      // Batching only: a graphql-ws context lives as long as its connection, a cache would grow with it.
      loader = new DataLoader((addresses: readonly EventAddress[]) => eventsAt(this.store, addresses), { cache: false });
      loaders.set(context, loader);
    }
    return loader.load(entry);
  }
}
