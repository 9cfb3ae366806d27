import type { EventFilter, EventStore, RecordedEvent } from '@ppl/event-store';
import { HOME_STRATEGY_STREAM, partnershipStreamOf } from './recorded';

/** The global order, page by page. */
export async function* readAllPaged(
  store: EventStore,
  filter?: EventFilter,
  pageSize = 1000,
): AsyncGenerator<RecordedEvent> {
  let after: number | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize, filter });
    yield* page;
    if (page.length < pageSize) return;
    after = (page[page.length - 1] as RecordedEvent).position;
  }
}

/** What a partnership's audit needs: its stream and the home strategy's, each in order. */
export async function readPartnershipWithStrategy(
  store: EventStore,
  partnershipId: string,
  /** Read the partnership's stream only up to this revision (time travel needs no more). */
  upToRevision?: number,
): Promise<{ stream: RecordedEvent[]; strategy: RecordedEvent[] }> {
  const [stream, strategy] = await Promise.all([
    store.readStream(
      partnershipStreamOf(partnershipId),
      upToRevision === undefined ? {} : { maxCount: upToRevision + 1 },
    ),
    store.readStream(HOME_STRATEGY_STREAM),
  ]);
  return { stream, strategy };
}

/** Two streams merged into their global order. */
export function mergeByPosition(
  a: readonly RecordedEvent[],
  b: readonly RecordedEvent[],
): RecordedEvent[] {
  return [...a, ...b].sort((x, y) => x.position - y.position);
}
