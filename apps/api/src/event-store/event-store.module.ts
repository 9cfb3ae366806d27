import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import {
  EVENT_STORE,
  type EventStore,
  EventStoreDbEventStore,
  SqliteEventStore,
} from '@ppl/event-store';
import { APP_CONFIG, type AppConfig } from '../config/config';

/** Picks the event-store adapter from configuration: embedded SQLite by default. */
export function createEventStore(config: AppConfig): EventStore {
  switch (config.EVENT_STORE) {
    case 'sqlite':
      return new SqliteEventStore({
        path: join(config.dataDir, 'events.sqlite'),
        durability: config.SQLITE_DURABILITY,
      });
    case 'eventstoredb':
      return createEventStoreDb(config);
  }
}

function createEventStoreDb(config: AppConfig): EventStore {
  return new EventStoreDbEventStore({ connectionString: String(config.EVENTSTORE_URL) });
}

@Global()
@Module({
  providers: [{ provide: EVENT_STORE, inject: [APP_CONFIG], useFactory: createEventStore }],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
