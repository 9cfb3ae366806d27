import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SqliteEventStore,
  type EventStore,
  type EventSubscription,
  type RecordedEvent,
  type SubscribeOptions,
} from '@ppl/event-store';
import { EmbeddedReadModelStore, type ReadModelStore } from '@ppl/read-model';

export interface Stores {
  readonly dir: string;
  readonly eventStore: SqliteEventStore;
  readModel: ReadModelStore;
  reopenReadModel(): Promise<ReadModelStore>;
  dispose(): Promise<void>;
}

/** A real SQLite event store and a real embedded read model in a temporary directory. */
export function openStores(): Stores {
  const dir = mkdtempSync(join(tmpdir(), 'ppl-projections-'));
  const eventStore = new SqliteEventStore({
    path: join(dir, 'events.sqlite'),
    durability: 'normal',
    pollIntervalMs: 20,
  });
  const stores: Stores = {
    dir,
    eventStore,
    readModel: EmbeddedReadModelStore.open({ dataDir: dir }),
    async reopenReadModel() {
      await stores.readModel.close();
      stores.readModel = EmbeddedReadModelStore.open({ dataDir: dir });
      return stores.readModel;
    },
    async dispose() {
      await stores.readModel.close();
      await eventStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stores;
}

/** Append `count` events, spread over a few streams, cycling through `types`. Returns the last position. */
export async function appendEvents(
  store: EventStore,
  count: number,
  types: readonly string[] = ['Counted'],
): Promise<number> {
  let position = -1;
  for (let i = 0; i < count; i++) {
    const result = await store.append(`counter-${i % 3}`, [
      {
        id: randomUUID(),
        type: types[i % types.length],
        schemaVersion: 1,
        data: { i },
        metadata: {},
      },
    ]);
    position = result.position;
  }
  return position;
}

/** Delegates to a ReadModelStore; lets a test make `commit` fail before or after it happened (a crash). */
export function crashingReadModel(
  inner: ReadModelStore,
  crash: { commitNumber: number; when: 'before' | 'after' },
): ReadModelStore {
  let commits = 0;
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'commit') {
        return async (...args: Parameters<ReadModelStore['commit']>) => {
          commits += 1;
          if (commits === crash.commitNumber && crash.when === 'before')
            throw new Error('simulated crash before commit');
          await target.commit(...args);
          if (commits === crash.commitNumber && crash.when === 'after')
            throw new Error('simulated crash after commit');
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/**
 * Delegates to an EventStore, but its subscriptions misbehave the way at-least-once transports
 * do: they start from the beginning whatever `after` says, and deliver every event twice.
 */
export function redeliveringEventStore(inner: EventStore): EventStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'subscribeToAll') {
        return (options: SubscribeOptions = {}): EventSubscription => {
          const subscription = target.subscribeToAll({ filter: options.filter });
          async function* twice(): AsyncGenerator<RecordedEvent> {
            for await (const event of subscription) {
              yield event;
              yield event;
            }
          }
          const iterator = twice();
          return {
            [Symbol.asyncIterator]: () => iterator,
            stop: () => subscription.stop(),
          };
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
