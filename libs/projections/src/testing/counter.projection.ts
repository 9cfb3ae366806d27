import { defineCollection, put, type Document } from '@ppl/read-model';
import { defineProjection, type Projection, type ProjectionFold } from '../runner/projection';

export const counters = defineCollection({
  name: 'counters',
  indexes: { count: 'number', type: 'string' },
});

export interface CounterDoc extends Document {
  id: string;
  type: string;
  count: number;
  /** Positions counted, to prove exactly-once (each appears once) in tests. */
  positions: number[];
}

/**
 * Counts events per type and in total ('all'). Deliberately an increment (read, +1, put): any
 * double application by the runner shows up as a wrong count.
 */
export function counterProjection(
  options: {
    name?: string;
    version?: number;
    types?: string[];
    poison?: (position: number, type: string) => boolean;
    /** Also a `startFold` (counts kept in memory between commits of a replay). */
    fold?: boolean;
    /** Where the fold throws (`poison` throws in `apply`, and in the fold too). */
    poisonFold?: (position: number, type: string) => boolean;
  } = {},
): Projection {
  const name = options.name ?? 'counter';
  const collection =
    name === 'counter'
      ? counters
      : defineCollection({
          name: `${name}_counters`,
          indexes: { count: 'number', type: 'string' },
        });
  const startFold = (): ProjectionFold => {
    const docs = new Map<string, CounterDoc>();
    return {
      get size() {
        return docs.size;
      },
      async add(events, view) {
        for (const event of events) {
          if (options.poison?.(event.position, event.type) || options.poisonFold?.(event.position, event.type))
            throw new Error(`poison ${event.type}`);
          for (const id of ['all', `type:${event.type}`]) {
            const current = docs.get(id) ?? (await view.get<CounterDoc>(collection.name, id));
            docs.set(id, {
              id,
              type: id === 'all' ? '*' : event.type,
              count: (current?.count ?? 0) + 1,
              positions: [...(current?.positions ?? []), event.position],
              ...(options.version && options.version > 1 ? { builtBy: options.version } : {}),
            });
          }
        }
      },
      changes: () => [...docs.values()].map((doc) => put(collection.name, doc.id, doc)),
    };
  };
  return defineProjection({
    ...(options.fold ? { startFold } : {}),
    name,
    version: options.version ?? 1,
    collections: [collection],
    ...(options.types ? { filter: { types: options.types } } : {}),
    async apply(event, view) {
      if (options.poison?.(event.position, event.type)) throw new Error(`poison ${event.type}`);
      const changes = [];
      for (const id of ['all', `type:${event.type}`]) {
        const current = await view.get<CounterDoc>(collection.name, id);
        const doc: CounterDoc = {
          id,
          type: id === 'all' ? '*' : event.type,
          count: (current?.count ?? 0) + 1,
          positions: [...(current?.positions ?? []), event.position],
          ...(options.version && options.version > 1 ? { builtBy: options.version } : {}),
        };
        changes.push(put(collection.name, id, doc));
      }
      return changes;
    },
  });
}
