/* Given events → Then documents: feeds recorded events to a projection through the runner's own
 * batch logic into a real embedded read model (in memory), and reads the documents back. */
import type { RecordedEvent } from '@ppl/event-store';
import { EmbeddedReadModelStore, SchemaRegistry, type Document, type FindQuery, type Page } from '@ppl/read-model';
import { EventBatch } from '../runner/event-batch';
import type { Projection } from '../runner/projection';

export interface Projected {
  get<T extends Document = Document>(collection: string, id: string): Promise<T | undefined>;
  find<T extends Document = Document>(collection: string, query?: FindQuery): Promise<Page<T>>;
  /** Feed more events (positions must keep increasing). */
  feed(events: readonly RecordedEvent[]): Promise<void>;
  close(): Promise<void>;
}

export interface ProjectOptions {
  /**
   * Feed the events in groups of these sizes (cycled) through `applyAll` — as the runner does —
   * committing after each group. Default: one event at a time with `apply`.
   */
  readonly groups?: readonly number[];
  /**
   * With `groups`: feed them as a replay does (`accumulate`, page after page), committing after
   * every so many groups (cycled), and at the end.
   */
  readonly commitAfter?: readonly number[];
}

export async function project(projection: Projection, events: readonly RecordedEvent[], options: ProjectOptions = {}): Promise<Projected> {
  const store = EmbeddedReadModelStore.open({ filename: ':memory:' });
  await store.registerProjection(projection);
  const registry = new SchemaRegistry();
  registry.register(projection);
  const batch = new EventBatch(projection, registry, {
    get: (c, id) => store.get(c, id),
    find: (c, q) => store.find(c, q),
    commit: (changes, checkpoint, options) => store.commit(projection.name, changes, checkpoint, options),
  }, -1);
  const types = projection.filter?.types;
  const prefixes = projection.filter?.streamPrefixes;
  const feed = async (list: readonly RecordedEvent[]) => {
    const selected = list.filter(
      (event) =>
        !(types?.length && !types.includes(event.type)) && !(prefixes?.length && !prefixes.some((p) => event.streamId.startsWith(p))),
    );
    const groups = options.groups?.filter((size) => size > 0) ?? [];
    if (groups.length === 0) {
      for (const event of selected) await batch.apply(event);
      await batch.flush();
      return;
    }
    const commitAfter = options.commitAfter?.filter((n) => n > 0) ?? [];
    for (let at = 0, g = 0, sinceCommit = 0, c = 0; at < selected.length; g++) {
      const size = groups[g % groups.length];
      const group = selected.slice(at, at + size);
      at += size;
      if (commitAfter.length === 0) {
        await batch.applyAll(group);
        await batch.flush();
        continue;
      }
      await batch.accumulate(group);
      if (++sinceCommit >= commitAfter[c % commitAfter.length]) {
        await batch.flush();
        sinceCommit = 0;
        c++;
      }
    }
    await batch.flush();
  };
  await feed(events);
  return {
    get: (c, id) => store.get(c, id),
    find: (c, q) => store.find(c, q),
    feed,
    close: () => store.close(),
  };
}
